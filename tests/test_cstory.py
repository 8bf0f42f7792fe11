"""The C story: each object's birth in CPython's C code, its allocation, its struct's
declaration, and the source links' line numbers, checked against the real thing.

* a real ipykernel runs a ``%%redpill`` cell binding one object of each kind; every
  object's birth, allocation and declaration are checked against what the running
  interpreter says independently (``sys.getsizeof``, ``__basicsize__``, the spacing
  of freshly allocated objects for the pymalloc block size);
* every declaration read from the interpreter's installed headers is compared with
  the header's text, found here by a search of its own;
* every stored line number is checked against the CPython sources of its release
  (the tarballs ``bash scripts/interpreters.sh sources`` caches; skipped with the
  reason where one is absent).
"""

from __future__ import annotations

import collections
import gc
import itertools
import platform
import re
import sys
import sysconfig
import tarfile
from pathlib import Path
from typing import Any

import pytest
from helpers import MIME, Kernel

from redpill import births, declarations, sourcelines
from redpill.declaration_table import TABLE, VERSIONS
from redpill.interp import CURRENT

SOURCES = Path.home() / ".cache/redpill-interpreters/src"
FREE_THREADED = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
P = CURRENT.pointer_size

CELL = """%%redpill
age = 1042
parsed = int("2042")
twice = 5000
twice = twice + 1
small = 7
big = 2 ** 100
pi = 3.25
s = "hello"
u = "h\\u00e9llo"
by = b"xyz"
lst = [age]
tup = (age, pi)
empty = ()
d = {"k": age}
none = None
flag = True
class P:
    pass
p = P()
p.x = age
class S:
    __slots__ = ("x",)
q = S()
q.x = age
"""


