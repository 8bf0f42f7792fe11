"""Instances of the user's classes: ``__slots__`` members at their offsets, the
managed ``__dict__`` or inline values (3.13+), split-table values, and a plain
``__dict__`` at ``tp_dictoffset``; all read from memory and the builtin types' own
methods, never through the class's attribute lookup."""

from __future__ import annotations

import types
from functools import cache
from itertools import islice
from operator import itemgetter
from typing import Any

from .. import structs
from ..memory import (
    basicsize,
    flags,
    read_bytes,
    type_slot,
)
from ..refs import safe_referents
from .context import (
    FIELD_ARRAY_CAP,
    Ctx,
    Reading,
    decode_field,
    field_value,
    header_fields,
    memory_dict,
)
from .strings import read_str_at
from .typeinfo import exact_str, is_heap_type, key_text, real_mro, type_name

#: How many ``__slots__`` members are also listed as C fields (each is an attribute anyway).
SLOT_FIELDS_CAP = 256


def read_instance(o: object, tp: type, ctx: Ctx) -> Reading:
    """An instance of a user's class: its header, then every attribute
    (:func:`add_instance_dict`)."""
    hdr = ctx.facts.header
    bs = basicsize(tp)
    n = max(hdr.sizeof, bs)
    data = read_bytes(id(o), n)
    r = Reading("instance", fields=header_fields(ctx, data, tp, hdr))
    r.memory = memory_dict(id(o), data, n, ctx.opts.max_bytes)
    add_instance_dict(o, tp, ctx, r, data)
    r.blocks.setdefault("summary", {})
    r.blocks["summary"]["class"] = type_name(tp)  # type: ignore[index]
    return r


def _slot_descriptors(tp: type) -> list[tuple[type, str, Any]]:
    """(class, attribute name, member descriptor) for every __slots__ member, base first."""
    out = []
    for k in reversed(real_mro(tp)):
        if not is_heap_type(k):
            continue
        members = [
            (exact_str(name), v)
            for name, v in types.MappingProxyType.items(type_slot(k, "__dict__"))  # type: ignore[arg-type]
            if type(v) is types.MemberDescriptorType and _objclass(v) is k
        ]
        members.sort(key=itemgetter(0))
        out.extend((k, name, v) for name, v in members)
    return out


def _objclass(desc: object) -> object:
    return types.MemberDescriptorType.__dict__["__objclass__"].__get__(desc)


@cache
def cached_keys_offset() -> int | None:
    """Offset of PyHeapTypeObject.ht_cached_keys, probed: it follows ht_name, ht_slots,
    ht_qualname, whose values we can recognise."""

    class _RedpillProbe:
        pass

    _RedpillProbe.__qualname__ = "_RedpillProbe.qualified"
    P = structs.facts().interp.pointer_size
    k = _RedpillProbe
    n = basicsize(type)
    data = read_bytes(id(k), n)
    want_name, want_qual = id(type_slot(k, "__name__")), id(type_slot(k, "__qualname__"))
    for off in range(0, n - 3 * P, P):
        if (
            int.from_bytes(data[off : off + P], "little") == want_name
            and int.from_bytes(data[off + 2 * P : off + 3 * P], "little") == want_qual
        ):
            return off + 3 * P
    return None


def _shared_keys(tp: type, ctx: Ctx) -> list[str | None] | None:
    """Attribute names of a split (shared-key) table cached on the heap type."""
    off = cached_keys_offset()
    if off is None or off + ctx.P > basicsize(type):
        return None
    P = ctx.P
    keys_addr = int.from_bytes(read_bytes(id(tp) + off, P), "little")
    if not keys_addr:
        return None
    members = structs.select(structs.DICT_KEYS, ctx.facts.interp)
    klay, ksize = structs.struct_layout(members, P)
    head = read_bytes(keys_addr, ksize)
    kd = {f.name: int(decode_field(head, f)) for f in klay}  # type: ignore[arg-type]
    if kd["dk_kind"] != 2 or kd["dk_log2_index_bytes"] > 16 or not 0 <= kd["dk_nentries"] <= 256:
        return None
    entries = keys_addr + ksize + (1 << kd["dk_log2_index_bytes"])
    nent = kd["dk_nentries"]
    raw = read_bytes(entries, nent * 2 * P) if nent else b""
    names: list[str | None] = []
    for i in range(nent):
        kp = int.from_bytes(raw[2 * P * i : 2 * P * i + P], "little")
        names.append(read_str_at(kp, ctx.facts, 100) if kp else None)
    return names


