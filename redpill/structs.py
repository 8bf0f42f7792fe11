"""All version-specific CPython struct knowledge, as data.

Every table is a list of :class:`Rule` rows keyed by (minor version range,
free-threaded build, pointer size); :func:`select` picks the first row that
matches an :class:`~redpill.interp.Interpreter`.  Struct offsets are not typed
in by hand: each struct is a list of ``(field name, C type)`` in declaration
order, and :func:`struct_layout` applies the C alignment rules, which
reproduces ``offsetof()`` for the GCC/Clang ABIs on x86-64, aarch64 and wasm32
(Pyodide).  The tests compare the results with ``__basicsize__`` and with
pointers read from live objects on every interpreter available.

Sources: CPython's headers for each release tag (the object header, immortality,
PyLong, the other objects' structs, managed dicts and inline values), as checked in
the project's reference notes on CPython object layouts per version.

No other module may branch on ``sys.version_info``: ask this one.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Generic, TypeVar

from .interp import CURRENT, Interpreter

T = TypeVar("T")

# --------------------------------------------------------------------------------------------
# rules


@dataclass(frozen=True)
class Rule(Generic[T]):
    """One row of a version table."""

    minors: tuple[int, int]
    value: T
    free_threaded: bool | None = None  # None: both builds
    pointer_size: int | None = None  # None: 4 and 8

    def matches(self, minor: int, free_threaded: bool, pointer_size: int) -> bool:
        """Whether this row applies to ``interp``."""
        lo, hi = self.minors
        return (
            lo <= minor <= hi
            and (self.free_threaded is None or self.free_threaded == free_threaded)
            and (self.pointer_size is None or self.pointer_size == pointer_size)
        )


class NoLayout(LookupError):
    """No table row for this interpreter."""


def select(table: Sequence[Rule[T]], interp: Interpreter = CURRENT) -> T:
    """The value of the first row of ``rules`` that matches ``interp``."""
    for rule in table:
        if rule.matches(interp.minor, interp.free_threaded, interp.pointer_size):
            return rule.value
    raise NoLayout(
        f"no layout row for CPython 3.{interp.minor} "
        f"(free_threaded={interp.free_threaded}, pointer_size={interp.pointer_size})"
    )


# --------------------------------------------------------------------------------------------
# C types

# name -> (size, alignment, signed, kind); "P" means the pointer size.
# kind: "int" (decoded as an integer), "ptr" (shown as hex, may point at an object),
# "double", "bytes" (char arrays).
_CTYPES: dict[str, tuple[int | str, int | str, bool, str]] = {
    "Py_ssize_t": ("P", "P", True, "int"),
    "Py_hash_t": ("P", "P", True, "int"),
    "uintptr_t": ("P", "P", False, "int"),
    "unsigned long": ("P", "P", False, "int"),  # LP64 (Linux, macOS); 4 on wasm32
    "uint64_t": (8, 8, False, "int"),
    "npy_uint64": (8, 8, False, "int"),
    "npy_intp": ("P", "P", True, "int"),
    "int64_t": (8, 8, True, "int"),
    "double": (8, 8, True, "double"),
    "uint32_t": (4, 4, False, "int"),
    "int32_t": (4, 4, True, "int"),
    "int": (4, 4, True, "int"),  # every ABI redpill supports (ILP32, LP64)
    "digit": (4, 4, False, "int"),  # PyLong_SHIFT 30 from 3.11 on, everywhere
    "uint16_t": (2, 2, False, "int"),
    "uint8_t": (1, 1, False, "int"),
    "PyMutex": (1, 1, False, "int"),
    "char": (1, 1, False, "bytes"),
}


FUNCTION_POINTERS = frozenset(
    (
        "destructor",
        "getattrfunc",
        "setattrfunc",
        "reprfunc",
        "hashfunc",
        "ternaryfunc",
        "getattrofunc",
        "setattrofunc",
    )
)


def ctype_info(ctype: str, pointer_size: int) -> tuple[int, int, bool, str]:
    """(size, alignment, signed, kind) of a C type on a target with this pointer size."""
    if ctype.endswith("*") or ctype in FUNCTION_POINTERS:
        return pointer_size, pointer_size, False, "ptr"
    if ctype.startswith("setentry"):  # struct {PyObject *key; Py_hash_t hash;}
        return 2 * pointer_size, pointer_size, False, "bytes"
    size, align, signed, kind = _CTYPES[ctype]
    return (
        pointer_size if size == "P" else int(size),
        pointer_size if align == "P" else int(align),
        signed,
        kind,
    )


@dataclass(frozen=True)
class Field:
    """One C struct member at a fixed offset from the object's address."""

    name: str
    offset: int
    size: int
    ctype: str
    signed: bool
    kind: str  # int | ptr | double | bytes

    def as_payload(self) -> dict[str, object]:
        """The payload's description of this field."""
        return {"name": self.name, "offset": self.offset, "size": self.size, "ctype": self.ctype}


