"""Readers of buffers and views: ``bytearray`` (its separate, over-allocated buffer),
``memoryview`` (its copy of the exporter's ``Py_buffer``), ``array.array`` (``ob_item``)
and numpy's ``ndarray`` (``PyArrayObject_fields``: data, shape, strides, dtype, flags,
base), and the ``buffer`` block they share with ``bytes``.

Everything is read from the C structs, as the other readers do: no ``__array_interface__``,
no ``memoryview()`` of the user's object (an export could run ``__buffer__``), no numpy
import.  The few values taken from Python are the builtin types' own getters
(``memoryview.obj``, ``ndarray.base``), used to hold a reference to an object whose
pointer was read, and compared with that pointer.

The data buffer is read (its first bytes, like the object's memory) only where its bytes
are known to lie inside a buffer that redpill can vouch for: a bytes, bytearray or
array.array's own storage, or an ndarray that owns its data; a view of memory that
belongs to anything else (an mmap, a ctypes array, an ``__array_interface__``) is
described but not read.
"""

from __future__ import annotations

import struct
import sys
import types
from collections.abc import Sequence
from typing import Any

from .. import structs
from ..memory import read_bytes, type_slot
from ..strkeys import str_value, str_values
from ..structs import StructLayout
from .context import (
    Ctx,
    Reading,
    field_value,
    fixed_reading,
    header_fields,
    memory_dict,
    own_memory,
)
from .typeinfo import classify, ellipsized, extension_base, has_base

#: Most bytes of a format string read (a C string: read up to its NUL, never further).
FORMAT_CHARS = 64
#: Most links of an ndarray's ``base`` chain followed to the array that owns the memory.
MAX_BASE_CHAIN = 32
#: Values shown in a ``repr`` built from the bytes read.
REPR_ITEMS = 8


# --------------------------------------------------------------------------------------------
# the buffer block


def buffer_block(
    *,
    data: int,
    nbytes: int,
    itemsize: int,
    fmt: str,
    shape: Sequence[int],
    strides: Sequence[int],
    readonly: bool,
    owns_data: bool,
    c_contiguous: bool,
    f_contiguous: bool,
    allocated: int | None = None,
    dtype: str | None = None,
    owner: int | None = None,
    base: int | None = None,
    flags: Sequence[str] | None = None,
    memory: dict[str, object] | None = None,
) -> dict[str, object]:
    """The payload's ``buffer`` block (optional keys only when known)."""
    out: dict[str, object] = {
        "data": hex(data),
        "nbytes": nbytes,
        "itemsize": itemsize,
        "format": ellipsized(fmt, FORMAT_CHARS),
        "ndim": len(shape),
        "shape": list(shape),
        "strides": list(strides),
        "readonly": readonly,
        "owns_data": owns_data,
        "c_contiguous": c_contiguous,
        "f_contiguous": f_contiguous,
    }
    if allocated is not None:
        out["allocated"] = allocated
    if dtype is not None:
        out["dtype"] = dtype
    if owner:
        out["owner"] = hex(owner)
    if base:
        out["base"] = hex(base)
    if flags is not None:
        out["flags"] = list(flags)
    if memory is not None:
        out["memory"] = memory
    return out


def extent(itemsize: int, shape: Sequence[int], strides: Sequence[int]) -> tuple[int, int]:
    """The bytes a strided view touches, relative to its data pointer: ``(low, high)``
    with ``low <= 0 < high`` (``(0, 0)`` for an empty view)."""
    if any(n <= 0 for n in shape):
        return 0, 0
    low = high = 0
    for n, s in zip(shape, strides, strict=True):
        span = (n - 1) * s
        if span < 0:
            low += span
        else:
            high += span
    return low, high + itemsize


