"""Readers of the rest: ``None``, functions, classes, modules, and any other object (its
header and a summary of its type)."""

from __future__ import annotations

import types

from .. import structs
from ..memory import (
    basicsize,
    flags,
    itemsize,
    read_bytes,
    type_slot,
)
from ..strkeys import str_values
from .context import Ctx, Reading, fixed_reading, header_fields, memory_dict, own_memory
from .typeinfo import exact_str, real_mro, type_module, type_name


def read_none(o: object, tp: type, ctx: Ctx) -> Reading:
    """``None``: the header of a static singleton."""
    lay = ctx.layout("object")
    data = read_bytes(id(o), lay.sizeof)
    r = Reading("none", fields=header_fields(ctx, data, tp, lay))
    r.memory = memory_dict(id(o), data, lay.sizeof, ctx.opts.max_bytes)
    r.repr = "None"
    return r


def read_function(o: object, tp: type, ctx: Ctx) -> Reading:
    """A function: its header and a summary (name, module, file, line, arguments)."""
    _lay, data, r = fixed_reading(o, tp, ctx, "function")
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
    r.memory = own_memory(o, tp, ctx, data)
    return r


def _text_or_none(x: object) -> str | None:
    return exact_str(x) if type(x) is str else None


def read_class(o: object, tp: type, ctx: Ctx) -> Reading:
    """A class: its ``PyTypeObject`` fields and a summary (name, module, MRO, sizes, flags)."""
    _lay, data, r = fixed_reading(o, tp, ctx, "class")
    k: type = o  # type: ignore[assignment]
    fl = flags(k)
    for fd in r.fields:
        if fd["name"] == "tp_name":
            fd["note"] = "C string"
        elif fd["name"] == "tp_flags":
            fd["note"] = ("heap type" if fl & structs.Py_TPFLAGS_HEAPTYPE else "static type") + (
                ", GC" if fl & structs.Py_TPFLAGS_HAVE_GC else ""
            )
    mro = ", ".join(type_name(b) for b in real_mro(k)[:8])
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
    r.memory = own_memory(o, tp, ctx, data)
    return r


def read_module(o: object, tp: type, ctx: Ctx) -> Reading:
    """A module: its header and a summary (name and file, read from its dict without a lookup)."""
    _lay, data, r = fixed_reading(o, tp, ctx, "module")
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
    r.memory = own_memory(o, tp, ctx, data)
    return r


_MODULE_KEYS = frozenset({"__name__", "__file__"})


def read_other(o: object, tp: type, ctx: Ctx) -> Reading:
    """Any other object: its header and a summary of its type."""
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