def _align(n: int, a: int) -> int:
    return (n + a - 1) // a * a


def struct_layout(
    members: Sequence[tuple[str, str]], pointer_size: int, start: int = 0
) -> tuple[tuple[Field, ...], int]:
    """Lay out C struct members with natural alignment, as offsetof() does.

    ``start`` continues a struct that begins with another one (e.g. PyObject_HEAD).
    Returns the fields and sizeof (rounded up to the largest alignment).
    """
    out: list[Field] = []
    off = start
    max_align = pointer_size
    for name, ctype in members:
        count = 1
        if "[" in ctype:  # "setentry[8]"
            base, _, n = ctype.partition("[")
            count = int(n.rstrip("]"))
            ctype_base = base
        else:
            ctype_base = ctype
        size, align, signed, kind = ctype_info(ctype_base, pointer_size)
        max_align = max(max_align, align)
        off = _align(off, align)
        out.append(Field(name, off, size * count, ctype, signed, kind))
        off += size * count
    return tuple(out), _align(off, max_align)


# --------------------------------------------------------------------------------------------
# the object header

_HEAD_CLASSIC = (("ob_refcnt", "Py_ssize_t"), ("ob_type", "PyTypeObject *"))
_HEAD_314_64 = (
    ("ob_refcnt", "uint32_t"),
    ("ob_overflow", "uint16_t"),
    ("ob_flags", "uint16_t"),
    ("ob_type", "PyTypeObject *"),
)
_HEAD_313T = (
    ("ob_tid", "uintptr_t"),
    ("_padding", "uint16_t"),
    ("ob_mutex", "PyMutex"),
    ("ob_gc_bits", "uint8_t"),
    ("ob_ref_local", "uint32_t"),
    ("ob_ref_shared", "Py_ssize_t"),
    ("ob_type", "PyTypeObject *"),
)
_HEAD_314T = tuple(("ob_flags", t) if n == "_padding" else (n, t) for n, t in _HEAD_313T)

#: PyObject_HEAD members (Include/object.h).
HEADER: list[Rule[tuple[tuple[str, str], ...]]] = [
    Rule((11, 13), _HEAD_CLASSIC, free_threaded=False),
    Rule((14, 15), _HEAD_314_64, free_threaded=False, pointer_size=8),
    Rule((14, 15), _HEAD_CLASSIC, free_threaded=False, pointer_size=4),
    Rule((13, 13), _HEAD_313T, free_threaded=True),
    Rule((14, 15), _HEAD_314T, free_threaded=True),
]

_VAR = (("ob_size", "Py_ssize_t"),)

# --------------------------------------------------------------------------------------------
# per-type bodies: members after PyObject_HEAD, in declaration order, plus the trailing
# variable-size array (name, C type) if any.


@dataclass(frozen=True)
class Body:
    """A struct's fields after the header, in declaration order, as ``(name, C type)``."""

    members: tuple[tuple[str, str], ...]
    tail: tuple[str, str] | None = None  # trailing array: (name, element C type)
    tail_extra: int = 0  # elements allocated beyond the count (bytes: the NUL)