def _data_memory(
    ctx: Ctx, data: int, low: int, high: int, known: tuple[int, int] | None
) -> tuple[dict[str, object] | None, str | None]:
    """The first bytes of a view's data (at most ``max_bytes``, never before ``data`` nor
    past the view's extent), when ``[data + low, data + high)`` lies inside ``known``, a
    buffer redpill vouches for.  Returns the memory block or why it was not read."""
    if high <= low or not data:
        return None, None
    if known is None:
        return None, "its memory belongs to an object whose buffer redpill does not know"
    lo, hi = known
    if not (lo <= data + low and data + high <= hi):
        return None, "its extent is not inside its owner's buffer: not read"
    n = min(high, ctx.opts.max_bytes)
    raw = read_bytes(data, n) if n > 0 else b""
    return memory_dict(data, raw, high, ctx.opts.max_bytes), None


def _c_string(address: int, cap: int = FORMAT_CHARS) -> str | None:
    """A NUL-terminated C string read one byte at a time (never past its NUL)."""
    if not address:
        return None
    out = bytearray()
    for i in range(cap):
        b = read_bytes(address + i, 1)
        if b == b"\0":
            break
        out += b
    return out.decode("latin-1")


def _words(address: int, n: int, P: int) -> list[int]:
    """``n`` signed pointer-sized integers at ``address`` (a shape or strides array)."""
    if n <= 0 or not address:
        return []
    raw = read_bytes(address, n * P)
    code = "<" + ("q" if P == 8 else "i") * n
    return list(struct.unpack(code, raw))


def _getter(tp: type, name: str) -> Any:
    """The C getter ``name`` of a builtin or extension type (never a subclass's)."""
    return type_slot(tp, "__dict__")[name]  # type: ignore[index]


# --------------------------------------------------------------------------------------------
# known buffers: where the memory of bytes, bytearray, array and owning ndarrays is


def known_buffer(o: object, ctx: Ctx, depth: int = 0) -> tuple[int, int] | None:
    """``[start, end)`` of the memory of ``o`` when redpill can vouch for it from the structs
    alone: a bytes, bytearray or array.array's own storage, an ndarray that owns its data,
    and a view (ndarray, memoryview) whose extent lies inside such a buffer of its base's
    (followed at most :data:`MAX_BASE_CHAIN` links); None otherwise."""
    if o is None or depth > MAX_BASE_CHAIN:
        return None
    tp = type(o)
    kind = classify(tp)
    try:
        if kind == "bytes":
            lay = ctx.layout("bytes")
            assert lay.tail is not None
            return id(o) + lay.tail.offset, id(o) + lay.tail.offset + bytes.__len__(o)  # type: ignore[arg-type]
        if kind == "bytearray":
            lay = ctx.layout("bytearray")
            data = read_bytes(id(o), lay.sizeof)
            start = field_value(data, lay, "ob_start")
            return start, start + field_value(data, lay, "ob_size")
        if kind == "array":
            lay = ctx.layout("array")
            data = read_bytes(id(o), lay.sizeof)
            d = _array_descr(field_value(data, lay, "ob_descr"), ctx)
            start = field_value(data, lay, "ob_item")
            return start, start + field_value(data, lay, "ob_size") * d[1]
        if kind == "ndarray":
            view = _ndarray_view(o, tp, ctx)
            if view is None:
                return None
            start = view["data"]
            if view["flags"] & structs.NPY_ARRAY_OWNDATA:
                return start, start + view["nbytes"]
            low, high = extent(view["elsize"], view["shape"], view["strides"])
            outer = known_buffer(view["base_obj"], ctx, depth + 1)
        elif kind == "memoryview":
            lay = ctx.layout("memoryview")
            assert lay.tail is not None
            data = read_bytes(id(o), lay.tail.offset)
            ndim = field_value(data, lay, "view.ndim")
            if field_value(data, lay, "flags") & structs.MEMORYVIEW_RELEASED or not (
                0 <= ndim <= structs.MAX_NDIM
            ):
                return None
            if field_value(data, lay, "view.suboffsets"):
                return None
            P = ctx.P
            start = field_value(data, lay, "view.buf")
            shape = _words(field_value(data, lay, "view.shape"), ndim, P)
            strides = _words(field_value(data, lay, "view.strides"), ndim, P)
            itemsize = field_value(data, lay, "view.itemsize")
            low, high = extent(itemsize, shape, strides) if ndim else (0, itemsize)
            exporter = _getter(memoryview, "obj").__get__(o, memoryview)
            if id(exporter) != field_value(data, lay, "view.obj"):
                return None
            outer = known_buffer(exporter, ctx, depth + 1)
        else:
            return None
    except Exception:
        return None
    if outer is None or high <= low:
        return None
    if outer[0] <= start + low and start + high <= outer[1]:
        return start + low, start + high
    return None


