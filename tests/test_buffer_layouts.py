"""The buffer layouts (bytearray, memoryview with its Py_buffer, array.array, numpy's
ndarray and dtype) against ``offsetof``/``sizeof`` from compiled probes: a small C program
built with gcc against each CPython header set on this machine (the running interpreter's
``sysconfig`` include folder, and the other interpreters' of the version matrix), against
numpy's own headers (``numpy.get_include()``), and against ``arrayobject`` as declared in
``Modules/arraymodule.c`` of the CPython sources that can be reached here (the Debian
source packages scripts/interpreters.sh caches).  Where no compiler, header or source is
present the test skips and says which."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
from dataclasses import replace
from pathlib import Path

import pytest

from redpill import structs
from redpill.interp import CURRENT, Interpreter

GCC = shutil.which("gcc")
CACHE = Path.home() / ".cache" / "redpill-interpreters"

#: (C struct, the redpill layout, {C member: redpill field}) for each probed struct
MEMBERS: dict[str, tuple[str, dict[str, str]]] = {
    "PyByteArrayObject": (
        "bytearray",
        {m: m for m in ("ob_alloc", "ob_bytes", "ob_start", "ob_exports")},
    ),
    "PyMemoryViewObject": (
        "memoryview",
        {
            **{m: m for m in ("mbuf", "hash", "flags", "exports", "weakreflist")},
            **{
                f"view.{m}": f"view.{m}"
                for m in (
                    "buf",
                    "obj",
                    "len",
                    "itemsize",
                    "readonly",
                    "ndim",
                    "format",
                    "shape",
                    "strides",
                    "suboffsets",
                    "internal",
                )
            },
            "ob_array": "ob_array[0]",
        },
    ),
}


def _probe(source: str, includes: list[Path], tmp: Path) -> dict[str, tuple[int, int]]:
    """Compile and run a probe that prints ``name offset size`` lines."""
    c = tmp / "probe.c"
    exe = tmp / "probe"
    c.write_text(source)
    # Each include folder's parent too: Debian's pyconfig.h includes the multiarch one,
    # <x86_64-linux-gnu/python3.X/pyconfig.h>, from the include root above it.
    folders = [f"-I{q}" for p in includes for q in (p, p.parent)]
    args = [GCC, "-std=c11", *folders, str(c), "-o", str(exe)]
    built = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr[-3000:]
    out = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60, check=True)
    found = {}
    for line in out.stdout.splitlines():
        name, offset, size = line.split()
        found[name] = (int(offset), int(size))
    return found


def _lines(struct_name: str, members: list[str], prefix: str = "") -> str:
    rows = [
        f'printf("{prefix}{m} %zu %zu\\n", offsetof({struct_name}, {m}), '
        f"sizeof((({struct_name} *)0)->{m}));"
        for m in members
    ]
    rows.append(f'printf("{prefix}sizeof %zu 0\\n", sizeof({struct_name}));')
    return "\n".join(rows)


def _program(body: str, head: str = "#include <Python.h>") -> str:
    includes = "#include <stddef.h>\n#include <stdio.h>"
    return f"{head}\n{includes}\nint main(void) {{\n{body}\nreturn 0;\n}}\n"


def _header_sets() -> list[tuple[Path, Interpreter]]:
    """Every CPython include folder on this machine with a Python.h, with the build it
    describes (minor version and free-threading read from its own headers)."""
    dirs = {Path(sysconfig.get_paths()["include"])}
    dirs.update(Path.home().glob(".pyenv/versions/3.1[1-9]*/include/python3.*"))
    dirs.update(CACHE.glob("*/include/python3.*"))
    out = []
    for d in sorted(dirs):
        patch = d / "patchlevel.h"
        config = d / "pyconfig.h"
        if not (d / "Python.h").is_file() or not patch.is_file() or not config.is_file():
            continue
        m = re.search(r"#define PY_MINOR_VERSION\s+(\d+)", patch.read_text())
        if m is None or not 11 <= int(m.group(1)) <= 15:
            continue
        ft = re.search(r"^#define Py_GIL_DISABLED 1", config.read_text(), re.M) is not None
        out.append((d, replace(CURRENT, minor=int(m.group(1)), free_threaded=ft, pointer_size=8)))
    return out


HEADER_SETS = _header_sets()


def test_the_probes_have_headers() -> None:
    """At least the running interpreter's headers (or one other set) can be probed; the
    parametrized tests below would otherwise all skip silently."""
    if GCC is None:
        pytest.skip("no gcc on this machine")
    if not HEADER_SETS:
        pytest.skip("no CPython headers (Python.h) on this machine")
    assert HEADER_SETS


@pytest.mark.skipif(GCC is None, reason="no gcc on this machine")
@pytest.mark.parametrize(
    ("include", "interp"),
    HEADER_SETS,
    ids=[
        f"3.{i.minor}{'t' if i.free_threaded else ''}-{d.parent.parent.name}"
        for d, i in HEADER_SETS
    ],
)
def test_cpython_buffer_structs_match_offsetof(
    include: Path, interp: Interpreter, tmp_path: Path
) -> None:
    body = []
    for struct_name, (_kind, members) in MEMBERS.items():
        body.append(_lines(struct_name, list(members), f"{struct_name}."))
    found = _probe(_program("\n".join(body)), [include], tmp_path)
    for struct_name, (kind, members) in MEMBERS.items():
        lay = structs.layout(kind, interp)
        for c_member, name in members.items():
            f = lay.tail if name == "ob_array[0]" else lay.field(name)
            assert f is not None
            assert (f.offset, f.size) == found[f"{struct_name}.{c_member}"], (
                struct_name,
                c_member,
            )
        # a trailing array of one element counts in C's sizeof
        size = lay.sizeof if lay.tail is None else lay.tail.offset + lay.tail.size
        assert found[f"{struct_name}.sizeof"][0] == size, struct_name


def _arraymodule_sources() -> list[tuple[int, str]]:
    """(minor, text of Modules/arraymodule.c) from the CPython source tarballs cached by
    scripts/interpreters.sh (read in place: nothing is unpacked)."""
    out = []
    for tarball in sorted(CACHE.glob("src/*/python3.*_*.orig.tar.[gx]z")):
        m = re.search(r"python3\.(\d+)_", tarball.name)
        if m is None:
            continue
        with tarfile.open(tarball) as tf:
            for member in tf:
                if member.name.endswith("/Modules/arraymodule.c"):
                    data = tf.extractfile(member)
                    if data is not None:
                        out.append((int(m.group(1)), data.read().decode("utf-8", "replace")))
                    break
    return out


@pytest.mark.skipif(GCC is None, reason="no gcc on this machine")
def test_arrayobject_matches_the_cpython_source(tmp_path: Path) -> None:
    """``arrayobject`` is private to Modules/arraymodule.c: its declaration is taken from
    each reachable CPython source and compiled against the headers of an interpreter of
    the same minor version, if there is one, else of the running one."""
    sources = _arraymodule_sources()
    if not sources:
        pytest.skip(f"no CPython source tarball under {CACHE / 'src'}")
    by_minor = {i.minor: d for d, i in HEADER_SETS if not i.free_threaded}
    checked = 0
    for minor, text in sources:
        include = by_minor.get(minor) or by_minor.get(CURRENT.minor)
        if include is None:
            continue
        descr = re.search(r"struct arraydescr \{.*?\n\};", text, re.S)
        obj = re.search(r"typedef struct arrayobject \{.*?\} arrayobject;", text, re.S)
        assert descr is not None and obj is not None, f"3.{minor}: declarations not found"
        members = ["ob_item", "allocated", "ob_descr", "weakreflist", "ob_exports"]
        body = _lines("arrayobject", members, "array.")
        body += "\n" + _lines("struct arraydescr", ["typecode", "itemsize"], "descr.")
        head = (
            "#include <Python.h>\nstruct arrayobject;\n"
            + descr.group(0).replace("struct arrayobject *", "void *")
            + "\n"
            + obj.group(0)
        )
        found = _probe(_program(body, head), [include], tmp_path)
        interp = replace(CURRENT, minor=minor, free_threaded=False, pointer_size=8)
        lay = structs.layout("array", interp)
        for m in members:
            f = lay.field(m)
            assert (f.offset, f.size) == found[f"array.{m}"], (minor, m)
        assert found["array.sizeof"][0] == lay.sizeof
        fields, _ = structs.struct_layout(structs.select(structs.ARRAY_DESCR, interp), 8)
        for f in fields:
            assert (f.offset, f.size) == found[f"descr.{f.name}"], (minor, f.name)
        checked += 1
    if not checked:
        pytest.skip("no CPython headers to compile the sources' arrayobject against")


def test_array_layout_matches_a_live_array() -> None:
    """On any interpreter (no compiler needed): ob_item, ob_size and allocated read at the
    table's offsets are what the array reports of itself."""
    import array
    import ctypes

    a = array.array("d", [1.0, 2.0, 3.0])
    a.append(4.0)
    lay = structs.layout("array")
    assert lay.sizeof == array.array.__basicsize__

    def word(name: str) -> int:
        f = lay.field(name)
        return int.from_bytes(ctypes.string_at(id(a) + f.offset, f.size), "little", signed=True)

    assert word("ob_item") == a.buffer_info()[0]
    assert word("ob_size") == len(a) == 4
    assert word("allocated") >= len(a)


