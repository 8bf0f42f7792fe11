"""Buffers and views through the pure collector (no kernel): bytes, bytearray (its separate,
over-allocated buffer), memoryview (the exporter, shape, strides, format), array.array and
numpy's ndarray (data, shape, strides, dtype, flags, base).  Every value is checked against
what Python itself reports of the object (``buffer_info()``, ``memoryview.shape``,
``ndarray.strides``, ``__array_interface__`` — called by the test, never by redpill), and
every payload against the schema and its own memory bytes (``validate``).  numpy tests
skip where numpy is not installed; numpy is never imported by redpill itself."""

from __future__ import annotations

import ctypes
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cellrun import run_cell

from redpill import structs

ROOT = Path(__file__).resolve().parents[1]
NO_PROCESSES = pytest.mark.skipif(
    sys.platform == "emscripten", reason="Pyodide (Emscripten) cannot start processes"
)


def obj(p: dict[str, Any], ns: dict[str, Any], name: str) -> dict[str, Any]:
    """The payload entry of the object ``name`` holds."""
    address = hex(id(ns[name]))
    (found,) = [o for o in p["objects"] if o["address"] == address]
    return found


def fields(e: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in e["fields"]}


def holders_via(e: dict[str, Any]) -> list[tuple[str, str]]:
    return [(h["object"], h.get("via", "")) for h in e["holders"] if "object" in h]


