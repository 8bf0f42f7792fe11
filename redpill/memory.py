"""Reading raw memory, only inside live objects' own allocations.

Every read goes through :func:`read_bytes`, which takes one ``ctypes.string_at``
snapshot of ``[address, address + n)``.  Callers compute ``n`` from the *type's*
layout (``tp_basicsize``, ``tp_itemsize``) and the object's own length fields
(:func:`int_length`, :func:`str_length` ...), never from ``sys.getsizeof`` or a user
``__sizeof__``.  Objects are never re-created from raw pointers: pointers read
here are only compared with ``id()`` of objects obtained through Python.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import structs
from .structs import Facts, StructLayout

try:
    from ctypes import string_at as _string_at
except ImportError:  # WASI: interp.unsupported_reason() refuses before any read
    _string_at = None  # type: ignore[assignment]

#: The largest single read redpill ever makes (bytes); larger objects are read in part.
MAX_READ = 1 << 20


class MemoryReadError(RuntimeError):
    """A read redpill refuses to make (a null address, or more than :data:`MAX_READ`)."""


def read_bytes(address: int, n: int) -> bytes:
    """Copy ``n`` bytes from ``address`` (which the caller vouches for)."""
    if address <= 0:
        raise MemoryReadError(f"refusing to read from address {address:#x}")
    if n <= 0:
        return b""
    if n > MAX_READ:
        raise MemoryReadError(f"refusing to read {n} bytes at once")
    return _string_at(address, n)


def read_word(address: int, size: int, signed: bool = False) -> int:
    """The little-endian integer of ``size`` bytes at ``address``."""
    return int.from_bytes(read_bytes(address, size), "little", signed=signed)


# --------------------------------------------------------------------------------------------
# types read through type's own descriptors, and the lengths of objects


def among(x: object, options: Iterable[object]) -> bool:
    """``x in options`` by identity alone: ``in`` compares with ``==``, and a class whose
    metaclass defines ``__eq__`` would run it (user code)."""
    for o in options:
        if o is x:
            return True
    return False


def mro(tp: type) -> tuple[type, ...]:
    """The real MRO of ``tp`` (``type``'s own descriptor: no metaclass can lie)."""
    return type.__dict__["__mro__"].__get__(tp, type)  # type: ignore[no-any-return]


def type_slot(tp: type, name: str) -> object:
    """A type attribute read through ``type``'s own descriptor (metaclasses cannot lie)."""
    return type.__dict__[name].__get__(tp, type)


def basicsize(tp: type) -> int:
    """``tp_basicsize`` of ``tp``."""
    return int(type_slot(tp, "__basicsize__"))  # type: ignore[call-overload]


def itemsize(tp: type) -> int:
    """``tp_itemsize`` of ``tp``."""
    return int(type_slot(tp, "__itemsize__"))  # type: ignore[call-overload]


def flags(tp: type) -> int:
    """``tp_flags`` of ``tp``."""
    return int(type_slot(tp, "__flags__"))  # type: ignore[call-overload]


def str_sizes(facts: Facts) -> tuple[int, int, int]:
    """sizeof(PyASCIIObject), sizeof(PyCompactUnicodeObject), sizeof(PyUnicodeObject)."""
    return (
        structs.layout("str_ascii", facts.interp).sizeof,
        structs.layout("str_compact", facts.interp).sizeof,
        structs.layout("str_legacy", facts.interp).sizeof,
    )


def int_length(lay: StructLayout, ndigits: int) -> int:
    """The bytes of an int with ``ndigits`` digits (at least one digit is allocated)."""
    assert lay.tail is not None
    return lay.tail.offset + lay.tail.size * max(1, ndigits)


def str_length(facts: Facts, length: int, kind: int, compact: bool, ascii: bool) -> int:
    """The bytes of a str's allocation: its struct, then ``length + 1`` characters of ``kind``
    bytes when compact."""
    s_ascii, s_compact, s_legacy = str_sizes(facts)
    if not compact:
        return s_legacy
    if ascii:
        return s_ascii + length + 1
    return s_compact + (length + 1) * kind


def var_length(tp: type, count: int) -> int:
    """basicsize + itemsize * count, for types whose ob_size is genuine."""
    return basicsize(tp) + itemsize(tp) * abs(count)