_LONG_311 = Body(_VAR, ("ob_digit", "digit"))
_LONG_312 = Body((("lv_tag", "uintptr_t"),), ("ob_digit", "digit"))
_TUPLE_311 = Body(_VAR, ("ob_item", "PyObject *"))
_TUPLE_314 = Body((*_VAR, ("ob_hash", "Py_hash_t")), ("ob_item", "PyObject *"))
_ASCII_311 = (
    ("length", "Py_ssize_t"),
    ("hash", "Py_hash_t"),
    ("state", "uint32_t"),
    ("wstr", "wchar_t *"),
)
_ASCII_312 = _ASCII_311[:3]
_COMPACT_311 = (("utf8_length", "Py_ssize_t"), ("utf8", "char *"), ("wstr_length", "Py_ssize_t"))
_COMPACT_312 = _COMPACT_311[:2]
_DICT_311 = (
    ("ma_used", "Py_ssize_t"),
    ("ma_version_tag", "uint64_t"),
    ("ma_keys", "PyDictKeysObject *"),
    ("ma_values", "PyDictValues *"),
)
_DICT_314 = tuple(("_ma_watcher_tag", t) if n == "ma_version_tag" else (n, t) for n, t in _DICT_311)
_SET = (
    ("fill", "Py_ssize_t"),
    ("used", "Py_ssize_t"),
    ("mask", "Py_ssize_t"),
    ("table", "setentry *"),
    ("hash", "Py_hash_t"),
    ("finger", "Py_ssize_t"),
    ("smalltable", "setentry[8]"),
    ("weakreflist", "PyObject *"),
)
_FUNC = (
    ("func_globals", "PyObject *"),
    ("func_builtins", "PyObject *"),
    ("func_name", "PyObject *"),
    ("func_qualname", "PyObject *"),
    ("func_code", "PyObject *"),
    ("func_defaults", "PyObject *"),
    ("func_kwdefaults", "PyObject *"),
    ("func_closure", "PyObject *"),
    ("func_doc", "PyObject *"),
    ("func_dict", "PyObject *"),
    ("func_weakreflist", "PyObject *"),
    ("func_module", "PyObject *"),
)
_TYPE = (
    *_VAR,
    ("tp_name", "const char *"),
    ("tp_basicsize", "Py_ssize_t"),
    ("tp_itemsize", "Py_ssize_t"),
    ("tp_dealloc", "destructor"),
    ("tp_vectorcall_offset", "Py_ssize_t"),
    ("tp_getattr", "getattrfunc"),
    ("tp_setattr", "setattrfunc"),
    ("tp_as_async", "PyAsyncMethods *"),
    ("tp_repr", "reprfunc"),
    ("tp_as_number", "PyNumberMethods *"),
    ("tp_as_sequence", "PySequenceMethods *"),
    ("tp_as_mapping", "PyMappingMethods *"),
    ("tp_hash", "hashfunc"),
    ("tp_call", "ternaryfunc"),
    ("tp_str", "reprfunc"),
    ("tp_getattro", "getattrofunc"),
    ("tp_setattro", "setattrofunc"),
    ("tp_as_buffer", "PyBufferProcs *"),
    ("tp_flags", "unsigned long"),
)

_MEMBER_DESCR = (
    ("d_type", "PyTypeObject *"),
    ("d_name", "PyObject *"),
    ("d_qualname", "PyObject *"),
    ("d_member", "PyMemberDef *"),
)

_BYTEARRAY_311 = (
    *_VAR,
    ("ob_alloc", "Py_ssize_t"),
    ("ob_bytes", "char *"),
    ("ob_start", "char *"),
    ("ob_exports", "Py_ssize_t"),
)
#: 3.15: the buffer is the ``ob_sval`` of a bytes object (zero-copy ``take_bytes``)
_BYTEARRAY_315 = (*_BYTEARRAY_311, ("ob_bytes_object", "PyObject *"))

#: Py_buffer (Include/pybuffer.h), flattened into the struct that holds it (its members are
#: pointer-aligned, so the offsets are the nested struct's).
_PY_BUFFER = (
    ("buf", "void *"),
    ("obj", "PyObject *"),
    ("len", "Py_ssize_t"),
    ("itemsize", "Py_ssize_t"),
    ("readonly", "int"),
    ("ndim", "int"),
    ("format", "char *"),
    ("shape", "Py_ssize_t *"),
    ("strides", "Py_ssize_t *"),
    ("suboffsets", "Py_ssize_t *"),
    ("internal", "void *"),
)
#: PyMemoryViewObject (Include/cpython/memoryobject.h): its own copy of the exporter's view,
#: then shape, strides and suboffsets in ``ob_array`` (``3 * ndim`` entries).
_MEMORYVIEW = (
    *_VAR,
    ("mbuf", "_PyManagedBufferObject *"),
    ("hash", "Py_hash_t"),
    ("flags", "int"),
    ("exports", "Py_ssize_t"),
    *((f"view.{name}", ctype) for name, ctype in _PY_BUFFER),
    ("weakreflist", "PyObject *"),
)
#: arrayobject (Modules/arraymodule.c): ``allocated`` counts items, not bytes.
_ARRAY = (
    *_VAR,
    ("ob_item", "char *"),
    ("allocated", "Py_ssize_t"),
    ("ob_descr", "const struct arraydescr *"),
    ("weakreflist", "PyObject *"),
    ("ob_exports", "Py_ssize_t"),
)