def test_bytearray_and_memoryview_basicsize() -> None:
    assert structs.predicted_basicsize("bytearray") == bytearray.__basicsize__
    assert structs.predicted_basicsize("memoryview") == memoryview.__basicsize__
    assert structs.layout("memoryview").tail.size == memoryview.__itemsize__  # type: ignore[union-attr]


# --- numpy


def _numpy() -> object:
    return pytest.importorskip("numpy", reason="numpy is not installed for this interpreter")


def test_numpy_layout_matches_its_basicsize() -> None:
    np = _numpy()
    version = tuple(int(p) for p in np.__version__.split(".")[:2])  # type: ignore[attr-defined]
    lay, _descr = structs.numpy_layouts(version)
    assert lay.sizeof == np.ndarray.__basicsize__  # type: ignore[attr-defined]


@pytest.mark.skipif(GCC is None, reason="no gcc on this machine")
def test_numpy_structs_match_offsetof(tmp_path: Path) -> None:
    np = _numpy()
    include = Path(sysconfig.get_paths()["include"])
    if not (include / "Python.h").is_file():
        pytest.skip(f"no Python.h for this interpreter in {include}")
    version = tuple(int(p) for p in np.__version__.split(".")[:2])  # type: ignore[attr-defined]
    lay, dlay = structs.numpy_layouts(version)
    array_members = [f.name for f in lay.fields if f.offset >= structs.header().sizeof]
    descr_members = [f.name for f in dlay.fields if f.offset >= structs.header().sizeof]
    head = (
        "#include <Python.h>\n"
        "#define NPY_NO_DEPRECATED_API NPY_API_VERSION\n"
        # numpy 2 declares the whole PyArray_Descr only for code that targets 2.x
        "#define NPY_TARGET_VERSION NPY_API_VERSION\n"
        "#include <numpy/ndarraytypes.h>"
    )
    body = _lines("PyArrayObject_fields", array_members, "array.")
    body += "\n" + _lines("PyArray_Descr", descr_members, "descr.")
    body += "\n" + "\n".join(
        f'printf("flag.{name} %d 0\\n", NPY_ARRAY_{name});' for name in structs.NUMPY_FLAGS.values()
    )
    found = _probe(_program(body, head), [include, Path(np.get_include())], tmp_path)  # type: ignore[attr-defined]
    for m in array_members:
        f = lay.field(m)
        assert (f.offset, f.size) == found[f"array.{m}"], m
    assert found["array.sizeof"][0] == lay.sizeof
    for m in descr_members:
        f = dlay.field(m)
        assert (f.offset, f.size) == found[f"descr.{m}"], m
    for bit, name in structs.NUMPY_FLAGS.items():
        assert found[f"flag.{name}"][0] == bit, name


def test_numpy_1x_and_2x_rows_differ_where_numpy_changed() -> None:
    """numpy 2 moved the dtype's item size after 64 bits of flags (an npy_intp); the array
    struct gained _buffer_info in 1.20 and mem_handler in 1.22 (64-bit numbers)."""
    i64 = replace(CURRENT, minor=13, free_threaded=False, pointer_size=8)
    _a, d1 = structs.numpy_layouts((1, 26), i64)
    _b, d2 = structs.numpy_layouts((2, 0), i64)
    assert (d1.field("elsize").offset, d1.field("elsize").size) == (32, 4)
    assert (d2.field("elsize").offset, d2.field("elsize").size) == (40, 8)
    assert structs.numpy_layouts((1, 19), i64)[0].sizeof == 80
    assert structs.numpy_layouts((1, 21), i64)[0].sizeof == 88
    assert structs.numpy_layouts((1, 22), i64)[0].sizeof == 96


def test_the_probe_sees_this_interpreter() -> None:
    """The running interpreter's own headers are among those probed when it ships them."""
    include = Path(sysconfig.get_paths()["include"])
    if not (include / "Python.h").is_file():
        pytest.skip(f"{sys.executable} ships no Python.h")
    assert include in [d for d, _ in HEADER_SETS]