def add_instance_dict(o: object, tp: type, ctx: Ctx, r: Reading, data: bytes | None = None) -> None:
    """Attributes of an instance: __slots__, then the managed dict / inline values / __dict__."""
    P = ctx.P
    pre = ctx.facts.preheader
    fl = flags(tp)
    bs = basicsize(tp)
    addr = id(o)
    attrs: list[dict[str, object]] = []
    referents = _LazyReferents(o)
    try:
        # __slots__ (the first max_items of them)
        slots = _slot_descriptors(tp)
        if len(slots) > ctx.opts.max_items:
            r.notes.append(f"{len(slots):,} __slots__ members, the first {ctx.opts.max_items} read")
            r.children_complete = False
            del slots[ctx.opts.max_items :]
        slot_fields = 0  # (every member is an attribute; the first ones are C fields too)
        for _k, name, desc in slots:
            try:
                v = desc.__get__(o, tp)
            except AttributeError:
                v = None
                attrs.append({"name": name, "value": None, "storage": "slot"})
                continue
            attrs.append({"name": name, "value": hex(id(v)), "storage": "slot"})
            r.children.append((f".{name}", v))
            off = slot_offset(desc, ctx)
            if off is not None and not ctx.facts.header.sizeof <= off <= bs - P:
                off = None
            if off is not None and int.from_bytes(read_bytes(addr + off, P), "little") != id(v):
                r.notes.append(
                    f"__slots__ member {name}: the word at offset {off} is not its value"
                )
                off = None
            if off is not None and slot_fields < SLOT_FIELDS_CAP:
                slot_fields += 1
                r.fields.append(
                    {
                        "name": name,
                        "offset": off,
                        "size": P,
                        "ctype": "PyObject *",
                        "value": hex(id(v)),
                        "points_to": hex(id(v)),
                        "note": "__slots__ member",
                    }
                )
        dict_obj: object | None = None
        dict_addr = 0
        if fl & structs.Py_TPFLAGS_MANAGED_DICT:
            word = int.from_bytes(read_bytes(addr + pre.dict_word * P, P), "little")
            values_ptr = 0
            if pre.tagged_values:
                if word & 1:
                    values_ptr = word + pre.values_tag_adjust
                else:
                    dict_addr = word
            else:
                dict_addr = word
            if pre.values_word is not None:
                values_ptr = int.from_bytes(read_bytes(addr + pre.values_word * P, P), "little")
            r.fields.insert(
                0,
                {
                    "name": pre.dict_name,
                    "offset": pre.dict_word * P,
                    "size": P,
                    "ctype": "PyObject *",
                    "value": hex(word),
                    "note": "managed __dict__ (pre-header)"
                    + (": not materialized" if not dict_addr else ""),
                },
            )
            if pre.values_word is not None:
                r.fields.insert(
                    0,
                    {
                        "name": "values",
                        "offset": pre.values_word * P,
                        "size": P,
                        "ctype": "PyDictValues *",
                        "value": hex(values_ptr),
                        "note": "split-table values (pre-header)",
                    },
                )
            referents.dict_addr = dict_addr
            inline_valid = False
            if fl & structs.Py_TPFLAGS_INLINE_VALUES and pre.inline_values:
                # 3.13+: a materialized __dict__ keeps using the inline values while valid
                inline_valid = _inline_values(o, tp, ctx, r, attrs, referents, "inline")
            if inline_valid:
                pass
            elif dict_addr:
                dict_obj = referents.get(dict_addr)
            elif values_ptr:
                _split_values(tp, ctx, r, attrs, referents, values_ptr)
        else:
            doff = int(type_slot(tp, "__dictoffset__"))  # type: ignore[call-overload]
            if doff > 0:
                dict_addr = int.from_bytes(read_bytes(addr + doff, P), "little")
                r.fields.append(
                    {
                        "name": "__dict__",
                        "offset": doff,
                        "size": P,
                        "ctype": "PyObject *",
                        "value": hex(dict_addr),
                    }
                )
                if dict_addr:
                    dict_obj = referents.get(dict_addr)
        if pre.weakref_word is not None and fl & structs.Py_TPFLAGS_MANAGED_WEAKREF:
            w = int.from_bytes(read_bytes(addr + pre.weakref_word * P, P), "little")
            r.fields.insert(
                0,
                {
                    "name": "weakreflist",
                    "offset": pre.weakref_word * P,
                    "size": P,
                    "ctype": "PyObject *",
                    "value": hex(w),
                    "note": "managed weakref list (pre-header)",
                },
            )
        if dict_addr:
            # the dict holds the attribute references reported as this object's edges
            r.proxies.append(dict_addr)
        if dict_obj is not None and type(dict_obj) is dict:
            cap = ctx.opts.max_items
            # one C-level copy of the first entries: another thread may change the dict
            try:
                entries = list(islice(dict.items(dict_obj), cap))  # type: ignore[arg-type]
            except RuntimeError as exc:
                entries = []
                r.notes.append(f"__dict__ changed while read: {exc}")
                r.children_complete = False
            for k, v in entries:
                name = exact_str(k) if type(k) is str else key_text(k)
                attrs.append({"name": name, "value": hex(id(v)), "storage": "dict"})
                r.children.append((f".{name}", v))
            entries.clear()
            if dict.__len__(dict_obj) > cap:  # type: ignore[arg-type]
                r.children_complete = False
    finally:
        referents.close()
    r.blocks["instance"] = {
        "attributes": attrs,
        "dict_address": hex(dict_addr) if dict_addr else None,
    }