#: kind -> rows of Body.  Kinds: the schema's "kind" values plus the str sub-layouts.
BODIES: dict[str, list[Rule[Body]]] = {
    "object": [Rule((11, 15), Body(()))],
    "int": [Rule((11, 11), _LONG_311), Rule((12, 15), _LONG_312)],
    "float": [Rule((11, 15), Body((("ob_fval", "double"),)))],
    # PyASCIIObject (compact ASCII: the characters follow it)
    "str_ascii": [Rule((11, 11), Body(_ASCII_311)), Rule((12, 15), Body(_ASCII_312))],
    # PyCompactUnicodeObject (compact non-ASCII)
    "str_compact": [
        Rule((11, 11), Body(_ASCII_311 + _COMPACT_311)),
        Rule((12, 15), Body(_ASCII_312 + _COMPACT_312)),
    ],
    # PyUnicodeObject (non-compact: str subclasses; data elsewhere)
    "str_legacy": [
        Rule((11, 11), Body((*_ASCII_311, *_COMPACT_311, ("data", "void *")))),
        Rule((12, 15), Body((*_ASCII_312, *_COMPACT_312, ("data", "void *")))),
    ],
    "bytes": [Rule((11, 15), Body((*_VAR, ("ob_shash", "Py_hash_t")), ("ob_sval", "char"), 1))],
    "bytearray": [Rule((11, 14), Body(_BYTEARRAY_311)), Rule((15, 15), Body(_BYTEARRAY_315))],
    "memoryview": [Rule((11, 15), Body(_MEMORYVIEW, ("ob_array", "Py_ssize_t")))],
    "array": [Rule((11, 15), Body(_ARRAY))],
    "tuple": [Rule((11, 13), _TUPLE_311), Rule((14, 15), _TUPLE_314)],
    "list": [
        Rule((11, 15), Body((*_VAR, ("ob_item", "PyObject **"), ("allocated", "Py_ssize_t"))))
    ],
    "dict": [Rule((11, 13), Body(_DICT_311)), Rule((14, 15), Body(_DICT_314))],
    "set": [Rule((11, 15), Body(_SET))],
    "function": [Rule((11, 15), Body(_FUNC))],
    "module": [Rule((11, 15), Body((("md_dict", "PyObject *"),)))],
    "class": [Rule((11, 15), Body(_TYPE))],
    # PyMemberDescrObject (Include/descrobject.h): PyDescr_COMMON, then d_member
    "member_descr": [Rule((11, 15), Body(_MEMBER_DESCR))],
}


#: (kind, size, signed) -> struct code, little-endian standard sizes
_STRUCT_CODES: dict[tuple[str, int, bool], str] = {
    **{("int", n, True): c for n, c in ((1, "b"), (2, "h"), (4, "i"), (8, "q"))},
    **{("int", n, False): c for n, c in ((1, "B"), (2, "H"), (4, "I"), (8, "Q"))},
    **{("ptr", n, False): c for n, c in ((4, "I"), (8, "Q"))},
    ("double", 8, True): "d",
    ("double", 8, False): "d",
}


@dataclass(frozen=True)
class StructLayout:
    """A type's fixed fields (header included) and where its trailing array starts."""

    fields: tuple[Field, ...]
    sizeof: int  # sizeof the fixed part (== __basicsize__ for most types)
    tail: Field | None  # element 0 of the trailing array, if any
    tail_extra: int

    @cached_property
    def by_name(self) -> dict[str, Field]:
        """The fields by name."""
        return {f.name: f for f in reversed(self.fields)}  # the first of a name wins

    def field(self, name: str) -> Field:
        """The field ``name`` (KeyError if this struct has none)."""
        return self.by_name[name]

    @cached_property
    def unpacker(self) -> struct.Struct | None:
        """One little-endian ``struct.Struct`` for all fixed fields, padding included
        (None when fields overlap or a C type has no struct code)."""
        fmt = ["<"]
        at = 0
        for f in self.fields:
            if f.offset < at:
                return None
            code = _STRUCT_CODES.get((f.kind, f.size, f.signed))
            if f.kind == "bytes":
                code = f"{f.size}s"
            if code is None:
                return None
            if f.offset > at:
                fmt.append(f"{f.offset - at}x")
            fmt.append(code)
            at = f.offset + f.size
        return struct.Struct("".join(fmt))

    def has(self, name: str) -> bool:
        """Whether this struct has a field ``name``."""
        return any(f.name == name for f in self.fields)


@cache
def header(interp: Interpreter = CURRENT) -> StructLayout:
    """The object header's layout (``PyObject``) on ``interp``."""
    fields, size = struct_layout(select(HEADER, interp), interp.pointer_size)
    return StructLayout(fields, size, None, 0)


@cache
def layout(kind: str, interp: Interpreter = CURRENT) -> StructLayout:
    """The full layout of a kind on this interpreter (header + body)."""
    body = select(BODIES[kind], interp)
    P = interp.pointer_size
    members = (*select(HEADER, interp), *body.members)
    fields, size = struct_layout(members, P)
    tail = None
    if body.tail is not None:
        name, ctype = body.tail
        (tail,), _ = struct_layout(
            [(f"{name}[0]", ctype)], P, start=_unaligned_end(fields) if fields else 0
        )
        # a flexible array member starts at the aligned end of the fixed part, not at sizeof
    return StructLayout(fields, size, tail, body.tail_extra)


def _unaligned_end(fields: Sequence[Field]) -> int:
    last = fields[-1]
    return last.offset + last.size