# --------------------------------------------------------------------------------------------
# bytes (its buffer block: the bytes are inline, in the object's own memory)


def bytes_buffer(o: object, ctx: Ctx, length: int) -> dict[str, object]:
    """The ``buffer`` block of a bytes object: ``ob_sval``, read-only, owned."""
    lay = ctx.layout("bytes")
    assert lay.tail is not None
    return buffer_block(
        data=id(o) + lay.tail.offset,
        nbytes=length,
        itemsize=1,
        fmt="B",
        shape=[length],
        strides=[1],
        readonly=True,
        owns_data=True,
        c_contiguous=True,
        f_contiguous=True,
        allocated=length + 1,
    )


# --------------------------------------------------------------------------------------------
# bytearray


def read_bytearray(o: object, tp: type, ctx: Ctx) -> Reading:
    """A bytearray: ``ob_size`` bytes used of ``ob_alloc`` allocated in the separate buffer
    ``ob_bytes``, starting at ``ob_start`` (past bytes deleted from the front)."""
    lay, data, r = fixed_reading(o, tp, ctx, "bytearray")
    size = field_value(data, lay, "ob_size")
    alloc = field_value(data, lay, "ob_alloc")
    buf = field_value(data, lay, "ob_bytes")
    start = field_value(data, lay, "ob_start")
    length = bytearray.__len__(o)  # type: ignore[arg-type]
    sane = size == length and 0 <= size <= alloc and (buf <= start <= buf + alloc)
    if not sane:
        r.notes.append("ob_size/ob_alloc/ob_start do not agree with len() (layout mismatch?)")
    for fd in r.fields:
        name = fd["name"]
        if name == "ob_alloc":
            fd["note"] = f"{alloc} bytes allocated, {size} used" + (
                f", {alloc - size} spare (over-allocation)" if alloc > size else ""
            )
        elif name == "ob_bytes":
            fd["note"] = "the separate buffer" if buf else "NULL: nothing allocated yet"
        elif name == "ob_start":
            k = start - buf
            fd["note"] = f"ob_bytes + {k} (bytes deleted from the front)" if k else "= ob_bytes"
        elif name == "ob_exports":
            fd["note"] = "buffer exports (views): resizing is refused while > 0"
        elif name == "ob_bytes_object":
            fd["note"] = "the bytes object whose ob_sval is the buffer"
    shown = b""
    memory = None
    if sane and start and size:
        shown = read_bytes(start, min(size, ctx.opts.max_bytes))
        memory = memory_dict(start, shown, size, ctx.opts.max_bytes)
    r.blocks["buffer"] = buffer_block(
        data=start,
        nbytes=size,
        itemsize=1,
        fmt="B",
        shape=[size],
        strides=[1],
        readonly=False,
        owns_data=True,
        c_contiguous=True,
        f_contiguous=True,
        allocated=alloc,
        memory=memory,
    )
    r.repr = ellipsized(f"bytearray({bytes.__repr__(shown[:80])})", 100)
    r.memory = own_memory(o, tp, ctx, data)
    return r


# --------------------------------------------------------------------------------------------
# array.array


def _array_descr(address: int, ctx: Ctx) -> tuple[str, int]:
    """(typecode, itemsize) from an array's ``struct arraydescr`` (static module data)."""
    fields, _ = structs.struct_layout(structs.select(structs.ARRAY_DESCR, ctx.facts.interp), ctx.P)
    end = fields[-1].offset + fields[-1].size
    raw = read_bytes(address, end)
    code = raw[fields[0].offset : fields[0].offset + 1].decode("latin-1")
    size = int.from_bytes(raw[fields[1].offset : end], "little", signed=True)
    return code, size


_ARRAY_CODES = frozenset("bBhHiIlLqQfd")


