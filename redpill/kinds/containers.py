"""Readers of containers: ``tuple`` (items inline), ``list`` (the separate ``ob_item``
array), ``dict`` (the keys object and its entries) and ``set`` / ``frozenset``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice
from typing import Any

from ..memory import (
    read_bytes,
)
from .context import (
    FIELD_ARRAY_CAP,
    Ctx,
    Reading,
    field_dict,
    field_value,
    fixed_reading,
    header_fields,
    memory_dict,
    own_memory,
)
from .typeinfo import has_base, key_text


def _items(
    r: Reading, it: Iterable[Any], total: int, ctx: Ctx, fmt: Callable[[int], str] = "[{}]".format
) -> None:
    cap = ctx.opts.max_items
    for i, x in enumerate(islice(it, cap)):
        r.children.append((fmt(i), x))
    r.children_are_items = True
    r.items_total = total
    r.children_complete = total <= cap


def read_tuple(o: object, tp: type, ctx: Ctx) -> Reading:
    """A tuple: its header, ``ob_size``, and its items inline in ``ob_item[]`` (the first ones
    as fields)."""
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


def read_list(o: object, tp: type, ctx: Ctx) -> Reading:
    """A list: its header, ``ob_size``, ``allocated``, and the separate ``ob_item`` array's
    items."""
    lay, data, r = fixed_reading(o, tp, ctx, "list")
    allocated = field_value(data, lay, "allocated")
    size = field_value(data, lay, "ob_size")
    for fd in reversed(r.fields):  # ob_item and allocated are the last two
        name = fd["name"]
        if name == "ob_item":
            fd["note"] = f"separate array of {allocated} slots ({size} used)"
            break
        if name == "allocated" and allocated == -1:
            fd["note"] = "-1 while list.sort() runs"
    r.blocks["list"] = {"allocated": allocated}
    _items(r, list.__iter__(o), list.__len__(o), ctx)  # type: ignore[arg-type]
    r.memory = own_memory(o, tp, ctx, data)
    return r


def read_dict(o: object, tp: type, ctx: Ctx) -> Reading:
    """A dict: its header, ``ma_used``, the keys object and values pointers, and the first
    entries."""
    lay, data, r = fixed_reading(o, tp, ctx, "dict")
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
    r.blocks["dict"] = {"used": field_value(data, lay, "ma_used"), "entries": entries}
    r.items_total = total
    r.children_complete = total <= cap
    r.memory = own_memory(o, tp, ctx, data)
    return r


def read_set(o: object, tp: type, ctx: Ctx) -> Reading:
    """A set or frozenset: its header, the hash table or the inline small table, and the
    members."""
    kind = "frozenset" if has_base(tp, frozenset) else "set"
    lay, data, r = fixed_reading(o, tp, ctx, kind, "set")
    for fd in r.fields:
        if fd["name"] == "smalltable":
            fd["value"] = None
            fd["note"] = "8 inline entries {key, hash}, used while the set is small"
        elif fd["name"] == "table":
            inline = int(str(fd["value"]), 16) == id(o) + lay.field("smalltable").offset
            fd["note"] = "points at smalltable" if inline else "separate hash table"
    base = frozenset if kind == "frozenset" else set
    _items(r, base.__iter__(o), base.__len__(o), ctx, lambda i: "member")  # type: ignore[arg-type]
    r.memory = own_memory(o, tp, ctx, data)
    return r