# --------------------------------------------------------------------------------------------
# refcounts and immortality: the refcount words, the immortal bit and static objects


@dataclass(frozen=True)
class RefcountRule:
    """How to turn the header into a refcount and decide immortality.

    mode "word": refcount = ob_refcnt & mask; immortal per ``immortal``.
    mode "split": free-threaded: ob_ref_local + (ob_ref_shared >> 2), deferred bias removed.
    immortal: ("never",) | ("bit", mask) | ("eq", value) | ("ge", value) | ("local_max", value)
    """

    mode: str
    mask: int | None
    immortal: tuple[str, int]
    #: 3.11: statically allocated objects (small ints, deep-frozen constants) start at
    #: 999999999 (_PyObject_IMMORTAL_INIT) but are refcounted normally
    static_initial: int | None = None
    deferred_local_bias: int = 0  # 3.13t: deferred objects carry +1 in ob_ref_local
    deferred_shared_bias: int = 0  # 3.14t: _Py_REF_DEFERRED added to the shared count
    deferred_gc_bit: int = 64  # _PyGC_BITS_DEFERRED
    shared_shift: int = 2  # _Py_REF_SHARED_SHIFT


_MAXSIZE64 = (1 << 63) - 1

REFCOUNT: list[Rule[RefcountRule]] = [
    Rule(
        (11, 11),
        RefcountRule("word", None, ("never", 0), static_initial=999_999_999),
        free_threaded=False,
    ),
    Rule(
        (12, 15),
        RefcountRule("word", 0xFFFFFFFF, ("bit", 0x80000000)),
        free_threaded=False,
        pointer_size=8,
    ),
    Rule(
        (12, 13),
        RefcountRule("word", None, ("eq", 0x3FFFFFFF)),
        free_threaded=False,
        pointer_size=4,
    ),
    Rule(
        (14, 15), RefcountRule("word", None, ("ge", 1 << 30)), free_threaded=False, pointer_size=4
    ),
    Rule(
        (13, 13),
        RefcountRule("split", None, ("local_max", 0xFFFFFFFF), deferred_local_bias=1),
        free_threaded=True,
    ),
    Rule(
        (14, 15),
        RefcountRule(
            "split", None, ("local_max", 0xFFFFFFFF), deferred_shared_bias=_MAXSIZE64 // 8
        ),
        free_threaded=True,
    ),
]

# --------------------------------------------------------------------------------------------
# PyLong


@dataclass(frozen=True)
class LongEncoding:
    """How an int stores its size and sign on a version: ``ob_size`` before 3.12, ``lv_tag``
    after."""

    tag_field: str  # "ob_size" | "lv_tag"
    sign_mask: int = 3  # lv_tag: bits 0-1 hold 1 - sign
    size_shift: int = 3  # lv_tag: digit count from bit 3
    # bit 2 is reserved (3.12/3.13) or marks the cached small ints (3.14+): ignored for decoding
    immortal_bit: int | None = None


LONG_ENCODING: list[Rule[LongEncoding]] = [
    Rule((11, 11), LongEncoding("ob_size")),
    Rule((12, 13), LongEncoding("lv_tag")),
    Rule((14, 15), LongEncoding("lv_tag", immortal_bit=1 << 2)),
]

#: Small-int cache defaults (_PY_NSMALLNEGINTS, _PY_NSMALLPOSINTS - 1); probed at runtime.
SMALL_INTS: list[Rule[tuple[int, int]]] = [
    Rule((11, 14), (-5, 256)),
    Rule((15, 15), (-5, 1024)),
]

# --------------------------------------------------------------------------------------------
# str state bits


@dataclass(frozen=True)
class StrState:
    """Where a str's state bits are on a version (interned, kind, compact, ascii, the extra
    bit)."""

    interned: tuple[int, int]  # (shift, width)
    kind: tuple[int, int]
    compact: int  # bit
    ascii: int  # bit
    extra_bit: int  # bit 7 (or 13)
    extra_name: str  # "ready" (<=3.11) or "statically_allocated"
    mask: int  # the named bits; the rest is padding and not zeroed


STR_STATE: list[Rule[StrState]] = [
    Rule((11, 11), StrState((0, 2), (2, 3), 5, 6, 7, "ready", 0xFF)),
    Rule(
        (12, 15),
        StrState((0, 2), (2, 3), 5, 6, 7, "statically_allocated", 0xFF),
        free_threaded=False,
    ),
    Rule(
        (13, 13),
        StrState((0, 2), (2, 3), 5, 6, 7, "statically_allocated", 0xFF),
        free_threaded=True,
    ),
    # 3.14t: `unsigned char interned` is byte 0 (accessed atomically), then bit fields
    Rule(
        (14, 15),
        StrState((0, 8), (8, 3), 11, 12, 13, "statically_allocated", 0x3FFF),
        free_threaded=True,
    ),
]

