"""Per-type readers: the C struct fields and the internals block of one object.

Each reader gets the object and its real type (``type(o)``, never ``o.__class__``),
reads memory only inside the object's own allocation(s), and calls no user code:
values are obtained with the builtin types' own methods (``list.__iter__``,
``dict.items``, ``int.__repr__`` ...), descriptors taken from ``type.__dict__``,
and ``gc.get_referents``.  A reader returns a :class:`Reading`; the children it
lists (items, attribute values) are temporary references that the payload
builder consumes at once (the collector must hold no stray references when it
reads refcounts).
"""

from __future__ import annotations

import gc
import math
import struct
import sys
import types
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from operator import itemgetter
from typing import Any

from . import layouts
from .layouts import Facts, Field, StructLayout
from .memory import (
    MAX_READ,
    MemoryReadError,
    among,
    basicsize,
    flags,
    int_length,
    itemsize,
    read_bytes,
    snapshot,
    str_length,
    type_slot,
)
from .refs import safe_referents
from .strkeys import str_value, str_values
from .text import NAME_CHARS, TEXT_CHARS, has_surrogates, sendable, shown

JSON_INT_MAX = 2**53

#: How many elements of an inline array (tuple ob_item, int ob_digit) are listed as fields.
FIELD_ARRAY_CAP = 16
#: How many int digits are listed in the int block.
DIGITS_CAP = 64
#: Ints with more digits than this are shown in hex (decimal conversion is quadratic).
DECIMAL_DIGITS_CAP = 100


#: The largest value each collector option takes (larger arguments are lowered to it):
#: with them, one payload's lists and strings stay within the schema's bounds.
OPTION_LIMITS: dict[str, int] = {
    "depth": 100,
    "max_objects": 10_000,
    "max_items": 10_000,
    "max_text": TEXT_CHARS // 10,  # an escaped lone surrogate takes 6 characters
}


@dataclass(frozen=True)
class Options:
    """Collector options (the magic's arguments).  Defaults are documented in the magic."""

    depth: int = 2
    max_objects: int = 100
    max_items: int = 50
    max_bytes: int = 128
    max_text: int = 200
    hide: frozenset[str] = frozenset()
    names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # one read never exceeds memory.MAX_READ: more bytes could not be shown anyway
        object.__setattr__(self, "max_bytes", max(0, min(self.max_bytes, MAX_READ)))
        # every size in the payload is bounded, whatever the arguments say
        for name, most in OPTION_LIMITS.items():
            object.__setattr__(self, name, max(0, min(getattr(self, name), most)))

    def as_payload(self) -> dict[str, object]:
        return {
            "depth": self.depth,
            "max_objects": self.max_objects,
            "max_items": self.max_items,
            "max_bytes": self.max_bytes,
            "max_text": self.max_text,
            "hide": sorted(self.hide),
            "names": list(self.names),
        }


@dataclass(slots=True)
class Reading:
    """What a reader found in one object (children hold temporary references)."""

    kind: str
    fields: list[dict[str, object]] = field(default_factory=list)
    blocks: dict[str, object] = field(default_factory=dict)
    children: list[tuple[str, object]] = field(default_factory=list)
    children_are_items: bool = False
    children_complete: bool = True
    items_total: int | None = None
    memory: dict[str, object] | None = None
    repr: str | None = None
    size: int | None = None
    notes: list[str] = field(default_factory=list)
    #: containers whose references are reported as this object's children (an
    #: instance's materialized __dict__): not holders of their own
    proxies: list[int] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# helpers


def _mro(tp: type) -> tuple[type, ...]:
    return type_slot(tp, "__mro__")  # type: ignore[return-value]


def has_base(tp: type, base: type) -> bool:
    """issubclass on the real MRO (no __subclasscheck__, no __class__)."""
    return among(base, _mro(tp))


def exact_str(x: object, cap: int = NAME_CHARS) -> str:
    """A plain str from a str (subclass) without user code, as it is sent (surrogates
    escaped, cut to ``cap`` characters)."""
    tp = type(x)
    if tp is str or has_base(tp, str):
        n = str.__len__(x)  # type: ignore[arg-type]
        head = str(str.__getitem__(x, slice(0, cap + 1)))  # type: ignore[arg-type]
        out = shown(head, cap)
        if n > cap + 1:  # the cut says how much was left out of the whole string
            out = f"{out.partition('… (+')[0]}… (+{n - cap:,} characters)"
        return out
    return f"<{type_name(tp)}>"


def type_name(tp: type) -> str:
    """The qualified name of ``tp`` (``ht_qualname``, never a metaclass's property)."""
    try:
        return exact_str(type_slot(tp, "__qualname__"))
    except Exception:
        return "?"


def exception_name(exc: BaseException) -> str:
    """The class name of ``exc`` (``ht_name``: a metaclass's ``__name__`` property is
    never asked)."""
    try:
        return exact_str(type_slot(type(exc), "__name__"))
    except Exception:
        return "?"


def type_module(tp: type) -> str | None:
    """The module of ``tp``: a class's ``__module__`` read from its own dict without a
    lookup (a key of the user's could run ``__eq__``), a builtin type's from its name."""
    try:
        if is_heap_type(tp):
            mod = str_value(type_slot(tp, "__dict__"), "__module__")
        else:
            mod = type_slot(tp, "__module__")
    except Exception:
        return None
    if type(mod) is str:
        return exact_str(mod)
    return None


def is_heap_type(tp: type) -> bool:
    return bool(flags(tp) & layouts.Py_TPFLAGS_HEAPTYPE)


def _tp_dealloc(tp: type) -> int:
    f = layouts.layout("class", layouts.CURRENT).field("tp_dealloc")
    return int.from_bytes(read_bytes(id(tp) + f.offset, f.size), "little")