class _LazyReferents:
    """id -> object for what ``o`` references (gc.get_referents), computed on first use.

    The referents of ``o``'s own materialized ``__dict__`` (``dict_addr``) are included:
    depending on the version, an instance visits its inline values or its dict.
    """

    def __init__(self, o: object) -> None:
        self._o: object | None = o
        self._map: dict[int, object] | None = None
        self.dict_addr = 0

    def get(self, address: int) -> object | None:
        if self._map is None:
            found = (safe_referents(self._o) if self._o is not None else None) or []
            self._map = {id(x): x for x in found}
            d = self._map.get(self.dict_addr) if self.dict_addr else None
            if d is not None and type(d) is dict:
                for x in safe_referents(d) or ():
                    self._map.setdefault(id(x), x)
        return self._map.get(address)

    def close(self) -> None:
        self._o = None
        self._map = None


def slot_offset(desc: object, ctx: Ctx) -> int | None:
    """The instance offset of a ``__slots__`` member, read from its descriptor's
    PyMemberDef (``d_member->offset``).  None unless every pointer on the way checks out:
    ``d_name`` is the descriptor's ``__name__`` and ``d_member->name`` spells it."""
    tp = type(desc)
    if tp is not types.MemberDescriptorType:
        return None
    P = ctx.P
    lay = ctx.layout("member_descr")
    if basicsize(tp) < lay.sizeof:
        return None
    data = read_bytes(id(desc), lay.sizeof)
    name = tp.__dict__["__name__"].__get__(desc, tp)
    if type(name) is not str or field_value(data, lay, "d_name") != id(name):
        return None
    member = field_value(data, lay, "d_member")
    if not member:
        return None
    mfields, msize = structs.struct_layout(structs.select(structs.MEMBER_DEF, ctx.facts.interp), P)
    mdef = read_bytes(member, msize)
    by_name = {f.name: f for f in mfields}
    cname = int(decode_field(mdef, by_name["name"]))  # type: ignore[arg-type]
    try:
        want = str.encode(name, "utf-8") + b"\0"
    except UnicodeError:
        return None
    if not cname or read_bytes(cname, len(want)) != want:
        return None
    return int(decode_field(mdef, by_name["offset"]))  # type: ignore[arg-type]


def _inline_values(
    o: object,
    tp: type,
    ctx: Ctx,
    r: Reading,
    attrs: list[dict[str, object]],
    referents: _LazyReferents,
    storage: str,
) -> bool:
    """3.13+: PyDictValues right after tp_basicsize, keys shared on the type.
    Returns whether the inline values are valid (in use)."""
    P = ctx.P
    bs = basicsize(tp)
    prefix = read_bytes(id(o) + bs, P)
    capacity, size, embedded, valid = prefix[0], prefix[1], prefix[2], prefix[3]
    r.fields.append(
        {
            "name": "PyDictValues",
            "offset": bs,
            "size": 4,
            "ctype": "uint8_t[4]",
            "value": prefix[:4].hex(),
            "note": f"inline values: capacity {capacity}, size {size}, "
            f"embedded {embedded}, valid {valid}",
        }
    )
    if not valid:
        return False
    names = _shared_keys(tp, ctx) or []
    n = min(capacity, len(names), FIELD_ARRAY_CAP * 4)
    raw = read_bytes(id(o) + bs + P, n * P) if n else b""
    for i, name, ptr in _values(raw, names, P):
        r.fields.append(
            {
                "name": f"values[{i}]",
                "offset": bs + P + i * P,
                "size": P,
                "ctype": "PyObject *",
                "value": hex(ptr),
                "points_to": hex(ptr),
                "note": f".{name}",
            }
        )
        _add_value(r, attrs, referents, name, ptr, storage)
    return True


def _split_values(
    tp: type,
    ctx: Ctx,
    r: Reading,
    attrs: list[dict[str, object]],
    referents: _LazyReferents,
    values_ptr: int,
) -> None:
    """3.11/3.12: PyDictValues* in the pre-header, keys shared on the type."""
    P = ctx.P
    names = _shared_keys(tp, ctx) or []
    n = len(names)
    raw = read_bytes(values_ptr, n * P) if n else b""
    for _i, name, ptr in _values(raw, names, P):
        _add_value(r, attrs, referents, name, ptr, "dict")


def _values(raw: bytes, names: list[str | None], P: int) -> list[tuple[int, str, int]]:
    """(index, attribute name, pointer) of every set value word in ``raw`` (a values
    array whose keys, shared on the type, are ``names``)."""
    out = []
    for i in range(min(len(names), len(raw) // P)):
        ptr = int.from_bytes(raw[i * P : (i + 1) * P], "little")
        if ptr:
            out.append((i, names[i] or f"<key {i}>", ptr))
    return out


def _add_value(
    r: Reading,
    attrs: list[dict[str, object]],
    referents: _LazyReferents,
    name: str,
    ptr: int,
    storage: str,
) -> None:
    """One attribute stored in a values array: listed, and followed when it is known
    (a pointer is only ever compared with the objects the instance references)."""
    v = referents.get(ptr)
    attrs.append({"name": name, "value": hex(ptr) if v is not None else None, "storage": storage})
    if v is not None:
        r.children.append((f".{name}", v))