INTERNED_NAMES = {
    0: "not interned",
    1: "interned (mortal)",
    2: "interned (immortal)",
    3: "interned (immortal, static)",
}

# --------------------------------------------------------------------------------------------
# pre-header: GC head, managed dict, weakrefs (the words before the object's address)

Py_TPFLAGS_INLINE_VALUES = 1 << 2
Py_TPFLAGS_MANAGED_WEAKREF = 1 << 3
Py_TPFLAGS_MANAGED_DICT = 1 << 4
Py_TPFLAGS_HEAPTYPE = 1 << 9
Py_TPFLAGS_HAVE_GC = 1 << 14


@dataclass(frozen=True)
class PreHeader:
    """The words before an object's address on a build: the GC head, the managed dict and
    weakref list, inline values."""

    gc_head_words: int  # PyGC_Head is {_gc_next, _gc_prev}: 2 words before the object
    # managed-dict slots, in pointer words before the object (negative offsets / P)
    dict_word: int  # -3: dict (3.11, 3.13+), dict-or-values (3.12); free-threaded -1
    dict_name: str
    values_word: int | None  # 3.11: the PyDictValues pointer at -4
    weakref_word: int | None  # 3.12+: managed weakref list
    inline_values: bool  # 3.13+: PyDictValues at obj + tp_basicsize
    tagged_values: bool  # 3.12: dict-or-values pointer, low bit 1 => values
    #: 3.12 stores ``values - 1`` (_PyDictOrValues_SetValues), so values = stored + 1
    values_tag_adjust: int = 0


PREHEADER: list[Rule[PreHeader]] = [
    Rule((11, 11), PreHeader(2, -3, "managed_dict", -4, None, False, False), free_threaded=False),
    Rule(
        (12, 12),
        PreHeader(2, -3, "dict_or_values", None, -4, False, True, values_tag_adjust=1),
        free_threaded=False,
    ),
    Rule((13, 15), PreHeader(2, -3, "managed_dict", None, -4, True, False), free_threaded=False),
    Rule((13, 15), PreHeader(0, -1, "managed_dict", None, -2, True, False), free_threaded=True),
]

#: PyDictKeysObject (Include/internal/pycore_dict.h), the part redpill reads.
DICT_KEYS: list[Rule[tuple[tuple[str, str], ...]]] = [
    Rule(
        (11, 15),
        (
            ("dk_refcnt", "Py_ssize_t"),
            ("dk_log2_size", "uint8_t"),
            ("dk_log2_index_bytes", "uint8_t"),
            ("dk_kind", "uint8_t"),
            ("dk_version", "uint32_t"),
            ("dk_usable", "Py_ssize_t"),
            ("dk_nentries", "Py_ssize_t"),
        ),
        free_threaded=False,
    ),
    Rule(
        (13, 15),
        (
            ("dk_refcnt", "Py_ssize_t"),
            ("dk_log2_size", "uint8_t"),
            ("dk_log2_index_bytes", "uint8_t"),
            ("dk_kind", "uint8_t"),
            ("dk_mutex", "PyMutex"),
            ("dk_version", "uint32_t"),
            ("dk_usable", "Py_ssize_t"),
            ("dk_nentries", "Py_ssize_t"),
        ),
        free_threaded=True,
    ),
]

#: Inline PyDictValues prefix (3.13+): uint8 capacity, size, embedded, valid; then values[].
INLINE_VALUES_PREFIX: list[Rule[tuple[tuple[str, str], ...]]] = [
    Rule(
        (13, 15),
        (
            ("capacity", "uint8_t"),
            ("size", "uint8_t"),
            ("embedded", "uint8_t"),
            ("valid", "uint8_t"),
            ("values[0]", "PyObject *"),
        ),
    ),
]


#: PyMemberDef (Include/descrobject.h): a __slots__ member's absolute offset in the instance
#: (type_new_descriptors stores ``slotoffset``; never Py_RELATIVE_OFFSET for __slots__).
MEMBER_DEF: list[Rule[tuple[tuple[str, str], ...]]] = [
    Rule(
        (11, 15),
        (
            ("name", "const char *"),
            ("type", "int"),
            ("offset", "Py_ssize_t"),
            ("flags", "int"),
            ("doc", "const char *"),
        ),
    ),
]

#: struct arraydescr (Modules/arraymodule.c), the part redpill reads: the array's typecode
#: and item size.
ARRAY_DESCR: list[Rule[tuple[tuple[str, str], ...]]] = [
    Rule((11, 15), (("typecode", "char"), ("itemsize", "int"))),
]