def run(src: str, validate: Any, **opts: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    ns: dict[str, Any] = {}
    p = run_cell(ns, src, **opts)
    validate(p)
    return ns, p


# ---------------------------------------------------------------------------------- bytes


def test_bytes_fields_and_buffer(validate: Any) -> None:
    ns, p = run("bs = bytes(range(40))", validate)
    e = obj(p, ns, "bs")
    f = fields(e)
    lay = structs.layout("bytes")
    assert lay.tail is not None
    assert f["ob_size"]["value"] == 40
    assert f["ob_shash"]["value"] == -1
    assert f["ob_shash"]["note"] == "hash not computed yet"
    assert f["ob_sval[]"]["offset"] == lay.tail.offset
    b = e["buffer"]
    assert b["data"] == hex(id(ns["bs"]) + lay.tail.offset)
    assert (b["nbytes"], b["allocated"], b["readonly"], b["owns_data"]) == (40, 41, True, True)
    assert "memory" not in b  # the bytes are in the object's own memory block
    assert bytes.fromhex(e["memory"]["hex"])[lay.tail.offset :] == bytes(range(40)) + b"\0"


def test_bytes_hash_cached(validate: Any) -> None:
    ns, p = run("bs = b'abc'\nh = hash(bs)", validate)
    assert int(fields(obj(p, ns, "bs"))["ob_shash"]["value"]) == ns["h"]


# ------------------------------------------------------------------------------ bytearray


def test_bytearray_buffer_and_over_allocation(validate: Any) -> None:
    ns, p = run("ba = bytearray(b'hello')\nba += b' world'", validate)
    ba = ns["ba"]
    e = obj(p, ns, "ba")
    assert e["kind"] == "bytearray"
    f = fields(e)
    b = e["buffer"]
    # the buffer the object reports is the one the payload found (address of its first byte)
    start = ctypes.addressof(ctypes.c_char.from_buffer(ba))
    assert b["data"] == hex(start) == f["ob_start"]["value"] == f["ob_bytes"]["value"]
    assert b["nbytes"] == len(ba) == f["ob_size"]["value"]
    assert b["allocated"] == f["ob_alloc"]["value"] >= b["nbytes"]
    if "ob_bytes_object" in f:
        # 3.15+: the buffer is a bytes object's ob_sval, ob_alloc that object's size
        lay = structs.layout("bytes")
        assert lay.tail is not None
        sval = int(f["ob_bytes_object"]["value"], 16) + lay.tail.offset
        assert f["ob_bytes"]["value"] == hex(sval)
    else:
        assert b["allocated"] == ba.__alloc__()
        assert b["allocated"] > b["nbytes"]  # over-allocated by the +=
        assert "spare (over-allocation)" in f["ob_alloc"]["note"]
    assert bytes.fromhex(b["memory"]["hex"]) == bytes(ba)
    assert b["memory"]["address"] == b["data"]
    assert (b["readonly"], b["owns_data"], b["shape"], b["strides"]) == (False, True, [11], [1])
    assert e["repr"] == "bytearray(b'hello world')"


def test_bytearray_start_moves_when_the_front_is_deleted(validate: Any) -> None:
    ns, p = run("ba = bytearray(b'0123456789abcdef')\ndel ba[:3]", validate)
    f = fields(obj(p, ns, "ba"))
    start, buf = int(f["ob_start"]["value"], 16), int(f["ob_bytes"]["value"], 16)
    assert start == buf + 3
    assert f["ob_start"]["note"].startswith("ob_bytes + 3")
    assert bytes.fromhex(obj(p, ns, "ba")["buffer"]["memory"]["hex"]) == b"3456789abcdef"


def test_empty_bytearray(validate: Any) -> None:
    ns, p = run("ba = bytearray()", validate)
    e = obj(p, ns, "ba")
    assert e["buffer"]["nbytes"] == 0
    assert "memory" not in e["buffer"]


def test_bytearray_memory_is_bounded(validate: Any) -> None:
    ns, p = run("ba = bytearray(range(256)) * 100", validate, max_bytes=64)
    m = obj(p, ns, "ba")["buffer"]["memory"]
    assert len(m["hex"]) == 128
    assert (m["size"], m["truncated"]) == (25600, True)


# ----------------------------------------------------------------------------- memoryview


def test_memoryview_of_a_bytearray(validate: Any) -> None:
    ns, p = run("ba = bytearray(b'abcdefghij')\nmv = memoryview(ba)[1:9:3]", validate)
    mv, ba = ns["mv"], ns["ba"]
    e = obj(p, ns, "mv")
    assert e["kind"] == "memoryview"
    b = e["buffer"]
    start = ctypes.addressof(ctypes.c_char.from_buffer(ba))
    assert b["owner"] == b["base"] == hex(id(ba))
    assert b["data"] == hex(start + 1)
    assert (b["shape"], b["strides"], b["format"]) == (list(mv.shape), list(mv.strides), "B")
    assert (b["itemsize"], b["ndim"], b["nbytes"]) == (mv.itemsize, mv.ndim, mv.nbytes)
    assert (b["readonly"], b["owns_data"]) == (False, False)
    assert (b["c_contiguous"], b["f_contiguous"]) == (mv.c_contiguous, mv.f_contiguous)
    # from data to the end of the last item: b, e, h
    assert bytes.fromhex(b["memory"]["hex"]) == bytes(ba)[1:8]
    f = fields(e)
    assert f["view.obj"]["points_to"] == hex(id(ba))
    assert f["view.len"]["value"] == mv.nbytes
    assert f["ob_size"]["value"] == 3 * mv.ndim
    # the exporter is drawn, held by the view
    owner = obj(p, ns, "ba")
    assert (e["address"], ".obj") in holders_via(owner)
    assert owner["unexplained"] == 0


def test_views_sharing_a_managed_buffer_credit_it_once(validate: Any) -> None:
    """m2 = m1[::2] shares m1's managed buffer, which holds the one reference to ba."""
    ns, p = run("ba = bytearray(8)\nm1 = memoryview(ba)\nm2 = m1[::2]", validate)
    owner = obj(p, ns, "ba")
    assert owner["refcount"] == 2  # the name and the managed buffer
    assert owner["unexplained"] == 0
    vias = holders_via(owner)
    assert len(vias) == 1 and vias[0][1] == ".obj"
    assert obj(p, ns, "m2")["buffer"]["owner"] == hex(id(ns["ba"]))


def test_multidimensional_cast(validate: Any) -> None:
    ns, p = run(
        "import array\nar = array.array('i', range(6))\n"
        "mv = memoryview(ar).cast('B').cast('i', (2, 3))",
        validate,
    )
    mv = ns["mv"]
    b = obj(p, ns, "mv")["buffer"]
    assert (b["shape"], b["strides"], b["format"], b["itemsize"]) == (
        [2, 3],
        list(mv.strides),
        "i",
        4,
    )
    assert "C" in b["flags"] and b["c_contiguous"]
    assert bytes.fromhex(b["memory"]["hex"]) == mv.tobytes()
    assert b["owner"] == hex(id(ns["ar"]))


def test_read_only_view_of_bytes(validate: Any) -> None:
    ns, p = run("bs = b'xyz' * 4\nmv = memoryview(bs)[::-1]", validate)
    b = obj(p, ns, "mv")["buffer"]
    assert b["readonly"] is True
    assert b["strides"] == [-1]
    lay = structs.layout("bytes")
    assert lay.tail is not None
    assert int(b["data"], 16) == id(ns["bs"]) + lay.tail.offset + 11  # the last byte
    assert bytes.fromhex(b["memory"]["hex"]) == b"z"  # from data forward: one item
    assert (obj(p, ns, "mv")["address"], ".obj") in holders_via(obj(p, ns, "bs"))


def test_released_view_is_described_not_followed(validate: Any) -> None:
    ns, p = run("ba = bytearray(b'abc')\nmv = memoryview(ba)\nmv.release()", validate)
    e = obj(p, ns, "mv")
    assert "buffer" not in e
    assert "RELEASED" in fields(e)["flags"]["note"]
    assert any("released" in n for n in p["notes"])
    assert obj(p, ns, "ba")["unexplained"] == 0


def test_view_of_memory_redpill_cannot_vouch_for_is_not_read(validate: Any) -> None:
    pytest.importorskip("mmap", reason="no mmap module on this platform")
    ns, p = run(
        "import mmap, ctypes\nmm = mmap.mmap(-1, 4096)\nmv = memoryview(mm)\n"
        "ca = (ctypes.c_char * 8)()\ncv = memoryview(ca)",
        validate,
    )
    for name in ("mv", "cv"):
        b = obj(p, ns, name)["buffer"]
        assert "memory" not in b
        assert b["owner"] == hex(id(ns["mm" if name == "mv" else "ca"]))
    assert any("does not know" in n for n in p["notes"])
    ns["mv"].release()
    ns["mm"].close()


# ----------------------------------------------------------------------------- array.array


def test_array_buffer(validate: Any) -> None:
    ns, p = run("import array\nar = array.array('d', [1.5, -2.0])\nar.append(3.25)", validate)
    ar = ns["ar"]
    e = obj(p, ns, "ar")
    assert e["kind"] == "array"
    b = e["buffer"]
    f = fields(e)
    address, n = ar.buffer_info()
    assert b["data"] == hex(address) == f["ob_item"]["value"]
    assert (b["nbytes"], b["itemsize"], b["format"]) == (n * 8, 8, "d")
    assert b["allocated"] == f["allocated"]["value"] * 8 >= b["nbytes"]
    assert bytes.fromhex(b["memory"]["hex"]) == ar.tobytes()
    assert e["repr"] == "array('d', [1.5, -2.0, 3.25])"
    assert "typecode 'd'" in f["ob_descr"]["note"]


def test_array_typecodes(validate: Any) -> None:
    ns, p = run("import array\nars = [array.array(c, [1, 2]) for c in 'bBhHiIlLqQf']", validate)
    for a in ns["ars"]:
        (e,) = [o for o in p["objects"] if o["address"] == hex(id(a))]
        assert (e["buffer"]["format"], e["buffer"]["itemsize"]) == (a.typecode, a.itemsize)


# --------------------------------------------------------------------------- not importing


@NO_PROCESSES
def test_no_numpy_import_without_numpy_objects() -> None:
    """A cell of bytes, bytearray, memoryview and array.array leaves numpy unimported, where
    numpy is installed or not (a fresh interpreter: this test session imports numpy)."""
    code = (
        "import sys\nsys.path.insert(0, 'tests')\nfrom cellrun import run_cell\n"
        "ns = {}\np = run_cell(ns, \"import array\\nba = bytearray(b'x')\\nmv = memoryview(ba)\\n"
        "ar = array.array('i', [1])\\nbs = b'y'\")\n"
        "kinds = {o['kind'] for o in p['objects']}\n"
        "assert kinds >= {'bytearray', 'memoryview', 'array', 'bytes'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'numpy'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"


# -------------------------------------------------------------------------------- numpy


@pytest.fixture()
def numpy() -> Any:
    return pytest.importorskip("numpy", reason="numpy is not installed for this interpreter")


def test_ndarray_view_shares_its_base(numpy: Any, validate: Any) -> None:
    ns, p = run("import numpy as np\na = np.arange(10.0)\nb = a[::2]", validate)
    a, b = ns["a"], ns["b"]
    ea, eb = obj(p, ns, "a"), obj(p, ns, "b")
    assert ea["kind"] == eb["kind"] == "ndarray"
    ba, bb = ea["buffer"], eb["buffer"]
    assert ba["data"] == hex(a.__array_interface__["data"][0])
    assert bb["data"] == hex(b.__array_interface__["data"][0])
    assert bb["base"] == bb["owner"] == hex(id(a))
    assert "base" not in ba and ba["owns_data"] and not bb["owns_data"]
    # b's data lies inside a's buffer
    lo, hi = int(ba["data"], 16), int(ba["data"], 16) + ba["nbytes"]
    assert lo <= int(bb["data"], 16) < hi
    assert (ba["nbytes"], bb["nbytes"]) == (a.nbytes, b.nbytes)
    assert (bb["shape"], bb["strides"]) == (list(b.shape), list(b.strides))
    assert (bb["format"], bb["dtype"], bb["itemsize"]) == (b.dtype.str, b.dtype.name, 8)
    assert "OWNDATA" in ba["flags"] and "OWNDATA" not in bb["flags"]
    assert (bb["c_contiguous"], bb["f_contiguous"]) == (False, False)
    assert (ba["readonly"], bb["readonly"]) == (False, False)
    assert bytes.fromhex(ba["memory"]["hex"]) == a.tobytes()
    # from b's data forward to its last item: a[0..8] (within a's buffer)
    assert bytes.fromhex(bb["memory"]["hex"]) == a[:9].tobytes()
    # a is held by the name and by b.base
    assert (eb["address"], ".base") in holders_via(ea)
    assert ea["unexplained"] == 0
    f = fields(eb)
    assert f["base"]["points_to"] == hex(id(a))
    assert f["nd"]["value"] == 1
    assert f["data"]["value"] == bb["data"]
    assert eb["repr"] == "ndarray float64 shape (5,)"


def test_ndarray_fields_agree_with_numpy(numpy: Any, validate: Any) -> None:
    ns, p = run(
        "import numpy as np\n"
        "dts = ('i1', 'u2', 'i4', 'f4', 'f8', 'c16', '?', 'S5', 'U3', 'O')\n"
        "arrs = [np.zeros((3, 4), dtype=d) for d in dts]\n"
        "arrs += [np.asfortranarray(np.ones((2, 3))), np.array(7.0), np.zeros((0, 4))]\n"
        "arrs.append(np.ones(4).reshape(2, 2)[:, ::-1])\n"
        "arrs.append(np.frombuffer(b'abcdefgh', dtype='>u2'))",
        validate,
        max_items=100,
    )
    for a in ns["arrs"]:
        (e,) = [o for o in p["objects"] if o["address"] == hex(id(a))]
        b = e["buffer"]
        assert b["shape"] == list(a.shape)
        assert b["strides"] == list(a.strides)
        assert b["itemsize"] == a.itemsize
        assert b["nbytes"] == a.nbytes
        assert b["format"] == a.dtype.str, a.dtype
        assert b["dtype"] == a.dtype.name, a.dtype
        assert b["readonly"] == (not a.flags.writeable)
        assert b["owns_data"] == a.flags.owndata
        assert b["c_contiguous"] == a.flags.c_contiguous
        assert b["f_contiguous"] == a.flags.f_contiguous
        assert b["data"] == hex(a.__array_interface__["data"][0])
        if a.nbytes and (a.flags.owndata or a.base is not None):
            assert "memory" in b


def test_base_chain_to_a_bytes_owner(numpy: Any, validate: Any) -> None:
    ns, p = run(
        "import numpy as np\nbs = bytes(range(16))\n"
        "fb = np.frombuffer(bs, dtype='u1')\nfv = fb[::-2]",
        validate,
    )
    efb, efv = obj(p, ns, "fb"), obj(p, ns, "fv")
    assert efb["buffer"]["base"] == efb["buffer"]["owner"] == hex(id(ns["bs"]))
    assert efv["buffer"]["base"] == hex(id(ns["fb"]))
    assert efv["buffer"]["owner"] == hex(id(ns["bs"]))  # the last link
    assert bytes.fromhex(efb["buffer"]["memory"]["hex"]) == bytes(range(16))
    assert bytes.fromhex(efv["buffer"]["memory"]["hex"]) == b"\x0f"  # data is the last byte
    assert (efb["address"], ".base") in holders_via(obj(p, ns, "bs"))


def test_memoryview_of_an_ndarray(numpy: Any, validate: Any) -> None:
    ns, p = run(
        "import numpy as np\na = np.arange(6, dtype='i2').reshape(2, 3)\nmv = memoryview(a)",
        validate,
    )
    b = obj(p, ns, "mv")["buffer"]
    assert b["owner"] == hex(id(ns["a"]))
    assert (b["format"], b["shape"], b["strides"]) == ("h", [2, 3], [6, 2])
    assert bytes.fromhex(b["memory"]["hex"]) == ns["a"].tobytes()


def test_foreign_memory_is_never_read(numpy: Any, validate: Any) -> None:
    """An array over an address the user made up (``__array_interface__``) or strides that
    leave its base (``as_strided``): described, its data never read (it would crash)."""
    ns, p = run(
        "import numpy as np\nfrom numpy.lib.stride_tricks import as_strided\n"
        "class Fake:\n"
        "    __array_interface__ = {\n"
        "        'data': (16, False), 'shape': (64,), 'typestr': '|u1', 'version': 3}\n"
        "wild = np.asarray(Fake())\n"
        "a = np.arange(4, dtype='u1')\n"
        "past = as_strided(a, shape=(4,), strides=(1 << 20,))",
        validate,
    )
    wild = obj(p, ns, "wild")["buffer"]
    assert wild["data"] == "0x10"
    assert "memory" not in wild
    past = obj(p, ns, "past")["buffer"]
    assert "memory" not in past
    assert any("not read" in n or "does not know" in n for n in p["notes"])


def test_hostile_ndarray_subclass_runs_no_code(numpy: Any, validate: Any) -> None:
    ns, p = run(
        "import numpy as np\nLOG = []\n"
        "class H(np.ndarray):\n"
        "    def __getattribute__(self, name):\n"
        "        LOG.append(name)\n"
        "        raise SystemExit(name)\n"
        "    @property\n"
        "    def __array_interface__(self):\n"
        "        LOG.append('__array_interface__')\n"
        "        raise SystemExit\n"
        "    def __array_finalize__(self, obj):\n"
        "        pass\n"
        "    def __len__(self):\n"
        "        LOG.append('__len__')\n"
        "        return 10**12\n"
        "    def __repr__(self):\n"
        "        LOG.append('__repr__')\n"
        "        return 'lie'\n"
        "base = np.arange(8.0)\n"
        "h = base.view(H)\n"
        "LOG.clear()",
        validate,
    )
    assert ns["LOG"] == []
    e = obj(p, ns, "h")
    assert e["kind"] == "ndarray"
    assert e["buffer"]["base"] == hex(id(ns["base"]))
    assert e["buffer"]["shape"] == [8]
    assert e["type"] == "H"


# ------------------------------------------------------------------------- a real kernel


@pytest.mark.kernel
def test_kernel_cell_without_numpy_leaves_it_unimported(kernel: Any, validate: Any) -> None:
    ex = kernel.ok("%%redpill\nba = bytearray(b'abc')\nmv = memoryview(ba)")
    p = validate(ex.payload)
    kinds = {o["kind"] for o in p["objects"]}
    assert {"bytearray", "memoryview"} <= kinds
    assert (
        kernel.value("sorted(m for m in __import__('sys').modules if m.startswith('numpy'))") == []
    )


@pytest.mark.kernel
def test_kernel_draws_a_numpy_view_and_its_base(kernel: Any, validate: Any) -> None:
    pytest.importorskip("numpy", reason="numpy is not installed for this interpreter")
    ex = kernel.ok("%%redpill\nimport numpy as np\na = np.arange(12.0)\nb = a[::2]")
    p = validate(ex.payload)
    by_name = {n["name"]: n["object"] for n in p["names"]}
    objects = {o["address"]: o for o in p["objects"]}
    a, b = objects[by_name["a"]], objects[by_name["b"]]
    assert b["buffer"]["base"] == a["address"]
    assert {"object": b["address"], "type": "ndarray", "via": ".base"} in a["holders"]
    lo = int(a["buffer"]["data"], 16)
    assert lo <= int(b["buffer"]["data"], 16) < lo + a["buffer"]["nbytes"]
    assert a["unexplained"] == 0 and b["unexplained"] == 0
    assert "data 0x" in ex.bundles[0]["text/plain"]