def read_array(o: object, tp: type, ctx: Ctx) -> Reading:
    """An ``array.array``: ``ob_size`` items of ``ob_descr``'s item size in the separate
    buffer ``ob_item``, which has room for ``allocated`` items."""
    base = extension_base(tp)
    assert base is not None
    lay, data, r = fixed_reading(o, tp, ctx, "array")
    size = field_value(data, lay, "ob_size")
    allocated = field_value(data, lay, "allocated")
    item = field_value(data, lay, "ob_item")
    descr = field_value(data, lay, "ob_descr")
    length = _getter(base, "__len__")(o)
    typecode, itemsize = _array_descr(descr, ctx) if descr else ("?", 0)
    if (
        size != length
        or not 0 <= size <= allocated
        or typecode != _getter(base, "typecode").__get__(o, tp)
        or itemsize != _getter(base, "itemsize").__get__(o, tp)
    ):
        r.notes.append("ob_size/ob_descr do not agree with the array's own (layout mismatch?)")
        itemsize = 0
    for fd in r.fields:
        name = fd["name"]
        if name == "ob_item":
            fd["note"] = (
                f"separate buffer of {allocated} items ({size} used), {itemsize} bytes each"
            )
        elif name == "ob_descr":
            fd["note"] = f"typecode {typecode!r}, itemsize {itemsize}"
        elif name == "ob_exports":
            fd["note"] = "buffer exports (views): resizing is refused while > 0"
    nbytes = size * itemsize
    raw = read_bytes(item, min(nbytes, ctx.opts.max_bytes)) if item and nbytes else b""
    memory = memory_dict(item, raw, nbytes, ctx.opts.max_bytes) if raw else None
    r.blocks["buffer"] = buffer_block(
        data=item,
        nbytes=nbytes,
        itemsize=itemsize,
        fmt=typecode,
        shape=[size],
        strides=[itemsize],
        readonly=False,
        owns_data=True,
        c_contiguous=True,
        f_contiguous=True,
        allocated=allocated * itemsize,
        memory=memory,
    )
    r.repr = _array_repr(typecode, itemsize, raw, size)
    r.memory = own_memory(o, tp, ctx, data)
    return r


