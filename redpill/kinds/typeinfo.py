"""What a type really is, read without running user code: its MRO, name, module,
whether it is a heap type or a ``class`` statement's, its schema ``kind``, and the
``repr`` the collector may show for builtin values."""

from __future__ import annotations

import types
from functools import cache

from .. import structs
from ..memory import (
    among,
    flags,
    read_bytes,
    type_slot,
)
from ..strkeys import str_value
from ..text import NAME_CHARS, shown


def real_mro(tp: type) -> tuple[type, ...]:
    """The real MRO of ``tp`` (``type``'s own descriptor: a metaclass cannot lie)."""
    return type_slot(tp, "__mro__")  # type: ignore[return-value]


def has_base(tp: type, base: type) -> bool:
    """issubclass on the real MRO (no __subclasscheck__, no __class__)."""
    return among(base, real_mro(tp))


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
    """Whether ``tp`` is a heap type (made at run time: classes, most extension types)."""
    return bool(flags(tp) & structs.Py_TPFLAGS_HEAPTYPE)


def _tp_dealloc(tp: type) -> int:
    f = structs.layout("class", structs.CURRENT).field("tp_dealloc")
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
            return ellipsized(int.__repr__(o), cap)  # type: ignore[arg-type]
        if tp is float:
            return float.__repr__(o)  # type: ignore[arg-type]
        if tp is str:
            return ellipsized(str.__repr__(str.__getitem__(o, slice(0, cap))), cap + 2)  # type: ignore[arg-type]
        if tp is bytes:
            return ellipsized(bytes.__repr__(bytes.__getitem__(o, slice(0, cap))), cap + 3)  # type: ignore[arg-type]
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


def ellipsized(s: str, n: int) -> str:
    """``s`` cut to ``n`` characters, the last one an ellipsis."""
    return s if len(s) <= n else s[: n - 1] + "…"


def key_text(k: object, cap: int = 40) -> str:
    """A dict key as a subscript: 'a', 3, <Foo at 0x..>."""
    return safe_repr(k, type(k), cap)


def classify(tp: type) -> str:
    """The schema's ``kind`` for an object of real type ``tp``."""
    mro = real_mro(tp)
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


def find_sizeof_owner(tp: type) -> type | None:
    """The nearest static type in the MRO that defines ``__sizeof__``."""
    for k in real_mro(tp):
        if not is_heap_type(k) and "__sizeof__" in type_slot(k, "__dict__"):  # type: ignore[operator]
            return k
    return None