#: memoryview ``flags`` bits (Include/cpython/memoryobject.h).
MEMORYVIEW_FLAGS = {
    0x001: "RELEASED",
    0x002: "C",
    0x004: "FORTRAN",
    0x008: "SCALAR",
    0x010: "PIL",
    0x020: "RESTRICTED",
}
MEMORYVIEW_RELEASED = 0x001

#: PyBUF_MAX_NDIM (Include/pybuffer.h) and NPY_MAXDIMS (64 since numpy 2; 32 before): no
#: view has more dimensions than this.
MAX_NDIM = 64

# --------------------------------------------------------------------------------------------
# numpy (optional: used only when the user's objects are numpy's; numpy is never imported)


@dataclass(frozen=True)
class Since(Generic[T]):
    """One row of a table keyed by a third-party package's version: from ``first`` on."""

    first: tuple[int, int]
    value: T


def select_since(table: Sequence[Since[T]], version: tuple[int, int]) -> T:
    """The value of the last row of ``table`` whose first version is at most ``version``."""
    found: Since[T] | None = None
    for row in table:
        if row.first <= version:
            found = row
    if found is None:
        raise NoLayout(f"no layout row for version {version[0]}.{version[1]}")
    return found.value


_NP_ARRAY_FIELDS = (
    ("data", "char *"),
    ("nd", "int"),
    ("dimensions", "npy_intp *"),
    ("strides", "npy_intp *"),
    ("base", "PyObject *"),
    ("descr", "PyArray_Descr *"),
    ("flags", "int"),
    ("weakreflist", "PyObject *"),
)

#: PyArrayObject_fields (numpy/ndarraytypes.h) after PyObject_HEAD, per numpy version:
#: ``_buffer_info`` from NPY_1_20_API_VERSION, ``mem_handler`` from NPY_1_22_API_VERSION.
NUMPY_ARRAY: list[Since[tuple[tuple[str, str], ...]]] = [
    Since((1, 0), _NP_ARRAY_FIELDS),
    Since((1, 20), (*_NP_ARRAY_FIELDS, ("_buffer_info", "void *"))),
    Since((1, 22), (*_NP_ARRAY_FIELDS, ("_buffer_info", "void *"), ("mem_handler", "PyObject *"))),
]

_NP_DESCR_HEAD = (
    ("typeobj", "PyTypeObject *"),
    ("kind", "char"),
    ("type", "char"),
    ("byteorder", "char"),
)

#: PyArray_Descr (numpy/ndarraytypes.h) after PyObject_HEAD, up to the item size: numpy 2
#: made ``elsize`` an ``npy_intp`` after 64 bits of flags (``_former_flags`` is the old
#: ``char flags``).
NUMPY_DESCR: list[Since[tuple[tuple[str, str], ...]]] = [
    Since(
        (1, 0),
        (*_NP_DESCR_HEAD, ("flags", "char"), ("type_num", "int"), ("elsize", "int")),
    ),
    Since(
        (2, 0),
        (
            *_NP_DESCR_HEAD,
            ("_former_flags", "char"),
            ("type_num", "int"),
            ("flags", "npy_uint64"),
            ("elsize", "npy_intp"),
        ),
    ),
]

#: NPY_ARRAY_* flag bits (numpy/ndarraytypes.h), as ``ndarray.flags`` names them.
NUMPY_FLAGS = {
    0x0001: "C_CONTIGUOUS",
    0x0002: "F_CONTIGUOUS",
    0x0004: "OWNDATA",
    0x0100: "ALIGNED",
    0x0400: "WRITEABLE",
    0x2000: "WRITEBACKIFCOPY",
}
NPY_ARRAY_C_CONTIGUOUS = 0x0001
NPY_ARRAY_F_CONTIGUOUS = 0x0002
NPY_ARRAY_OWNDATA = 0x0004
NPY_ARRAY_WRITEABLE = 0x0400


@cache
def numpy_layouts(
    version: tuple[int, int], interp: Interpreter = CURRENT
) -> tuple[StructLayout, StructLayout]:
    """The layouts of ``PyArrayObject_fields`` and ``PyArray_Descr`` (the object header
    included) for numpy ``version`` on ``interp``."""
    P = interp.pointer_size
    out = []
    for table in (NUMPY_ARRAY, NUMPY_DESCR):
        fields, size = struct_layout((*select(HEADER, interp), *select_since(table, version)), P)
        out.append(StructLayout(fields, size, None, 0))
    return out[0], out[1]


#: 3.14+: the interpreter borrows references (the LOAD_FAST_BORROW instruction), so a
#: holder may keep a reference that ob_refcnt does not include.
BORROWED_REFERENCES: list[Rule[bool]] = [Rule((11, 13), False), Rule((14, 15), True)]