def _array_repr(typecode: str, itemsize: int, raw: bytes, size: int) -> str:
    if typecode not in _ARRAY_CODES or not itemsize or struct.calcsize(typecode) != itemsize:
        return f"array({typecode!r}) of {size} items"
    n = min(size, REPR_ITEMS, len(raw) // itemsize)
    values = [repr(v) for (v,) in struct.iter_unpack(typecode, raw[: n * itemsize])]
    more = ", …" if size > n else ""
    return ellipsized(f"array({typecode!r}, [{', '.join(values)}{more}])", 100)


# --------------------------------------------------------------------------------------------
# memoryview


def read_memoryview(o: object, tp: type, ctx: Ctx) -> Reading:
    """A memoryview: its own copy of the exporter's ``Py_buffer`` (``view``: buf, obj, len,
    itemsize, format, shape and strides in ``ob_array``) and the managed buffer ``mbuf``
    that holds the export."""
    lay = ctx.layout("memoryview")
    assert lay.tail is not None
    P = ctx.P
    head = read_bytes(id(o), lay.tail.offset)
    ndim = field_value(head, lay, "view.ndim")
    count = field_value(head, lay, "ob_size")
    if not (0 <= ndim <= structs.MAX_NDIM and count == 3 * ndim):
        r = Reading("memoryview", fields=header_fields(ctx, head, tp, lay))
        r.notes.append("view.ndim and ob_size do not agree (layout mismatch?)")
        r.memory = memory_dict(id(o), head, lay.tail.offset, ctx.opts.max_bytes)
        return r
    total = lay.tail.offset + count * P
    data = read_bytes(id(o), total)
    r = Reading("memoryview", fields=header_fields(ctx, data, tp, lay))
    flags = field_value(data, lay, "flags")
    released = bool(flags & structs.MEMORYVIEW_RELEASED)
    names = [n for bit, n in structs.MEMORYVIEW_FLAGS.items() if flags & bit]
    buf = field_value(data, lay, "view.buf")
    obj = field_value(data, lay, "view.obj")
    itemsize = field_value(data, lay, "view.itemsize")
    nbytes = field_value(data, lay, "view.len")
    array_at = id(o) + lay.tail.offset
    shape_at = field_value(data, lay, "view.shape")
    strides_at = field_value(data, lay, "view.strides")
    suboffsets = field_value(data, lay, "view.suboffsets")

    def inline(at: int) -> list[int] | None:  # ob_array: shape, strides, suboffsets
        k = (at - array_at) // P if at else -1
        if at and 0 <= k <= 2 * ndim and (at - array_at) % P == 0:
            return list(
                struct.unpack_from(
                    "<" + ("q" if P == 8 else "i") * ndim, data, lay.tail.offset + k * P
                )
            )
        return None

    shape = inline(shape_at) if ndim else []
    strides = inline(strides_at) if ndim else []
    for fd in r.fields:
        name = fd["name"]
        if name == "flags":
            fd["note"] = " | ".join(names) or "0"
        elif name == "mbuf":
            fd["note"] = "the managed buffer: holds the export (and the exporter)"
        elif name == "view.obj":
            fd["note"] = "the exporter (a borrowed pointer: mbuf holds the reference)"
        elif name == "view.shape" and ndim:
            fd["note"] = "→ ob_array[0]" if shape_at == array_at else "outside the object"
        elif name == "view.strides" and ndim:
            fd["note"] = f"→ ob_array[{ndim}]" if strides_at == array_at + ndim * P else ""
        elif name == "view.format":
            fd["note"] = "C string"
    if released:
        r.notes.append("released: its buffer is not read")
        r.repr = f"<released memory at {hex(id(o))}>"
        r.memory = memory_dict(id(o), data, total, ctx.opts.max_bytes)
        return r
    if shape is None or strides is None:
        r.notes.append("view.shape/view.strides do not point into ob_array: not read")
        shape, strides = [], []
    fmt = _c_string(field_value(data, lay, "view.format")) or "B"
    exporter = _getter(memoryview, "obj").__get__(o, memoryview)
    if id(exporter) != obj:
        r.notes.append("view.obj differs from memoryview.obj (layout mismatch?)")
    else:
        mbuf = field_value(data, lay, "mbuf")
        if mbuf not in ctx.credited:  # one reference per managed buffer, however many views
            ctx.credited.add(mbuf)
            r.children.append((".obj", exporter))
            # the reference is the managed buffer's (view.obj is borrowed): reported as
            # this view's, so the heap pass must not count the managed buffer again
            r.proxies.append(mbuf)
    low, high = extent(itemsize, shape, strides) if ndim else (0, itemsize)
    if not nbytes:
        low = high = 0
    memory, why = (
        (None, "suboffsets (PIL-style): not read")
        if suboffsets
        else _data_memory(ctx, buf, low, high, known_buffer(exporter, ctx))
    )
    if why:
        r.notes.append(f"the view's data: {why}")
    exporter = None
    r.blocks["buffer"] = buffer_block(
        data=buf,
        nbytes=nbytes,
        itemsize=itemsize,
        fmt=fmt,
        shape=shape,
        strides=strides,
        readonly=bool(field_value(data, lay, "view.readonly")),
        owns_data=False,
        c_contiguous=bool(flags & 0x002),
        f_contiguous=bool(flags & 0x004),
        owner=obj,
        base=obj,  # the exporter: the view's owner and its immediate base alike
        flags=names,
        memory=memory,
    )
    r.repr = f"<memory at {hex(id(o))}>"
    r.memory = memory_dict(id(o), data, total, ctx.opts.max_bytes)
    return r


# --------------------------------------------------------------------------------------------
# numpy.ndarray

#: numpy's dtype kinds -> the name numpy gives (with the size in bits appended)
_DTYPE_NAMES = {
    "b": "bool",
    "i": "int",
    "u": "uint",
    "f": "float",
    "c": "complex",
    "M": "datetime64",
    "m": "timedelta64",
    "O": "object",
    "S": "bytes",
    "U": "str",
    "V": "void",
}
_NUMPY_CACHE: dict[int, tuple[StructLayout, StructLayout, str] | None] = {}


def _numpy_layouts(nd_type: type, ctx: Ctx) -> tuple[StructLayout, StructLayout, str] | None:
    """The ndarray and dtype layouts of the numpy that defines ``nd_type`` (its version read
    from the imported module's ``__version__``), checked against ``tp_basicsize``; None
    when no table row fits.  Cached per numpy (it cannot be reloaded)."""
    key = id(nd_type)
    if key in _NUMPY_CACHE:
        return _NUMPY_CACHE[key]
    found: tuple[StructLayout, StructLayout, str] | None = None
    try:
        mod = str_values(sys.modules, ("numpy",)).get("numpy")  # type: ignore[arg-type]
        if mod is not None and has_base(type(mod), types.ModuleType):
            d = types.ModuleType.__dict__["__dict__"].__get__(mod, type(mod))
            version = str_value(d, "__version__", "")
            if type(version) is str:
                parts = [int(p) for p in version.split(".")[:2] if p.isdigit()]
                if len(parts) == 2:
                    lay, dlay = structs.numpy_layouts((parts[0], parts[1]), ctx.facts.interp)
                    if lay.sizeof == ctx.type_facts(nd_type).basicsize:
                        found = (lay, dlay, version)
    except Exception:
        found = None
    _NUMPY_CACHE[key] = found
    return found


def _ndarray_view(o: object, tp: type, ctx: Ctx) -> dict[str, Any] | None:
    """What the ndarray's struct says (data, shape, strides, flags, dtype, base), checked
    against numpy's own getters for ``ndim``, ``dtype`` and ``base``; None if they
    disagree or the layout is unknown."""
    nd_type = extension_base(tp)
    if nd_type is None:
        return None
    layouts = _numpy_layouts(nd_type, ctx)
    if layouts is None:
        return None
    lay, dlay, version = layouts
    P = ctx.P
    data = read_bytes(id(o), lay.sizeof)
    nd = field_value(data, lay, "nd")
    descr = field_value(data, lay, "descr")
    base = field_value(data, lay, "base")
    if not 0 <= nd <= structs.MAX_NDIM or nd != _getter(nd_type, "ndim").__get__(o, tp):
        return None
    dtype = _getter(nd_type, "dtype").__get__(o, tp)
    base_obj = _getter(nd_type, "base").__get__(o, tp)
    if id(dtype) != descr or (id(base_obj) if base_obj is not None else 0) != base:
        return None
    last = dlay.fields[-1]
    draw = read_bytes(descr, last.offset + last.size)
    kind = chr(draw[dlay.field("kind").offset])
    order = chr(draw[dlay.field("byteorder").offset])
    elsize = field_value(draw, dlay, "elsize")
    shape = _words(field_value(data, lay, "dimensions"), nd, P)
    strides = _words(field_value(data, lay, "strides"), nd, P)
    count = 1
    for n in shape:
        count *= n
    return {
        "layout": lay,
        "bytes": data,
        "version": version,
        "data": field_value(data, lay, "data"),
        "shape": shape,
        "strides": strides,
        "flags": field_value(data, lay, "flags"),
        "base": base,
        "base_obj": base_obj,
        "kind": kind,
        "byteorder": order,
        "elsize": elsize,
        "nbytes": count * elsize,
    }


def _typestr(kind: str, order: str, elsize: int) -> str:
    """numpy's ``dtype.str`` for a simple dtype: byte order, kind, item size."""
    if order == "=":
        order = "<" if sys.byteorder == "little" else ">"
    if kind == "O":
        return f"{order}O"
    size = elsize // 4 if kind == "U" else elsize
    return f"{order}{kind}{size}"


def _dtype_name(kind: str, elsize: int) -> str:
    name = _DTYPE_NAMES.get(kind, kind)
    if kind in "bO":
        return name
    return f"{name}{elsize * 8}"


def read_ndarray(o: object, tp: type, ctx: Ctx) -> Reading:
    """A numpy ndarray: ``PyArrayObject_fields`` (the data pointer, ``nd``, the shape and
    strides arrays, ``base``, ``descr``, ``flags``), the item size and kind from its
    dtype's struct, and the first bytes of its data when they are the array's own or
    inside a buffer redpill knows."""
    view = _ndarray_view(o, tp, ctx)
    if view is None:
        hdr = ctx.facts.header
        data = read_bytes(id(o), hdr.sizeof)
        r = Reading("ndarray", fields=header_fields(ctx, data, tp, hdr))
        r.notes.append("this numpy's PyArrayObject layout is not known to redpill: not read")
        r.memory = memory_dict(id(o), data, hdr.sizeof, ctx.opts.max_bytes)
        return r
    lay: StructLayout = view["layout"]
    raw: bytes = view["bytes"]
    r = Reading("ndarray", fields=header_fields(ctx, raw, tp, lay))
    flags: int = view["flags"]
    names = [n for bit, n in structs.NUMPY_FLAGS.items() if flags & bit]
    kind, elsize, shape, strides = view["kind"], view["elsize"], view["shape"], view["strides"]
    typestr = _typestr(kind, view["byteorder"], elsize)
    dtype = _dtype_name(kind, elsize)
    for fd in r.fields:
        name = fd["name"]
        if name == "data":
            fd["note"] = "the array's own buffer" if flags & 4 else "inside its base's memory"
        elif name == "dimensions":
            fd["note"] = f"shape {tuple(shape)}"
        elif name == "strides":
            fd["note"] = f"strides {tuple(strides)}"
        elif name == "flags":
            fd["note"] = " | ".join(names) or "0"
        elif name == "descr":
            fd["note"] = f"dtype {dtype} ({typestr})"
        elif name == "base":
            fd["note"] = (
                "NULL: owns its memory" if not view["base"] else "the object that holds its memory"
            )
    # the base chain, to the object that owns the memory
    base_obj = view["base_obj"]
    owner_obj = base_obj
    view["base_obj"] = None
    known: tuple[int, int] | None = None
    if flags & structs.NPY_ARRAY_OWNDATA:
        known = (view["data"], view["data"] + view["nbytes"])
    else:
        known = known_buffer(base_obj, ctx)
        for _ in range(MAX_BASE_CHAIN):
            if owner_obj is None or classify(type(owner_obj)) != "ndarray":
                break
            nd_type = extension_base(type(owner_obj))
            if nd_type is None:
                break
            up = _getter(nd_type, "base").__get__(owner_obj, type(owner_obj))
            if up is None:
                break
            owner_obj = up
    owner = id(owner_obj) if owner_obj is not None else 0
    if base_obj is not None:
        r.children.append((".base", base_obj))
    owner_obj = base_obj = None
    # it holds its dtype (and an object array its items) too, which are not listed
    r.children_complete = False
    low, high = extent(elsize, shape, strides)
    memory, why = _data_memory(ctx, view["data"], low, high, known)
    if why:
        r.notes.append(f"the array's data: {why}")
    r.blocks["buffer"] = buffer_block(
        data=view["data"],
        nbytes=view["nbytes"],
        itemsize=elsize,
        fmt=typestr,
        dtype=dtype,
        shape=shape,
        strides=strides,
        readonly=not flags & structs.NPY_ARRAY_WRITEABLE,
        owns_data=bool(flags & structs.NPY_ARRAY_OWNDATA),
        c_contiguous=bool(flags & structs.NPY_ARRAY_C_CONTIGUOUS),
        f_contiguous=bool(flags & structs.NPY_ARRAY_F_CONTIGUOUS),
        owner=owner or None,
        base=view["base"] or None,
        flags=names,
        memory=memory,
    )
    shape_text = "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"
    r.repr = ellipsized(f"ndarray {dtype} shape {shape_text}", 100)
    r.memory = own_memory(o, tp, ctx, raw)
    return r


__all__ = [
    "buffer_block",
    "bytes_buffer",
    "extent",
    "known_buffer",
    "read_array",
    "read_bytearray",
    "read_memoryview",
    "read_ndarray",
]
