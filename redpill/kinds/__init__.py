"""Per-kind readers: the C struct fields and the internals block of one object.

Each reader gets the object and its real type (``type(o)``, never ``o.__class__``),
reads memory only inside the object's own allocation(s), and calls no user code:
values are obtained with the builtin types' own methods (``list.__iter__``,
``dict.items``, ``int.__repr__`` ...), descriptors taken from ``type.__dict__``,
and ``gc.get_referents``.  A reader returns a :class:`Reading`; the children it
lists (items, attribute values) are temporary references that the payload
builder consumes at once (the collector must hold no stray references when it
reads refcounts).

One module per kind, as the renderer's ``src/draw/kinds/`` is split: :mod:`.integers`,
:mod:`.floats`, :mod:`.strings` (str and bytes), :mod:`.containers`, :mod:`.instances`,
:mod:`.buffers` (bytearray, memoryview, array.array, numpy's ndarray) and :mod:`.other`
(None, functions, classes, modules, the rest); :mod:`.context` holds what every reader
shares (the per-collection context, the header fields, the memory block) and
:mod:`.typeinfo` what a type really is (name, module, kind).
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter

from ..memory import read_bytes, type_slot
from .buffers import read_array, read_bytearray, read_memoryview, read_ndarray
from .containers import read_dict, read_list, read_set, read_tuple
from .context import Ctx, Reading, gc_head_fields, header_fields
from .floats import read_float
from .instances import add_instance_dict, read_instance, slot_offset
from .integers import int_text, read_int, small_int_range
from .other import read_class, read_function, read_module, read_none, read_other
from .strings import read_bytes_object, read_str
from .typeinfo import (
    classify,
    exact_str,
    exception_name,
    find_sizeof_owner,
    is_heap_type,
    key_text,
    safe_repr,
    type_module,
    type_name,
)


def read_object(o: object, ctx: Ctx) -> Reading:
    """Read one object; never raises (errors become notes)."""
    tp = type(o)
    facts = ctx.type_facts(tp)
    kind = facts.kind
    reader = _READERS.get(kind, read_other)
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
            add_instance_dict(o, tp, ctx, r)
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
    owner = ctx.type_facts(tp).sizeof_owner if ctx is not None else find_sizeof_owner(tp)
    if owner is None:
        return None
    meth = type_slot(owner, "__dict__")["__sizeof__"]  # type: ignore[index]
    try:
        return int(meth(o))
    except Exception:
        return None


_READERS: dict[str, Callable[[object, type, Ctx], Reading]] = {
    "none": read_none,
    "int": read_int,
    "bool": read_int,
    "float": read_float,
    "str": read_str,
    "bytes": read_bytes_object,
    "bytearray": read_bytearray,
    "memoryview": read_memoryview,
    "array": read_array,
    "ndarray": read_ndarray,
    "tuple": read_tuple,
    "list": read_list,
    "dict": read_dict,
    "set": read_set,
    "frozenset": read_set,
    "function": read_function,
    "class": read_class,
    "module": read_module,
    "instance": read_instance,
    "other": read_other,
}


__all__ = [
    "Ctx",
    "Reading",
    "builtin_sizeof",
    "classify",
    "exact_str",
    "exception_name",
    "int_text",
    "is_heap_type",
    "key_text",
    "read_object",
    "safe_repr",
    "slot_offset",
    "small_int_range",
    "type_module",
    "type_name",
]
