"""What every reader shares: the per-collection :class:`Ctx` (interpreter facts,
options, type facts cached per collection), the :class:`Reading` a reader returns, the
object header's fields (``ob_refcnt``, ``ob_type`` ...) decoded from one snapshot of the
bytes, the GC head before tracked objects, and the memory block shown as hex."""

from __future__ import annotations

import gc
import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import structs
from ..memory import (
    basicsize,
    read_bytes,
)
from ..options import Options
from ..structs import Facts, Field, StructLayout
from .typeinfo import classify, find_sizeof_owner, is_python_class, type_module, type_name

JSON_INT_MAX = 2**53


#: How many elements of an inline array (tuple ob_item, int ob_digit) are listed as fields.
FIELD_ARRAY_CAP = 16


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
    """One C field as the payload has it: name, offset, size, C type, value (and where it
    points)."""
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
    """The payload's memory block: the first ``cap`` bytes of ``data`` (read at ``block_addr``)
    as hex, and the block's whole size."""
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
        self.facts = facts or structs.facts()
        self.P = self.facts.interp.pointer_size
        self._types: dict[int, TypeFacts] = {}
        self._layouts: dict[str, StructLayout] = {}
        #: C-level holders already credited with their reference in this collection (a
        #: memoryview's managed buffer, which several views may share)
        self.credited: set[int] = set()

    def type_facts(self, tp: type) -> TypeFacts:
        """What this collection knows of ``tp`` (looked up once per type, by id)."""
        t = self._types.get(id(tp))
        if t is None:
            t = self._types[id(tp)] = TypeFacts(
                kind=classify(tp),
                name=type_name(tp),
                module=type_module(tp),
                address=hex(id(tp)),
                python_class=is_python_class(tp),
                basicsize=basicsize(tp),
                sizeof_owner=find_sizeof_owner(tp),
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
        """``structs.layout(kind)`` for this interpreter, without hashing it every time."""
        lay = self._layouts.get(kind)
        if lay is None:
            lay = self._layouts[kind] = structs.layout(kind, self.facts.interp)
        return lay

    def hidden(self, name: str) -> bool:
        """Whether ``--hide`` leaves out the part or C field ``name``."""
        return name in self.opts.hide


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
        values = [decode_field(data, p[1]) for p in parts]
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


def decode_field(data: bytes, f: Field) -> int | float | bytes:
    """The value of field ``f`` in the bytes ``data`` (an int, a double, or raw bytes)."""
    if f.kind == "int":
        return int.from_bytes(data[f.offset : f.offset + f.size], "little", signed=f.signed)
    raw = data[f.offset : f.offset + f.size]
    if f.kind == "double":
        return struct.unpack("<d", raw)[0]
    if f.kind == "bytes":
        return raw
    return int.from_bytes(raw, "little", signed=f.signed)


def field_value(data: bytes, lay: StructLayout, name: str) -> int:
    """The integer value of the field ``name`` of ``lay`` in ``data``."""
    f = lay.by_name[name]
    return int(decode_field(data, f))  # type: ignore[arg-type]


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


def fixed_reading(
    o: object, tp: type, ctx: Ctx, kind: str, layout_kind: str | None = None
) -> tuple[StructLayout, bytes, Reading]:
    """How a reader of a fixed-size struct starts: its layout, one snapshot of the
    fixed part, and a Reading holding the fields that snapshot covers."""
    lay = ctx.layout(layout_kind or kind)
    data, _n = _fixed(o, tp, ctx, lay)
    return lay, data, Reading(kind, fields=header_fields(ctx, data, tp, lay))


def own_memory(o: object, tp: type, ctx: Ctx, data: bytes) -> dict[str, object]:
    """The memory block of an object whose allocation is its type's basic size."""
    return memory_dict(id(o), data, ctx.type_facts(tp).basicsize, ctx.opts.max_bytes)


def _fixed(o: object, tp: type, ctx: Ctx, lay: StructLayout) -> tuple[bytes, int]:
    n = min(ctx.type_facts(tp).basicsize, lay.sizeof) if lay.tail is None else lay.tail.offset
    n = max(n, ctx.facts.header.sizeof)
    return read_bytes(id(o), n), n
