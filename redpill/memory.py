"""Reading raw memory, only inside live objects' own allocations.

Every read goes through :func:`read_bytes`, which takes one ``ctypes.string_at``
snapshot of ``[address, address + n)``.  Callers compute ``n`` with
:func:`safe_length` (reference §5.8): it is derived from the *type's* layout and
the object's own length fields, never from ``sys.getsizeof`` or a user
``__sizeof__``.  Objects are never re-created from raw pointers: pointers read
here are only compared with ``id()`` of objects obtained through Python.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass

from . import layouts
from .layouts import Facts, Field, StructLayout

try:
    from ctypes import string_at as _string_at
except ImportError:  # WASI: interp.unsupported_reason() refuses before any read
    _string_at = None  # type: ignore[assignment]

#: The largest single read redpill ever makes (bytes); larger objects are read in part.
MAX_READ = 1 << 20


class MemoryReadError(RuntimeError):
    pass


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
    return int.from_bytes(read_bytes(address, size), "little", signed=signed)


@dataclass(frozen=True)
class Block:
    """A snapshot of ``len(data)`` bytes starting at ``address``."""

    address: int
    data: bytes

    def covers(self, offset: int, size: int) -> bool:
        return 0 <= offset and offset + size <= len(self.data)

    def value(self, f: Field) -> int | float | bytes:
        return decode(self.data, f.offset, f)

    def int_at(self, offset: int, size: int, signed: bool = False) -> int:
        return int.from_bytes(self.data[offset : offset + size], "little", signed=signed)


def decode(data: bytes, offset: int, f: Field) -> int | float | bytes:
    raw = data[offset : offset + f.size]
    if len(raw) != f.size:
        raise MemoryReadError(f"field {f.name} at {offset} is outside the snapshot")
    if f.kind == "double":
        return struct.unpack("<d", raw)[0]
    if f.kind == "bytes":
        return raw
    return int.from_bytes(raw, "little", signed=f.signed)


def snapshot(address: int, n: int) -> Block:
    return Block(address, read_bytes(address, n))


# --------------------------------------------------------------------------------------------
# safe lengths (reference §5.8)


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
    return int(type_slot(tp, "__basicsize__"))  # type: ignore[call-overload]


def itemsize(tp: type) -> int:
    return int(type_slot(tp, "__itemsize__"))  # type: ignore[call-overload]


def flags(tp: type) -> int:
    return int(type_slot(tp, "__flags__"))  # type: ignore[call-overload]


def str_sizes(facts: Facts) -> tuple[int, int, int]:
    """sizeof(PyASCIIObject), sizeof(PyCompactUnicodeObject), sizeof(PyUnicodeObject)."""
    return (
        layouts.layout("str_ascii", facts.interp).sizeof,
        layouts.layout("str_compact", facts.interp).sizeof,
        layouts.layout("str_legacy", facts.interp).sizeof,
    )


def int_length(lay: StructLayout, ndigits: int) -> int:
    assert lay.tail is not None
    return lay.tail.offset + lay.tail.size * max(1, ndigits)


def str_length(facts: Facts, length: int, kind: int, compact: bool, ascii: bool) -> int:
    s_ascii, s_compact, s_legacy = str_sizes(facts)
    if not compact:
        return s_legacy
    if ascii:
        return s_ascii + length + 1
    return s_compact + (length + 1) * kind


def var_length(tp: type, count: int) -> int:
    """basicsize + itemsize * count, for types whose ob_size is genuine."""
    return basicsize(tp) + itemsize(tp) * abs(count)