#: Where ``--steps`` gets the events of the cell's code: ``sys.monitoring`` (PEP 669, 3.12+)
#: or a trace function (``sys.settrace``).
LINE_EVENTS: list[Rule[str]] = [Rule((11, 11), "sys.settrace"), Rule((12, 15), "sys.monitoring")]

#: Reading ``frame.f_locals`` of a function's frame fills a dict the frame keeps (one more
#: reference to each local) before PEP 667 (3.13), which made it a proxy.
LOCALS_SNAPSHOT: list[Rule[bool]] = [Rule((11, 12), True), Rule((13, 15), False)]


#: CPython bugs where ``gc.get_referents(o)`` is itself harmful, as data: ``(module, fixed in,
#: issue)`` rows.  On 3.12.0-3.12.5 and 3.13.0a1-3.13.0rc1 the ``_asyncio`` module's
#: ``tp_traverse`` visits its ``FutureIter`` freelist: ``gc.get_referents(_asyncio)`` hands
#: out freed iterators (ob_refcnt 0 -> 1), dropping them frees them again, the freelist
#: then links to itself and the next ``gc.collect()`` / ``gc.get_referrers()`` loops
#: forever in ``module_traverse`` (CPython gh-122695, fixed in 3.12.6 and 3.13.0rc2).
#: ``fixed in`` is a release as :func:`release` parses it; None: not fixed.
UNSAFE_REFERENTS: list[Rule[tuple[tuple[str, tuple[int, ...] | None, str], ...]]] = [
    Rule((11, 11), ()),
    Rule((12, 12), (("_asyncio", (3, 12, 6, 3, 0), "gh-122695"),)),
    Rule((13, 13), (("_asyncio", (3, 13, 0, 2, 2), "gh-122695"),)),
    Rule((14, 15), ()),
]

_LEVELS = {"a": 0, "b": 1, "rc": 2}


def release(version: str) -> tuple[int, int, int, int, int]:
    """``"3.13.0rc1"`` -> ``(3, 13, 0, 2, 1)`` (level: a 0, b 1, rc 2, final 3), comparable
    like ``sys.version_info``; a trailing ``+`` (a development build) is ignored."""
    m = re.match(r"(\d+)\.(\d+)(?:\.(\d+))?(?:(a|b|rc)(\d+))?", version)
    if m is None:
        return (0, 0, 0, 0, 0)
    major, minor, micro, level, serial = m.groups()
    return (
        int(major),
        int(minor),
        int(micro or 0),
        _LEVELS[level] if level else 3,
        int(serial or 0),
    )


@cache
def unsafe_referents(interp: Interpreter = CURRENT) -> dict[str, str]:
    """Modules (by name) whose ``gc.get_referents`` must not be called on this
    interpreter -> the CPython issue why."""
    rel = release(interp.version)
    out: dict[str, str] = {}
    try:
        rows = select(UNSAFE_REFERENTS, interp)
    except NoLayout:
        return out
    for module, fixed, issue in rows:
        if fixed is None or rel < fixed:
            out[module] = issue
    return out


@dataclass(frozen=True)
class Facts:
    """Everything the readers need for one interpreter, resolved once."""

    interp: Interpreter
    header: StructLayout
    refcount: RefcountRule
    long: LongEncoding
    small_ints_default: tuple[int, int]
    str_state: StrState
    preheader: PreHeader
    gc_head_size: int
    borrowed_references: bool = False
    line_events: str = "sys.monitoring"
    locals_snapshot: bool = False
    extra: dict[str, object] = field(default_factory=dict)


@cache
def facts(interp: Interpreter = CURRENT) -> Facts:
    """Everything version-specific the collector needs for ``interp`` (default: this
    interpreter), computed once."""
    pre = select(PREHEADER, interp)
    return Facts(
        interp=interp,
        header=header(interp),
        refcount=select(REFCOUNT, interp),
        long=select(LONG_ENCODING, interp),
        small_ints_default=select(SMALL_INTS, interp),
        str_state=select(STR_STATE, interp),
        preheader=pre,
        gc_head_size=pre.gc_head_words * interp.pointer_size,
        borrowed_references=select(BORROWED_REFERENCES, interp),
        line_events=select(LINE_EVENTS, interp),
        locals_snapshot=select(LOCALS_SNAPSHOT, interp),
    )


#: basicsize of each kind's type as the table predicts it (tested against __basicsize__).
def predicted_basicsize(kind: str, interp: Interpreter = CURRENT) -> int:
    """``__basicsize__`` that the layout tables predict for ``kind`` on ``interp`` (compared
    with the live type's in the tests)."""
    lay = layout(kind, interp)
    if lay.tail is not None:
        return lay.tail.offset + lay.tail_extra * lay.tail.size
    return lay.sizeof
