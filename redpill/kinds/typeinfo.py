"""What a type really is, read without running user code: its MRO, name, module,
whether it is a heap type or a ``class`` statement's, its schema ``kind``, and the
``repr`` the collector may show for builtin values."""

from __future__ import annotations

import sys
import types
from functools import cache

from .. import structs
from ..memory import (
    among,
    flags,
    read_bytes,
    type_slot,
)
from ..strkeys import str_value, str_values
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
    ext = extension_base(tp, mro)
    if ext is not None:
        return _EXTENSION_KINDS[type_slot(ext, "__qualname__")]  # type: ignore[index]
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
    (bytearray, "bytearray"),
    (memoryview, "memoryview"),
    (set, "set"),
    (types.FunctionType, "function"),
    (types.ModuleType, "module"),
)


#: Types of extension modules drawn as kinds of their own, by qualname -> kind, and the module
#: that defines each.  redpill imports neither module: a type is recognised only when its
#: module is already imported and holds that very type (``array.array``, ``numpy.ndarray``).
_EXTENSION_KINDS = {"array": "array", "ndarray": "ndarray"}
_EXTENSION_MODULES = {"array": "array", "ndarray": "numpy"}


def extension_base(tp: type, mro: tuple[type, ...] | None = None) -> type | None:
    """The extension type of :data:`_EXTENSION_KINDS` that ``tp`` is or derives from
    (``array.array``, ``numpy.ndarray``), found without importing its module or running
    user code; None if there is none."""
    for k in mro if mro is not None else real_mro(tp):
        qualname = type_slot(k, "__qualname__")
        if type(qualname) is not str or qualname not in _EXTENSION_KINDS:
            continue
        module = _EXTENSION_MODULES[qualname]
        if (
            type_module(k) == module
            and not is_python_class(k)
            and module_holds(module, qualname, k)
        ):
            return k
    return None


def module_holds(module: str, name: str, value: object) -> bool:
    """Whether the imported module ``module`` binds ``name`` to ``value`` (read from
    ``sys.modules`` and the module's dict by walking them: nothing is imported, no user
    ``__eq__`` runs)."""
    try:
        mods = sys.modules
        if type(mods) is not dict:
            return False
        found = str_values(mods, (module,)).get(module)
        if found is None or not has_base(type(found), types.ModuleType):
            return False
        d = types.ModuleType.__dict__["__dict__"].__get__(found, type(found))
        return type(d) is dict and str_value(d, name, None) is value
    except Exception:
        return False


def find_sizeof_owner(tp: type) -> type | None:
    """The nearest static type in the MRO that defines ``__sizeof__``."""
    for k in real_mro(tp):
        if not is_heap_type(k) and "__sizeof__" in type_slot(k, "__dict__"):  # type: ignore[operator]
            return k
    return None