@cache
def _subtype_dealloc() -> int:
    """tp_dealloc of every class a ``class`` statement creates (``subtype_dealloc``)."""

    class _RedpillDeallocProbe:
        pass

    return _tp_dealloc(_RedpillDeallocProbe)


def is_python_class(tp: type) -> bool:
    """A class made by a ``class`` statement (or ``type()``), not an extension's heap
    type (``array.array``, ``collections.deque``, ``re.Pattern``, ``_thread.lock`` are
    heap types too, with their own deallocators)."""
    return is_heap_type(tp) and _tp_dealloc(tp) == _subtype_dealloc()


def safe_repr(o: object, tp: type, cap: int = 80) -> str:
    """Repr for builtin value types only; everything else: <Type at 0x...>."""
    try:
        if o is None:
            return "None"
        if tp is bool:
            return "True" if o else "False"
        if tp is int:
            n = int.bit_length(o)  # type: ignore[arg-type]
            if n > 1000:
                return f"<int of {n} bits>"
            return _cap(int.__repr__(o), cap)  # type: ignore[arg-type]
        if tp is float:
            return float.__repr__(o)  # type: ignore[arg-type]
        if tp is str:
            return _cap(str.__repr__(str.__getitem__(o, slice(0, cap))), cap + 2)  # type: ignore[arg-type]
        if tp is bytes:
            return _cap(bytes.__repr__(bytes.__getitem__(o, slice(0, cap))), cap + 3)  # type: ignore[arg-type]
        if tp is complex:
            return complex.__repr__(o)  # type: ignore[arg-type]
        if among(tp, (list, tuple, dict, set, frozenset)):
            n = tp.__len__(o)  # type: ignore[attr-defined]
            return f"<{tp.__name__} of {n} item{'s' if n != 1 else ''}>"
        if tp is type(...):
            return "Ellipsis"
        if tp is type(NotImplemented):
            return "NotImplemented"
    except Exception:
        pass
    return f"<{type_name(tp)} at {hex(id(o))}>"