def _align(n: int, a: int) -> int:
    return -(-n // a) * a


def _by_name(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    objs = {o["address"]: o for o in payload["objects"]}
    return {b["name"]: objs[b["object"]] for b in payload["names"]}


@pytest.fixture(scope="module")
def story(kernel: Kernel) -> tuple[dict[str, Any], str]:
    ex = kernel.ok(CELL)
    (bundle,) = ex.bundles
    return bundle[MIME], bundle["text/plain"]


@pytest.mark.kernel
def test_births_per_kind(story: tuple[dict[str, Any], str], validate: Any) -> None:
    payload = validate(story[0])
    by = _by_name(payload)
    minor = sys.version_info.minor
    if minor >= 14:  # no birth is claimed where the constructors were not checked
        assert "births" not in payload
        return
    expected = {
        "age": "int-medium@literal",  # the parser made it: PyLong_FromLong
        "parsed": "int-medium",  # int("2042"): not a literal
        "twice": "int-medium",  # bound twice in the cell: nothing is claimed
        "small": "int-small",
        "big": "int-large",  # folded by the compiler, not a literal of the cell
        "pi": "float@literal",
        "s": "str@literal",
        "u": "str@literal",
        "by": "bytes@literal",
        "lst": "list",
        "tup": "tuple",
        "empty": "tuple-empty",
        "d": "dict",
        "none": "none",
        "flag": "bool",
        "q": "instance-slots",
    }
    assert {n: by[n].get("birth") for n in expected} == expected
    assert by["p"]["birth"] in ("instance-values", "instance-dict")
    for name, bid in expected.items():
        b = payload["births"][bid]
        assert b["path"], name
        assert b["summary"]
    assert payload["births"]["int-medium@literal"]["summary"].startswith(
        "made by PyLong_FromLong → _PyLong_FromMedium → PyObject_Malloc"
    )
    assert "compiled" in payload["births"]["int-medium@literal"]["path"][0]["note"]
    assert [s["function"] for s in payload["births"]["int-large"]["path"]] == [
        "_PyLong_New",
        "PyObject_Malloc",
    ]
    for bid in ("int-small", "tuple-empty", "none", "bool"):
        assert payload["births"][bid]["static"] is True
    # the text fallback says it too
    assert "made by PyLong_FromLong → _PyLong_FromMedium → PyObject_Malloc" in story[1]


@pytest.mark.kernel
def test_source_links_and_verified_lines(story: tuple[dict[str, Any], str]) -> None:
    payload = story[0]
    if "births" not in payload:
        pytest.skip(f"no births on CPython {platform.python_version()}")
    tag = "v" + platform.python_version()
    assert payload["c_source"] == {"tag": tag, "verified": tag in sourcelines.LINES}
    for bid, b in payload["births"].items():
        for step in b["path"]:
            assert births.FILE_PATTERN.match(step["file"]), step
            # a line only where this release's source was checked
            assert ("line" in step) == payload["c_source"]["verified"], (bid, step)
            if "line" in step:
                assert sourcelines.LINES[tag][step["file"]][step["function"]] == step["line"]


@pytest.mark.kernel
def test_allocation_from_the_running_interpreter(
    story: tuple[dict[str, Any], str], kernel: Kernel
) -> None:
    payload = story[0]
    if "births" not in payload:
        pytest.skip(f"no births on CPython {platform.python_version()}")
    by = _by_name(payload)
    size = kernel.value
    # what the constructors ask for, from the interpreter itself
    int_basic = size("int.__basicsize__ + int.__itemsize__")
    requested = {
        "age": _align(int_basic, P),  # _PyLong_FromMedium: sizeof(PyLongObject)
        "pi": size("float.__basicsize__"),
        "s": size("__import__('sys').getsizeof(s)"),
        "by": size("__import__('sys').getsizeof(by)"),
        "lst": size("__import__('sys').getsizeof([])"),
        "tup": size("__import__('sys').getsizeof(tup)"),
        "d": size("__import__('sys').getsizeof({})"),
    }
    requested["big"] = size("int.__basicsize__") + 4 * size("int.__itemsize__")  # 4 digits
    for name, want in requested.items():
        alloc = by[name]["allocation"]
        assert alloc["requested"] == want, (name, alloc)
        if FREE_THREADED:
            assert alloc["kind"] == "mimalloc"
            assert "block" not in alloc
        else:
            assert alloc["kind"] == "pymalloc", (name, alloc)
            assert alloc["block"] == _align(want, 16 if P == 8 else 8)
            assert alloc["slack"] == alloc["block"] - want
    for name in ("small", "none", "flag", "empty"):
        assert by[name]["allocation"]["kind"] == "static", name
    if not FREE_THREADED and P == 8:  # the lecture's numbers
        assert by["age"]["allocation"]["block"] == 32
        assert by["pi"]["allocation"]["slack"] == 8


def _common_spacing(make: Any) -> int:
    """The most common distance between neighbouring objects made one after another
    (a pymalloc pool hands out consecutive blocks of one size class)."""
    gc.disable()
    try:
        objs = [make(i) for i in range(4000)]
        addrs = sorted(id(o) for o in objs)
        gaps = collections.Counter(b - a for a, b in itertools.pairwise(addrs))
        return gaps.most_common(1)[0][0]
    finally:
        gc.enable()


@pytest.mark.skipif(
    births.allocator() is None or births.allocator().name != "pymalloc",  # type: ignore[union-attr]
    reason="the block size is only claimed for pymalloc (free-threaded builds use mimalloc)",
)
def test_pymalloc_block_sizes_are_the_real_spacing() -> None:
    """A one-digit int and a float live in blocks of the size class the payload states:
    the spacing of fresh objects in memory shows the block size."""
    from redpill import snapshot

    value = int("1000000")
    entry = snapshot(v=value + 1).to_payload()["objects"][0]
    if "allocation" not in entry:
        pytest.skip(f"no allocation is claimed on CPython {platform.python_version()}")
    one = entry["allocation"]
    assert _common_spacing(lambda i: 1000000 + i * 3 + 1) == one["block"]
    f = snapshot(v=float("2.5")).to_payload()["objects"][0]["allocation"]
    assert _common_spacing(lambda i: float(i) + 0.5) == f["block"]


# ---------------------------------------------------------------------------------------
# declarations


def _header_text(key: str, file: str) -> tuple[int, str] | None:
    """The declaration of ``key`` in the installed header, found by a regex of its own."""
    include = Path(sysconfig.get_paths()["include"])
    text = (include / file.removeprefix("Include/")).read_text()
    if key == "PyLongObject":
        m = re.search(r"^struct _longobject \{.*?^\};", text, re.M | re.S)
    else:
        m = re.search(
            r"^typedef struct \{(?:(?!^typedef struct)(?!^\}).)*^\} " + key + ";",
            text,
            re.M | re.S,
        )
    if m is None:
        return None
    return text.count("\n", 0, m.start()) + 1, m.group(0)


@pytest.mark.kernel
def test_declarations_equal_the_headers(story: tuple[dict[str, Any], str]) -> None:
    payload = story[0]
    decls = payload.get("declarations", {})
    assert "PyLongObject" in decls and "PyFloatObject" in decls
    by = _by_name(payload)
    if declarations.include_dir() is None:
        pytest.skip("this interpreter has no headers installed: the stored table is used")
    for key, d in decls.items():
        assert d["source"] == "headers", key
        found = _header_text(key, d["file"])
        assert found is not None, key
        assert (d["line"], d["text"]) == found, key
    long = decls["PyLongObject"]
    if sys.version_info >= (3, 12):
        assert "_PyLongValue long_value;" in long["text"]
    else:
        assert "digit ob_digit[1];" in long["text"]
    # every member that names a field names one the object has
    for name, obj in by.items():
        key = obj.get("declaration")
        if key is None:
            continue
        have = {f["name"].split("[", 1)[0] for f in obj["fields"]}
        for m in decls[key]["members"]:
            if "field" in m and not m["field"].startswith(("ob_digit", "ob_item", "ob_sval")):
                assert m["field"] in have, (name, m)
    fields = {m.get("field") for m in long["members"]}
    assert {"ob_type", "ob_digit"} <= fields


def test_stored_table_matches_the_headers_of_its_release() -> None:
    key = declarations.table_key()
    if key not in TABLE:
        pytest.skip(f"the stored table has no {key} declarations")
    if VERSIONS[key] != platform.python_version() or declarations.include_dir() is None:
        pytest.skip(
            f"the table was read from {VERSIONS[key]}'s headers; this is "
            f"{platform.python_version()}"
        )
    for layout, rows in declarations.DECLARATIONS.items():
        d = declarations.declaration(layout)
        assert d is not None
        decl_key = declarations.select(rows, CURRENT).key
        assert TABLE[key][decl_key] == d["text"], decl_key


def test_every_interpreter_gets_its_declarations_and_an_honest_link() -> None:
    """In-process (no kernel, so it runs on every interpreter of the matrix): the
    payload names the running release's tag, says whether its lines were checked, and
    carries each declaration from the interpreter's headers or else the stored table of
    its own version; births appear only where that version's constructors were read."""
    from cellrun import run_cell

    payload = run_cell({}, "age = 1042\npi = 3.25\n")
    tag = births.source_tag()
    assert tag == f"v{platform.python_version()}"
    assert payload["c_source"] == {"tag": tag, "verified": tag in sourcelines.LINES}
    decls = payload["declarations"]
    assert {"PyLongObject", "PyFloatObject"} <= set(decls)
    for key, d in decls.items():
        if declarations.include_dir() is not None:
            assert d["source"] == "headers", key
            assert (d["line"], d["text"]) == _header_text(key, d["file"]), key
        else:
            assert d["text"] == TABLE[declarations.table_key()][key], key
    if sys.version_info >= (3, 12):
        assert "_PyLongValue long_value;" in decls["PyLongObject"]["text"]
    try:
        births.select(births.BIRTHS["int-medium"], CURRENT)
    except births.NoLayout:
        assert "births" not in payload
    else:
        assert "int-medium@literal" in payload["births"]


@pytest.mark.parametrize("key", sorted(TABLE))
def test_an_interpreter_without_headers_gets_the_stored_table(key: str) -> None:
    """What an interpreter of that version installed without its headers is shown (the
    stored table; a line only where the release's source was checked)."""
    import dataclasses

    interp = dataclasses.replace(
        CURRENT,
        minor=int(key[2:].rstrip("t")),
        free_threaded=key.endswith("t"),
        version=VERSIONS[key],
    )
    if interp == CURRENT and declarations.include_dir() is not None:
        pytest.skip(f"{key} is this interpreter, whose own headers are read")
    tag = births.source_tag(interp)
    for layout, rows in declarations.DECLARATIONS.items():
        d = declarations.declaration(layout, interp)
        assert d is not None, (key, layout)
        decl = declarations.select(rows, interp)
        assert d["source"] == "table" and d["text"] == TABLE[key][decl.key]
        line = sourcelines.LINES.get(tag or "", {}).get(decl.file, {}).get(decl.key)
        assert d.get("line") == line, (key, layout)
        assert any("field" in m for m in d["members"]), (key, layout)


def test_headers_are_read_once_per_process() -> None:
    if declarations.include_dir() is None:
        pytest.skip("no headers installed")
    declarations.declaration.cache_clear()
    declarations._header_lines.cache_clear()
    for _ in range(3):
        for layout in declarations.DECLARATIONS:
            declarations.declaration(layout)
    info = declarations._header_lines.cache_info()
    rows = [r.value for rs in declarations.DECLARATIONS.values() for r in rs]
    assert info.misses == len({d.file for d in rows})


def test_extract_is_bounded() -> None:
    decl = declarations.Decl("PyThing", "Include/x.h")
    lines = ["typedef struct {"] + ["    int x;"] * (declarations.MAX_LINES + 5) + ["} PyThing;"]
    assert declarations.extract(lines, decl) is None  # longer than MAX_LINES: not taken
    short = ["typedef struct {", "    int x;", "} PyThing;"]
    assert declarations.extract(short, decl) == (1, "\n".join(short))
    assert declarations.member_names("\n".join(short)) == ["x"]


# ---------------------------------------------------------------------------------------
# line numbers against the real sources


#: Facts checked by hand in 3.13.5's source before this table existed.
KNOWN_3135 = {
    ("Objects/longobject.c", "get_small_int"): 50,
    ("Objects/longobject.c", "_PyLong_New"): 140,
    ("Objects/longobject.c", "_PyLong_FromMedium"): 204,
    ("Objects/longobject.c", "PyLong_FromLong"): 294,
    ("Objects/floatobject.c", "PyFloat_FromDouble"): 133,
    ("Objects/unicodeobject.c", "PyUnicode_New"): 1344,
    ("Objects/listobject.c", "PyList_New"): 259,
    ("Objects/tupleobject.c", "tuple_alloc"): 35,
    ("Objects/tupleobject.c", "PyTuple_New"): 70,
    ("Objects/dictobject.c", "new_dict"): 914,
    ("Objects/dictobject.c", "PyDict_New"): 1025,
    ("Objects/typeobject.c", "PyType_GenericAlloc"): 2068,
    ("Objects/bytesobject.c", "PyBytes_FromStringAndSize"): 136,
}


def _tarball(tag: str) -> Path | None:
    version = tag[1:]
    found = sorted(
        p for p in SOURCES.glob(f"*/python3.*_{version}.orig.tar.*") if p.suffix in (".gz", ".xz")
    )
    return found[-1] if found else None


def _defines(line: str, symbol: str) -> bool:
    """Whether a source line starts the definition of ``symbol`` (a function, a static
    object, or a struct declaration's first line)."""
    return (
        line.startswith(symbol + "(")
        or re.match(r"^\w[\w ]*[ *]" + re.escape(symbol) + r"\s*=", line) is not None
        or (line.startswith("typedef struct") and symbol.startswith("Py"))
        or (line.startswith("struct _longobject {") and symbol == "PyLongObject")
    )


@pytest.mark.parametrize("tag", sorted(sourcelines.LINES))
def test_every_stored_line_is_in_the_real_source(tag: str) -> None:
    tarball = _tarball(tag)
    if tarball is None:
        pytest.skip(
            f"no source tarball of {tag} in {SOURCES} (bash scripts/interpreters.sh sources)"
        )
    checked = 0
    with tarfile.open(tarball) as tar:
        prefix = f"Python-{tag[1:]}"
        for file, symbols in sourcelines.LINES[tag].items():
            member = tar.extractfile(f"{prefix}/{file}")
            assert member is not None
            lines = member.read().decode("utf-8", "replace").splitlines()
            for symbol, line in symbols.items():
                assert _defines(lines[line - 1], symbol), (file, symbol, line, lines[line - 1])
                if symbol.startswith("Py") and symbol.endswith("Object"):
                    # a struct: the declaration ends with its name within the bound
                    tail = lines[line - 1 : line - 1 + declarations.MAX_LINES]
                    assert any(
                        t.startswith("}") and (symbol in t or symbol == "PyLongObject")
                        for t in tail
                    )
                checked += 1
    assert checked >= 20
    if tag == "v3.13.5":
        for (file, symbol), line in KNOWN_3135.items():
            assert sourcelines.LINES[tag][file][symbol] == line


def test_every_birth_step_has_a_line_where_its_release_was_checked() -> None:
    """Each function a birth names on a checked release has its line stored (and links
    stay inside the fixed patterns)."""
    import dataclasses

    for tag, files in sourcelines.LINES.items():
        minor = int(tag.split(".")[1])
        for ft in (False, True):
            interp = dataclasses.replace(CURRENT, minor=minor, free_threaded=ft, version=tag[1:])
            for rows in births.BIRTHS.values():
                try:
                    b = births.select(rows, interp)
                except births.NoLayout:
                    continue
                for s in b.path:
                    assert births.FILE_PATTERN.match(s.file), s
                    assert s.function in files.get(s.file, {}), (tag, ft, s)


# ---------------------------------------------------------------------------------------
# the output budget's cheap bound, with the C story's parts counted at their own growth


BOUND_CELLS = [
    "\n".join(f"b{i} = [{i}]" for i in range(100)),
    "\n".join(f"s{i} = '\\x00\\x01\"\\\\' * 50 + str({i})" for i in range(60)),
    "class list(list):\n    __module__ = 'builtins'\n"
    "x = list()\nsetattr(x, '\\x00\\x1f' * 90, 1)\n"
    "y = [list() for _ in range(50)]\n",
    "d = {('\\x00' * 100 + str(i)): [False] * 20 for i in range(50)}\n",
    "age = 1042\nf = 2.5\nt = (1, 2.5, 'x', b'y', None, True)\n",
]


@pytest.mark.parametrize("src", BOUND_CELLS)
def test_the_budget_bound_is_an_upper_bound(src: str) -> None:
    from cellrun import run_cell

    from redpill.budget import measure, upper_bound
    from redpill.fallbacks import bundle
    from redpill.payload import MIME

    payload = run_cell({}, src, max_items=100, max_objects=2000)
    exact = measure({MIME: payload}, MIME)
    for room in (0, 10**9):  # 0: the generated parts are always looked at
        bound = upper_bound(payload, room)
        assert bound is not None and bound >= exact, (room, bound, exact)
    # and the generated parts really are generated: no control character in them
    from redpill.budget import _generated

    text = repr(_generated(payload))
    assert "\\x00" not in text and "\\x1f" not in text
    assert bundle(payload)  # the fallbacks render it


@pytest.mark.parametrize("src", BOUND_CELLS)
def test_the_live_copy_of_the_payload_bounds_it(src: str) -> None:
    """The bound read off the JSON the live diagram packs (what the kernel uses instead of
    encoding the payload again) is never under the payload's exact size."""
    from cellrun import run_cell

    from redpill.budget import measure
    from redpill.fallbacks import bundle_and_bound
    from redpill.live import available, json_bound, payload_json
    from redpill.payload import MIME

    payload = run_cell({}, src, max_items=100, max_objects=2000)
    exact = measure({MIME: payload}, MIME)
    assert json_bound(payload_json(payload)) >= exact
    out, bound = bundle_and_bound(payload)
    if available():  # with the drawing code built, the bundle reports the same bound
        assert bound == json_bound(payload_json(payload))
    assert out[MIME] == payload