def _cap(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def key_text(k: object, cap: int = 40) -> str:
    """A dict key as a subscript: 'a', 3, <Foo at 0x..>."""
    return safe_repr(k, type(k), cap)


def _json_number(v: int | float) -> int | float | str:
    if isinstance(v, float):
        return v if math.isfinite(v) else repr(v)
    return v if -JSON_INT_MAX < v < JSON_INT_MAX else str(v)


def field_dict(
    f: Field,
    value: int | float | bytes | None,
    note: str | None = None,
    points_to: int | None = None,
    offset: int | None = None,
    name: str | None = None,
) -> dict[str, object]:
    out: dict[str, object] = {
        "name": name or f.name,
        "offset": f.offset if offset is None else offset,
        "size": f.size,
        "ctype": f.ctype,
    }
    if value is None:
        out["value"] = None
    elif isinstance(value, bytes):
        out["value"] = value.hex()
    elif f.kind == "ptr":
        out["value"] = hex(int(value))
    else:
        out["value"] = _json_number(value)
    if note:
        out["note"] = note
    if points_to:
        out["points_to"] = hex(points_to)
    return out


def memory_dict(block_addr: int, data: bytes, total: int, cap: int) -> dict[str, object]:
    shown = data[:cap]
    return {
        "address": hex(block_addr),
        "size": total,
        "hex": shown.hex(),
        "truncated": len(shown) < total,
    }


@dataclass(frozen=True, slots=True)
class TypeFacts:
    """What one collection needs to know about a type, looked up once per type."""

    kind: str
    name: str
    module: str | None
    address: str
    python_class: bool
    basicsize: int
    sizeof_owner: type | None  # a static (builtin) type: never a user's class


class Ctx:
    """Per-collection context: interpreter facts, options, cached probes.

    Types are looked up once per collection (they live as long as their objects,
    which the collector holds); :meth:`forget_types` drops the cache before the
    reference counts are read.
    """

    def __init__(self, opts: Options, facts: Facts | None = None) -> None:
        self.opts = opts
        self.facts = facts or layouts.facts()
        self.P = self.facts.interp.pointer_size
        self._types: dict[int, TypeFacts] = {}
        self._layouts: dict[str, StructLayout] = {}

    def type_facts(self, tp: type) -> TypeFacts:
        t = self._types.get(id(tp))
        if t is None:
            t = self._types[id(tp)] = TypeFacts(
                kind=classify(tp),
                name=type_name(tp),
                module=type_module(tp),
                address=hex(id(tp)),
                python_class=is_python_class(tp),
                basicsize=basicsize(tp),
                sizeof_owner=_sizeof_owner(tp),
            )
        return t

    def type_name(self, tp: type) -> str:
        """type_name(), cached for one collection."""
        return self.type_facts(tp).name

    def forget_types(self) -> None:
        """Drop the caches (they hold builtin types and kind names, which may be drawn)."""
        self._types.clear()
        self._layouts.clear()

    def layout(self, kind: str) -> StructLayout:
        """``layouts.layout(kind)`` for this interpreter, without hashing it every time."""
        lay = self._layouts.get(kind)
        if lay is None:
            lay = self._layouts[kind] = layouts.layout(kind, self.facts.interp)
        return lay

    def hidden(self, name: str) -> bool:
        return name in self.opts.hide


# --------------------------------------------------------------------------------------------
# header


# How header_fields() treats each field (see _roles): a plain number, a pointer, a
# PyObject pointer, or one of the header fields that carries a note.
_PLAIN, _PTR, _OBJ_PTR, _OB_TYPE, _OB_REFCNT, _OB_FLAGS, _REF_SHARED, _REF_LOCAL, _OTHER = range(9)
_NOTED = {
    "ob_type": _OB_TYPE,
    "ob_refcnt": _OB_REFCNT,
    "ob_flags": _OB_FLAGS,
    "ob_ref_shared": _REF_SHARED,
    "ob_ref_local": _REF_LOCAL,
}
_PARTS: dict[int, tuple[tuple[int, Field, str, int, int, str], ...]] = {}


def _parts(lay: StructLayout) -> tuple[tuple[int, Field, str, int, int, str], ...]:
    """(role, field, name, offset, size, ctype) of every field of ``lay``, cached (layouts
    live as long as the process): header_fields() reads them for every object."""
    parts = _PARTS.get(id(lay))
    if parts is None:
        out = []
        for f in lay.fields:
            if f.name in _NOTED:
                role = _NOTED[f.name]
            elif f.kind == "int":
                role = _PLAIN
            elif f.kind == "ptr":
                role = _OBJ_PTR if f.ctype == "PyObject *" else _PTR
            else:
                role = _OTHER
            out.append((role, f, f.name, f.offset, f.size, f.ctype))
        parts = _PARTS[id(lay)] = tuple(out)
    return parts


def header_fields(
    ctx: Ctx, data: bytes, tp: type, lay: StructLayout, upto: int | None = None
) -> list[dict[str, object]]:
    """All fixed fields of ``lay`` covered by ``data`` (header notes included)."""
    parts = _parts(lay)
    unpacker = lay.unpacker
    values: Sequence[int | float | bytes]
    if unpacker is not None and upto is None and len(data) >= unpacker.size:
        values = unpacker.unpack_from(data)
    else:  # a partial read: field by field, up to what the snapshot covers
        n = len(data)
        k = 0
        for f in lay.fields:
            if f.offset + f.size > n or (upto is not None and f.offset >= upto):
                break
            k += 1
        parts = parts[:k]
        values = [_decode(data, p[1]) for p in parts]
    out: list[dict[str, object]] = []
    append = out.append
    for (role, f, name, offset, size, ctype), value in zip(parts, values, strict=True):
        if role == _PLAIN:
            append(
                {
                    "name": name,
                    "offset": offset,
                    "size": size,
                    "ctype": ctype,
                    "value": value if -JSON_INT_MAX < value < JSON_INT_MAX else str(value),  # type: ignore[operator]
                }
            )
        elif role == _PTR or (role == _OBJ_PTR and not value):
            append(
                {"name": name, "offset": offset, "size": size, "ctype": ctype, "value": hex(value)}  # type: ignore[arg-type]
            )
        elif role == _OBJ_PTR:
            h = hex(value)  # type: ignore[arg-type]
            append(
                {
                    "name": name,
                    "offset": offset,
                    "size": size,
                    "ctype": ctype,
                    "value": h,
                    "points_to": h,
                }
            )
        elif role == _OB_TYPE:
            h = hex(id(tp))
            append(
                {
                    "name": name,
                    "offset": offset,
                    "size": size,
                    "ctype": ctype,
                    "value": hex(value),  # type: ignore[arg-type]
                    "points_to": h,
                }
            )
        elif role == _OTHER:
            append(field_dict(f, value))
        else:
            note, points = _header_note(ctx, tp, role, value)
            append(field_dict(f, value, note, points))
    return out


def _header_note(
    ctx: Ctx, tp: type, role: int, value: int | float | bytes
) -> tuple[str | None, int | None]:
    """The note (and pointer) of a header field: the type's name, immortality, flags."""
    rc = ctx.facts.refcount
    if role == _OB_TYPE:
        return None, id(tp)
    v = int(value)  # type: ignore[arg-type]
    if role == _OB_REFCNT:
        if rc.mode == "word" and rc.mask is not None and rc.immortal[0] == "bit":
            return ("immortal" if v & rc.immortal[1] else None), None
        return None, None
    if role == _OB_FLAGS:
        bits = []
        if v & 1:
            bits.append("immortal")
        if v & 4:
            bits.append("statically allocated")
        return ", ".join(bits) or None, None
    if role == _REF_SHARED:
        return f"count {v >> rc.shared_shift}, flags {v & 3}", None
    return ("immortal" if v == 0xFFFFFFFF else None), None  # ob_ref_local


def _decode(data: bytes, f: Field) -> int | float | bytes:
    if f.kind == "int":
        return int.from_bytes(data[f.offset : f.offset + f.size], "little", signed=f.signed)
    raw = data[f.offset : f.offset + f.size]
    if f.kind == "double":
        return struct.unpack("<d", raw)[0]
    if f.kind == "bytes":
        return raw
    return int.from_bytes(raw, "little", signed=f.signed)


def _value(data: bytes, lay: StructLayout, name: str) -> int:
    f = lay.by_name[name]
    return int(_decode(data, f))  # type: ignore[arg-type]


_WORDS4 = struct.Struct("<II")
_WORDS8 = struct.Struct("<QQ")


def gc_head_fields(ctx: Ctx, o: object, tp: type) -> list[dict[str, object]]:
    """The PyGC_Head before tracked objects (default builds): _gc_next, _gc_prev.

    Fields carry a ``note`` only for what the name and value do not tell; fixed
    explanations (these two, ``ob_type``) are the front end's (fallbacks.field_note).
    """
    words = ctx.facts.preheader.gc_head_words
    if not words or not gc.is_tracked(o):
        return []
    P = ctx.P
    nxt, prv = (_WORDS4 if P == 4 else _WORDS8).unpack(read_bytes(id(o) - 2 * P, 2 * P))
    return [
        {
            "name": "_gc_next",
            "offset": -2 * P,
            "size": P,
            "ctype": "uintptr_t",
            "value": hex(nxt),
        },
        {
            "name": "_gc_prev",
            "offset": -P,
            "size": P,
            "ctype": "uintptr_t",
            "value": hex(prv),
        },
    ]


# --------------------------------------------------------------------------------------------
# kinds


def classify(tp: type) -> str:
    """The schema's ``kind`` for an object of real type ``tp``."""
    mro = _mro(tp)
    if tp is bool:
        return "bool"
    if tp is type(None):
        return "none"
    for base, kind in _BASE_KINDS:
        if among(base, mro):
            return kind
    if is_python_class(tp):
        return "instance"
    return "other"


_BASE_KINDS: tuple[tuple[type, str], ...] = (
    (type, "class"),
    (int, "int"),
    (float, "float"),
    (str, "str"),
    (bytes, "bytes"),
    (tuple, "tuple"),
    (list, "list"),
    (dict, "dict"),
    (frozenset, "frozenset"),
    (set, "set"),
    (types.FunctionType, "function"),
    (types.ModuleType, "module"),
)


def read_object(o: object, ctx: Ctx) -> Reading:
    """Read one object; never raises (errors become notes)."""
    tp = type(o)
    facts = ctx.type_facts(tp)
    kind = facts.kind
    reader = _READERS.get(kind, _read_other)
    try:
        r = reader(o, tp, ctx)
    except Exception as exc:  # never let one object break the picture
        r = Reading(kind)
        r.notes.append(f"could not read this {kind}: {type(exc).__name__}: {exc}")
        try:
            r.fields = header_fields(
                ctx, read_bytes(id(o), ctx.facts.header.sizeof), tp, ctx.facts.header
            )
        except Exception:
            pass
    if r.repr is None:
        r.repr = safe_repr(o, tp)
    if r.size is None:
        r.size = builtin_sizeof(o, tp, ctx)
    if kind not in ("instance",) and facts.python_class and kind != "class":
        try:
            _add_instance_dict(o, tp, ctx, r)
        except Exception as exc:  # e.g. the __dict__ changed size (another thread)
            r.notes.append(f"could not read the attributes: {type(exc).__name__}: {exc}")
    try:
        r.fields = gc_head_fields(ctx, o, tp) + r.fields
    except Exception:
        pass
    r.fields.sort(key=_by_offset)
    return r


_by_offset = itemgetter("offset")


def builtin_sizeof(o: object, tp: type, ctx: Ctx | None = None) -> int | None:
    """__sizeof__ of the nearest builtin (static) type in the MRO: never user code.

    ``object.__sizeof__`` is wrong for ints on 3.12+ (it reads lv_tag as ob_size), so
    the builtin type's own implementation is used.
    """
    owner = ctx.type_facts(tp).sizeof_owner if ctx is not None else _sizeof_owner(tp)
    if owner is None:
        return None
    meth = type_slot(owner, "__dict__")["__sizeof__"]  # type: ignore[index]
    try:
        return int(meth(o))
    except Exception:
        return None


def _sizeof_owner(tp: type) -> type | None:
    """The nearest static type in the MRO that defines ``__sizeof__``."""
    for k in _mro(tp):
        if not is_heap_type(k) and "__sizeof__" in type_slot(k, "__dict__"):  # type: ignore[operator]
            return k
    return None


def _fixed_reading(
    o: object, tp: type, ctx: Ctx, kind: str, layout_kind: str | None = None
) -> tuple[StructLayout, bytes, Reading]:
    """How a reader of a fixed-size struct starts: its layout, one snapshot of the
    fixed part, and a Reading holding the fields that snapshot covers."""
    lay = ctx.layout(layout_kind or kind)
    data, _n = _fixed(o, tp, ctx, lay)
    return lay, data, Reading(kind, fields=header_fields(ctx, data, tp, lay))


def _own_memory(o: object, tp: type, ctx: Ctx, data: bytes) -> dict[str, object]:
    """The memory block of an object whose allocation is its type's basic size."""
    return memory_dict(id(o), data, ctx.type_facts(tp).basicsize, ctx.opts.max_bytes)


def _fixed(o: object, tp: type, ctx: Ctx, lay: StructLayout) -> tuple[bytes, int]:
    n = min(ctx.type_facts(tp).basicsize, lay.sizeof) if lay.tail is None else lay.tail.offset
    n = max(n, ctx.facts.header.sizeof)
    return read_bytes(id(o), n), n


def _read_none(o: object, tp: type, ctx: Ctx) -> Reading:
    lay = ctx.layout("object")
    data = read_bytes(id(o), lay.sizeof)
    r = Reading("none", fields=header_fields(ctx, data, tp, lay))
    r.memory = memory_dict(id(o), data, lay.sizeof, ctx.opts.max_bytes)
    r.repr = "None"
    return r


@cache
def small_int_range() -> tuple[int, int]:
    """Probe the small-int cache on this interpreter: (lowest, highest) shared value."""

    def cached(v: int) -> bool:
        s = str(v)
        return int(s) is int(s)

    lo, hi = layouts.facts().small_ints_default
    if not cached(lo) or not cached(hi):  # tables disagree with this build: probe from 0
        lo = hi = 0
    while lo > -4096 and cached(lo - 1):
        lo -= 1
    while hi < 65536 and cached(hi + 1):
        hi += 1
    return lo, hi


def _read_int(o: object, tp: type, ctx: Ctx) -> Reading:
    facts = ctx.facts
    lay = layouts.layout("int", facts.interp)
    assert lay.tail is not None
    enc = facts.long
    head = read_bytes(id(o), lay.tail.offset)
    tag = _value(head, lay, enc.tag_field)
    if enc.tag_field == "ob_size":
        ndigits = abs(tag)
        sign = (tag > 0) - (tag < 0)
    else:
        ndigits = tag >> enc.size_shift
        sign = 1 - (tag & enc.sign_mask)
    total = int_length(lay, ndigits)
    shown_digits = min(ndigits, DIGITS_CAP)
    n = min(total, max(int_length(lay, shown_digits), ctx.opts.max_bytes))
    data = read_bytes(id(o), n)
    dsize = lay.tail.size
    digits = [
        int.from_bytes(
            data[lay.tail.offset + i * dsize : lay.tail.offset + (i + 1) * dsize], "little"
        )
        for i in range(shown_digits)
    ]
    kind = "bool" if tp is bool else "int"
    r = Reading(kind)
    r.fields = header_fields(ctx, data, tp, lay)
    tag_note = ""
    if enc.tag_field == "lv_tag":
        bits = [f"{ndigits} digit{'s' if ndigits != 1 else ''}", f"sign {sign:+d}"]
        if enc.immortal_bit and tag & enc.immortal_bit:
            bits.append("small-int bit")
        tag_note = ", ".join(bits)
    else:
        tag_note = f"sign * digits = {tag}"
    for fd in r.fields:
        if fd["name"] == enc.tag_field:
            fd["note"] = tag_note
    for i in range(min(max(ndigits, 1), FIELD_ARRAY_CAP)):
        off = lay.tail.offset + i * dsize
        if off + dsize > len(data):
            break
        v = int.from_bytes(data[off : off + dsize], "little")
        r.fields.append(
            {"name": f"ob_digit[{i}]", "offset": off, "size": dsize, "ctype": "digit", "value": v}
        )
    bits = facts.interp.digit_bits
    # the value, from Python (builtin int methods only), checked against the digits
    value = int.__index__(o)  # type: ignore[arg-type]
    text = int_text(value, ndigits)
    if ndigits <= DIGITS_CAP:
        recomputed = sum(d << (bits * i) for i, d in enumerate(digits)) * sign
        if recomputed != value:
            r.notes.append("the digits read from memory do not match the value (layout mismatch?)")
    lo, hi = small_int_range()
    cached = tp is int and lo <= value <= hi and o is int(str(value))
    r.blocks["int"] = {
        "value": text,
        "sign": sign,
        "ndigits": ndigits,
        "digits": digits,
        "digit_bits": bits,
        "small_int_cached": bool(cached),
        "tag_field": enc.tag_field,
        "tag": str(tag),
    }
    r.memory = memory_dict(id(o), data, total, ctx.opts.max_bytes)
    return r


def int_text(value: int, ndigits: int) -> str:
    """The value as text: decimal when it is short enough to convert (at most
    DECIMAL_DIGITS_CAP digits and within ``sys.get_int_max_str_digits()``, which is never
    changed), else ``0x`` + hex, cut after 64 hex digits with a trailing ``…``."""
    limit = _int_max_str_digits()
    # decimal digits of |value| are at most bit_length * log10(2) + 1
    decimal_max = int.bit_length(value) * 30103 // 100000 + 1
    if ndigits <= DECIMAL_DIGITS_CAP and (limit == 0 or decimal_max <= limit):
        try:
            return int.__repr__(value)
        except ValueError:  # the limit changed under us
            pass
    hexdigits = int.__format__(abs(value), "x")
    sign = "-" if value < 0 else ""
    if len(hexdigits) > 64:
        return f"{sign}0x{hexdigits[:64]}…"
    return f"{sign}0x{hexdigits}"


def _int_max_str_digits() -> int:
    get = getattr(sys, "get_int_max_str_digits", None)
    try:
        return int(get()) if get is not None else 0
    except Exception:
        return 0


def _read_float(o: object, tp: type, ctx: Ctx) -> Reading:
    lay, data, r = _fixed_reading(o, tp, ctx, "float")
    fv = lay.field("ob_fval")
    raw = data[fv.offset : fv.offset + 8]
    bits = int.from_bytes(raw, "little")
    value = struct.unpack("<d", raw)[0]
    r.blocks["float"] = {
        "value": float.__repr__(value),
        "hex": f"{bits:016x}",
        "sign": bits >> 63,
        "exponent": (bits >> 52) & 0x7FF,
        "mantissa": f"{bits & ((1 << 52) - 1):013x}",
    }
    for fd in r.fields:
        if fd["name"] == "ob_fval":
            fd["note"] = f"IEEE-754 bits {bits:016x}"
    if value != float.__float__(o) and not math.isnan(value):  # type: ignore[arg-type]
        r.notes.append("ob_fval read from memory differs from the value (layout mismatch?)")
    r.memory = _own_memory(o, tp, ctx, data)
    return r


_STR_CODECS = {1: "latin-1", 2: "utf-16-le", 4: "utf-32-le"}


def decode_str_state(state: int, facts: Facts) -> dict[str, int]:
    s = facts.str_state
    state &= s.mask
    return {
        "interned": (state >> s.interned[0]) & ((1 << s.interned[1]) - 1),
        "kind": (state >> s.kind[0]) & ((1 << s.kind[1]) - 1),
        "compact": (state >> s.compact) & 1,
        "ascii": (state >> s.ascii) & 1,
        "extra": (state >> s.extra_bit) & 1,
    }


def read_str_at(address: int, facts: Facts, cap: int = 200) -> str | None:
    """Decode a compact str at ``address`` (held alive by someone else).  None if not one."""
    lay = layouts.layout("str_ascii", facts.interp)
    data = read_bytes(address, lay.sizeof)
    if _value(data, lay, "ob_type") != id(str):
        return None
    length = _value(data, lay, "length")
    st = decode_str_state(_value(data, lay, "state"), facts)
    if not st["compact"] or st["kind"] not in _STR_CODECS or length < 0:
        return None
    n = min(length, cap)
    start = lay.sizeof if st["ascii"] else layouts.layout("str_compact", facts.interp).sizeof
    raw = read_bytes(address + start, n * st["kind"])
    return sendable(raw.decode(_STR_CODECS[st["kind"]], errors="surrogatepass"))


def _read_str(o: object, tp: type, ctx: Ctx) -> Reading:
    facts = ctx.facts
    ascii_lay = layouts.layout("str_ascii", facts.interp)
    head = read_bytes(id(o), ascii_lay.sizeof)
    length = _value(head, ascii_lay, "length")
    st = decode_str_state(_value(head, ascii_lay, "state"), facts)
    compact, is_ascii, kind_code = bool(st["compact"]), bool(st["ascii"]), st["kind"]
    if compact and is_ascii:
        lay = ascii_lay
    elif compact:
        lay = layouts.layout("str_compact", facts.interp)
    else:
        lay = layouts.layout("str_legacy", facts.interp)
    total = str_length(facts, length, kind_code or 1, compact, is_ascii)
    cap = ctx.opts.max_text
    n_chars = min(length, cap)
    width = kind_code or 1
    n = min(
        total,
        max(lay.sizeof + (n_chars + 1) * width if compact else lay.sizeof, ctx.opts.max_bytes),
    )
    data = read_bytes(id(o), n)
    r = Reading("str", fields=header_fields(ctx, data, tp, lay))
    s = facts.str_state
    for fd in r.fields:
        if fd["name"] == "state":
            fd["note"] = (
                f"interned={st['interned']} kind={kind_code} compact={int(compact)} "
                f"ascii={int(is_ascii)} {s.extra_name}={st['extra']} (padding bits masked)"
            )
        elif fd["name"] == "hash" and fd["value"] == -1:
            fd["note"] = "not computed yet"
    # the characters
    text: str | None = None
    if kind_code in _STR_CODECS:
        if compact:
            raw = data[lay.sizeof : lay.sizeof + n_chars * width]
            if len(raw) < n_chars * width:
                raw = read_bytes(id(o) + lay.sizeof, n_chars * width)
        else:
            ptr = _value(data, lay, "data")
            raw = read_bytes(ptr, n_chars * width) if ptr and n_chars else b""
        text = raw.decode(_STR_CODECS[kind_code], errors="surrogatepass")
        if text != str.__getitem__(o, slice(0, n_chars)):  # type: ignore[arg-type]
            r.notes.append("characters read from memory differ from the value (layout mismatch?)")
    if text is None:
        text = str.__getitem__(o, slice(0, n_chars))  # type: ignore[arg-type]
    if has_surrogates(text):
        text = sendable(text)
        r.notes.append(
            "the text holds lone surrogates, which UTF-8 cannot carry: each is shown as its "
            "\\udXXXX escape"
        )
    if compact:
        r.fields.append(
            {
                "name": "data[]",
                "offset": lay.sizeof,
                "size": (length + 1) * width,
                "ctype": {1: "Py_UCS1", 2: "Py_UCS2", 4: "Py_UCS4"}.get(width, "char") + "[]",
                "value": _cap(text, 40),  # (already sendable)
                "note": f"{length} characters + NUL, {width} byte{'s' if width > 1 else ''} each",
            }
        )
    h = _value(head, ascii_lay, "hash")
    r.blocks["str"] = {
        "length": length,
        "hash": str(h),
        "kind": kind_code,
        "ascii": is_ascii,
        "compact": compact,
        "interned": st["interned"],
        "text": text,
        "text_truncated": length > n_chars,
    }
    r.memory = memory_dict(id(o), data, total, ctx.opts.max_bytes)
    return r


def _read_bytes(o: object, tp: type, ctx: Ctx) -> Reading:
    lay = ctx.layout("bytes")
    assert lay.tail is not None
    length = bytes.__len__(o)  # type: ignore[arg-type]
    total = lay.tail.offset + length + 1
    n = min(total, max(lay.tail.offset + min(length, ctx.opts.max_bytes), ctx.opts.max_bytes))
    data = read_bytes(id(o), n)
    r = Reading("bytes", fields=header_fields(ctx, data, tp, lay))
    shown = data[lay.tail.offset : lay.tail.offset + min(length, ctx.opts.max_bytes)]
    r.fields.append(
        {
            "name": "ob_sval[]",
            "offset": lay.tail.offset,
            "size": length + 1,
            "ctype": "char[]",
            "value": shown[:32].hex(),
            "note": f"{length} bytes + NUL",
        }
    )
    if _value(data, lay, "ob_size") != length:
        r.notes.append("ob_size differs from len() (layout mismatch?)")
    r.blocks["bytes"] = {
        "length": length,
        "hex": shown.hex(),
        "truncated": length > len(shown),
    }
    r.memory = memory_dict(id(o), data, total, ctx.opts.max_bytes)
    return r


def _items(
    r: Reading, it: Iterable[Any], total: int, ctx: Ctx, fmt: Callable[[int], str] = "[{}]".format
) -> None:
    cap = ctx.opts.max_items
    for i, x in enumerate(islice(it, cap)):
        r.children.append((fmt(i), x))
    r.children_are_items = True
    r.items_total = total
    r.children_complete = total <= cap


def _read_tuple(o: object, tp: type, ctx: Ctx) -> Reading:
    lay = ctx.layout("tuple")
    assert lay.tail is not None
    length = tuple.__len__(o)  # type: ignore[arg-type]
    P = ctx.P
    total = lay.tail.offset + P * length
    shown = min(length, FIELD_ARRAY_CAP)
    n = min(total, max(lay.tail.offset + P * shown, ctx.opts.max_bytes))
    data = read_bytes(id(o), n)
    r = Reading("tuple", fields=header_fields(ctx, data, tp, lay))
    for fd in r.fields:
        if fd["name"] == "ob_hash" and fd["value"] == -1:
            fd["note"] = "hash not computed yet"
    items = list(islice(tuple.__iter__(o), shown))  # type: ignore[arg-type]
    for i in range(shown):
        off = lay.tail.offset + i * P
        ptr = int.from_bytes(data[off : off + P], "little")
        note = None
        if i < len(items) and ptr != id(items[i]):
            note = "differs from the item seen from Python"
        r.fields.append(
            field_dict(lay.tail, ptr, note, ptr or None, offset=off, name=f"ob_item[{i}]")
        )
    _items(r, tuple.__iter__(o), length, ctx)  # type: ignore[arg-type]
    r.memory = memory_dict(id(o), data, total, ctx.opts.max_bytes)
    return r


def _read_list(o: object, tp: type, ctx: Ctx) -> Reading:
    lay, data, r = _fixed_reading(o, tp, ctx, "list")
    allocated = _value(data, lay, "allocated")
    size = _value(data, lay, "ob_size")
    for fd in reversed(r.fields):  # ob_item and allocated are the last two
        name = fd["name"]
        if name == "ob_item":
            fd["note"] = f"separate array of {allocated} slots ({size} used)"
            break
        if name == "allocated" and allocated == -1:
            fd["note"] = "-1 while list.sort() runs"
    r.blocks["list"] = {"allocated": allocated}
    _items(r, list.__iter__(o), list.__len__(o), ctx)  # type: ignore[arg-type]
    r.memory = _own_memory(o, tp, ctx, data)
    return r


def _read_dict(o: object, tp: type, ctx: Ctx) -> Reading:
    lay, data, r = _fixed_reading(o, tp, ctx, "dict")
    for fd in r.fields:
        if fd["name"] == "ma_keys":
            fd["note"] = "PyDictKeysObject: hash index + entries (separate allocation)"
        elif fd["name"] == "ma_values":
            fd["note"] = "NULL: combined table" if fd["value"] == "0x0" else "split table values"
    total = dict.__len__(o)  # type: ignore[arg-type]
    entries: list[dict[str, object]] = []
    cap = ctx.opts.max_items
    try:
        for k, v in islice(dict.items(o), cap):  # type: ignore[arg-type]
            kt = key_text(k)
            entries.append({"key": hex(id(k)), "value": hex(id(v)), "key_repr": kt})
            r.children.append((f"key {kt}", k))
            r.children.append((f"[{kt}]", v))
    except RuntimeError as exc:  # changed size during iteration (another thread)
        r.notes.append(f"dict changed while read: {exc}")
    r.blocks["dict"] = {"used": _value(data, lay, "ma_used"), "entries": entries}
    r.items_total = total
    r.children_complete = total <= cap
    r.memory = _own_memory(o, tp, ctx, data)
    return r


def _read_set(o: object, tp: type, ctx: Ctx) -> Reading:
    kind = "frozenset" if has_base(tp, frozenset) else "set"
    lay, data, r = _fixed_reading(o, tp, ctx, kind, "set")
    for fd in r.fields:
        if fd["name"] == "smalltable":
            fd["value"] = None
            fd["note"] = "8 inline entries {key, hash}, used while the set is small"
        elif fd["name"] == "table":
            inline = int(str(fd["value"]), 16) == id(o) + lay.field("smalltable").offset
            fd["note"] = "points at smalltable" if inline else "separate hash table"
    base = frozenset if kind == "frozenset" else set
    _items(r, base.__iter__(o), base.__len__(o), ctx, lambda i: "member")  # type: ignore[arg-type]
    r.memory = _own_memory(o, tp, ctx, data)
    return r


def _read_function(o: object, tp: type, ctx: Ctx) -> Reading:
    _lay, data, r = _fixed_reading(o, tp, ctx, "function")
    fd_ = types.FunctionType.__dict__
    code = fd_["__code__"].__get__(o, tp)
    summary = {
        "name": exact_str(fd_["__name__"].__get__(o, tp)),
        "qualname": exact_str(fd_["__qualname__"].__get__(o, tp)),
        "module": _text_or_none(fd_["__module__"].__get__(o, tp)) if "__module__" in fd_ else None,
        "file": exact_str(code.co_filename),
        "line": str(code.co_firstlineno),
        "arguments": str(code.co_argcount + code.co_kwonlyargcount),
    }
    r.blocks["summary"] = {k: v for k, v in summary.items() if v is not None}
    r.memory = _own_memory(o, tp, ctx, data)
    return r


def _text_or_none(x: object) -> str | None:
    return exact_str(x) if type(x) is str else None


def _read_class(o: object, tp: type, ctx: Ctx) -> Reading:
    _lay, data, r = _fixed_reading(o, tp, ctx, "class")
    k: type = o  # type: ignore[assignment]
    fl = flags(k)
    for fd in r.fields:
        if fd["name"] == "tp_name":
            fd["note"] = "C string"
        elif fd["name"] == "tp_flags":
            fd["note"] = ("heap type" if fl & layouts.Py_TPFLAGS_HEAPTYPE else "static type") + (
                ", GC" if fl & layouts.Py_TPFLAGS_HAVE_GC else ""
            )
    mro = ", ".join(type_name(b) for b in _mro(k)[:8])
    r.blocks["summary"] = {
        "name": exact_str(type_slot(k, "__name__")),
        "qualname": type_name(k),
        "module": type_module(k) or "?",
        "mro": mro,
        "basicsize": str(basicsize(k)),
        "itemsize": str(itemsize(k)),
        "flags": hex(fl),
        "attributes": str(len(type_slot(k, "__dict__"))),  # type: ignore[arg-type]
    }
    r.repr = f"<class {type_name(k)}>"
    r.memory = _own_memory(o, tp, ctx, data)
    return r


def _read_module(o: object, tp: type, ctx: Ctx) -> Reading:
    _lay, data, r = _fixed_reading(o, tp, ctx, "module")
    d = types.ModuleType.__dict__["__dict__"].__get__(o, tp)
    found = str_values(d, _MODULE_KEYS) if type(d) is dict else {}
    name = found.get("__name__")
    file = found.get("__file__")
    found.clear()
    r.blocks["summary"] = {
        "name": _text_or_none(name) or "?",
        "file": _text_or_none(file) or "(built-in)",
        "names": str(dict.__len__(d)),
    }
    r.repr = f"<module {_text_or_none(name) or '?'}>"
    r.memory = _own_memory(o, tp, ctx, data)
    return r


_MODULE_KEYS = frozenset({"__name__", "__file__"})


def _read_other(o: object, tp: type, ctx: Ctx) -> Reading:
    hdr = ctx.facts.header
    n = max(hdr.sizeof, basicsize(tp))
    data = read_bytes(id(o), n)
    fields = header_fields(ctx, data, tp, hdr)
    r = Reading("other", fields=fields)
    r.blocks["summary"] = {
        "type": type_name(tp),
        "module": type_module(tp) or "?",
        "basicsize": str(basicsize(tp)),
    }
    r.memory = memory_dict(id(o), data, n, ctx.opts.max_bytes)
    return r


# --------------------------------------------------------------------------------------------
# instances of user classes


def _read_instance(o: object, tp: type, ctx: Ctx) -> Reading:
    hdr = ctx.facts.header
    bs = basicsize(tp)
    n = max(hdr.sizeof, bs)
    data = read_bytes(id(o), n)
    r = Reading("instance", fields=header_fields(ctx, data, tp, hdr))
    r.memory = memory_dict(id(o), data, n, ctx.opts.max_bytes)
    _add_instance_dict(o, tp, ctx, r, data)
    r.blocks.setdefault("summary", {})
    r.blocks["summary"]["class"] = type_name(tp)  # type: ignore[index]
    return r


def _slot_descriptors(tp: type) -> list[tuple[type, str, Any]]:
    """(class, attribute name, member descriptor) for every __slots__ member, base first."""
    out = []
    for k in reversed(_mro(tp)):
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
    P = layouts.facts().interp.pointer_size
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
    members = layouts.select(layouts.DICT_KEYS, ctx.facts.interp)
    klay, ksize = layouts.struct_layout(members, P)
    head = read_bytes(keys_addr, ksize)
    kd = {f.name: int(_decode(head, f)) for f in klay}  # type: ignore[arg-type]
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


def _add_instance_dict(
    o: object, tp: type, ctx: Ctx, r: Reading, data: bytes | None = None
) -> None:
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
            if off is not None:
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
        if fl & layouts.Py_TPFLAGS_MANAGED_DICT:
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
            if fl & layouts.Py_TPFLAGS_INLINE_VALUES and pre.inline_values:
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
        if pre.weakref_word is not None and fl & layouts.Py_TPFLAGS_MANAGED_WEAKREF:
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
    if type(name) is not str or _value(data, lay, "d_name") != id(name):
        return None
    member = _value(data, lay, "d_member")
    if not member:
        return None
    mfields, msize = layouts.struct_layout(layouts.select(layouts.MEMBER_DEF, ctx.facts.interp), P)
    mdef = read_bytes(member, msize)
    by_name = {f.name: f for f in mfields}
    cname = int(_decode(mdef, by_name["name"]))  # type: ignore[arg-type]
    try:
        want = str.encode(name, "utf-8") + b"\0"
    except UnicodeError:
        return None
    if not cname or read_bytes(cname, len(want)) != want:
        return None
    return int(_decode(mdef, by_name["offset"]))  # type: ignore[arg-type]


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
    for i in range(n):
        ptr = int.from_bytes(raw[i * P : (i + 1) * P], "little")
        if not ptr:
            continue
        name = names[i] or f"<key {i}>"
        v = referents.get(ptr)
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
        attrs.append(
            {"name": name, "value": hex(ptr) if v is not None else None, "storage": storage}
        )
        if v is not None:
            r.children.append((f".{name}", v))
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
    for i in range(n):
        ptr = int.from_bytes(raw[i * P : (i + 1) * P], "little")
        if not ptr:
            continue
        name = names[i] or f"<key {i}>"
        v = referents.get(ptr)
        attrs.append(
            {"name": name, "value": hex(ptr) if v is not None else None, "storage": "dict"}
        )
        if v is not None:
            r.children.append((f".{name}", v))


_READERS: dict[str, Callable[[object, type, Ctx], Reading]] = {
    "none": _read_none,
    "int": _read_int,
    "bool": _read_int,
    "float": _read_float,
    "str": _read_str,
    "bytes": _read_bytes,
    "tuple": _read_tuple,
    "list": _read_list,
    "dict": _read_dict,
    "set": _read_set,
    "frozenset": _read_set,
    "function": _read_function,
    "class": _read_class,
    "module": _read_module,
    "instance": _read_instance,
    "other": _read_other,
}

__all__ = [
    "Ctx",
    "MemoryReadError",
    "Options",
    "Reading",
    "classify",
    "read_object",
    "safe_repr",
    "small_int_range",
    "snapshot",
    "type_name",
]
