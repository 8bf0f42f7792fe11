"""The layout tables: offsets against __basicsize__ and sizes on this interpreter (which
includes a real 32-bit CPython: Pyodide in scripts/pyodide-tests.sh), and against the
reference's checked numbers for builds not in the test matrix."""

from __future__ import annotations

import sys
import types
from dataclasses import replace

import pytest

from redpill import structs
from redpill.interp import CURRENT, Interpreter, unsupported_reason
from redpill.structs import layout, predicted_basicsize


def interp(minor: int, ft: bool = False, P: int = 8) -> Interpreter:
    return replace(CURRENT, minor=minor, free_threaded=ft, pointer_size=P)


RUNTIME_TYPES = {
    "object": object,
    "int": int,
    "float": float,
    "bytes": bytes,
    "tuple": tuple,
    "list": list,
    "dict": dict,
    "set": set,
    "str_legacy": str,  # str.__basicsize__ == sizeof(PyUnicodeObject)
}


def test_this_interpreter_is_supported() -> None:
    assert unsupported_reason(CURRENT) is None


@pytest.mark.parametrize("kind", sorted(RUNTIME_TYPES))
def test_basicsize_matches_this_interpreter(kind: str) -> None:
    assert predicted_basicsize(kind) == RUNTIME_TYPES[kind].__basicsize__


def test_header_is_object_basicsize() -> None:
    assert structs.header().sizeof == object.__basicsize__


@pytest.mark.parametrize(
    ("kind", "tp"),
    [("function", types.FunctionType), ("module", types.ModuleType), ("class", type)],
)
def test_partial_layouts_fit_in_the_type(kind: str, tp: type) -> None:
    lay = layout(kind)
    last = lay.fields[-1]
    assert last.offset + last.size <= tp.__basicsize__


def test_str_and_int_data_offsets_match_this_interpreter() -> None:
    """The rows this interpreter uses (64-bit, or wasm32 under Pyodide: scripts/pyodide-tests.sh)
    against the sizes it reports itself."""
    assert layout("str_ascii").sizeof + 1 == sys.getsizeof("")
    # Two Latin-1 characters and the NUL (one character would be the cached singleton,
    # which also holds its UTF-8 form).
    assert layout("str_compact").sizeof + 3 == sys.getsizeof("".join(["\xe9", "\xe9"]))
    digits = layout("int").tail
    assert digits is not None
    assert digits.offset + sys.int_info.sizeof_digit == sys.getsizeof(1)


def test_frozenset_and_bool_share_layouts() -> None:
    assert frozenset.__basicsize__ == set.__basicsize__
    assert bool.__basicsize__ == int.__basicsize__ or CURRENT.minor == 11


# --- __basicsize__ per build, from the checked reference (CPython object layouts per
# version, 64-bit and wasm32), for every build in the tables
# (kind, minor, free_threaded, pointer size) -> __basicsize__
REFERENCE = {
    ("object", 11, False, 8): 16,
    ("object", 13, True, 8): 32,
    ("object", 14, False, 4): 8,
    ("int", 11, False, 8): 24,
    ("int", 12, False, 8): 24,
    ("int", 15, False, 8): 24,
    ("int", 13, True, 8): 40,
    ("int", 14, False, 4): 12,
    ("float", 13, False, 8): 24,
    ("float", 13, True, 8): 40,
    ("bytes", 12, False, 8): 33,
    ("bytes", 13, True, 8): 49,
    ("tuple", 13, False, 8): 24,
    ("tuple", 14, False, 8): 32,
    ("tuple", 15, False, 8): 32,
    ("tuple", 13, True, 8): 40,
    ("tuple", 14, True, 8): 48,
    ("tuple", 14, False, 4): 16,
    ("list", 14, False, 8): 40,
    ("list", 13, True, 8): 56,
    ("dict", 11, False, 8): 48,
    ("dict", 14, False, 8): 48,
    ("dict", 13, True, 8): 64,
    ("dict", 14, False, 4): 32,
    ("set", 12, False, 8): 200,
    ("set", 13, True, 8): 216,
    ("str_legacy", 11, False, 8): 80,
    ("str_legacy", 12, False, 8): 64,
    ("str_legacy", 15, False, 8): 64,
    ("str_legacy", 13, True, 8): 80,
    ("str_legacy", 14, False, 4): 32,
}


@pytest.mark.parametrize(("key", "expected"), sorted(REFERENCE.items()))
def test_basicsize_matches_the_reference(key: tuple[str, int, bool, int], expected: int) -> None:
    kind, minor, ft, P = key
    assert predicted_basicsize(kind, interp(minor, ft, P)) == expected


# field offsets from the checked reference (object header, int, str, containers)
OFFSETS = [
    # (kind, minor, ft, P, field, offset, size)
    ("object", 14, False, 8, "ob_refcnt", 0, 4),
    ("object", 14, False, 8, "ob_overflow", 4, 2),
    ("object", 14, False, 8, "ob_flags", 6, 2),
    ("object", 14, False, 8, "ob_type", 8, 8),
    ("object", 13, True, 8, "ob_tid", 0, 8),
    ("object", 13, True, 8, "ob_mutex", 10, 1),
    ("object", 13, True, 8, "ob_gc_bits", 11, 1),
    ("object", 13, True, 8, "ob_ref_local", 12, 4),
    ("object", 13, True, 8, "ob_ref_shared", 16, 8),
    ("object", 13, True, 8, "ob_type", 24, 8),
    ("object", 14, True, 8, "ob_flags", 8, 2),
    ("object", 14, False, 4, "ob_type", 4, 4),
    ("int", 11, False, 8, "ob_size", 16, 8),
    ("int", 12, False, 8, "lv_tag", 16, 8),
    ("int", 13, True, 8, "lv_tag", 32, 8),
    ("int", 14, False, 4, "lv_tag", 8, 4),
    ("float", 12, False, 8, "ob_fval", 16, 8),
    ("float", 13, True, 8, "ob_fval", 32, 8),
    ("float", 14, False, 4, "ob_fval", 8, 8),
    ("str_legacy", 11, False, 8, "length", 16, 8),
    ("str_legacy", 11, False, 8, "hash", 24, 8),
    ("str_legacy", 11, False, 8, "state", 32, 4),
    ("str_legacy", 11, False, 8, "wstr", 40, 8),
    ("str_legacy", 11, False, 8, "utf8_length", 48, 8),
    ("str_legacy", 11, False, 8, "utf8", 56, 8),
    ("str_legacy", 11, False, 8, "wstr_length", 64, 8),
    ("str_legacy", 11, False, 8, "data", 72, 8),
    ("str_legacy", 12, False, 8, "utf8_length", 40, 8),
    ("str_legacy", 12, False, 8, "data", 56, 8),
    ("str_legacy", 13, True, 8, "length", 32, 8),
    ("str_legacy", 13, True, 8, "state", 48, 4),
    ("str_legacy", 13, True, 8, "utf8_length", 56, 8),
    ("str_legacy", 13, True, 8, "data", 72, 8),
    ("bytes", 12, False, 8, "ob_shash", 24, 8),
    ("bytes", 13, True, 8, "ob_shash", 40, 8),
    ("tuple", 14, False, 8, "ob_hash", 24, 8),
    ("tuple", 14, True, 8, "ob_hash", 40, 8),
    ("list", 12, False, 8, "ob_item", 24, 8),
    ("list", 12, False, 8, "allocated", 32, 8),
    ("list", 13, True, 8, "ob_item", 40, 8),
    ("list", 13, True, 8, "allocated", 48, 8),
    ("dict", 11, False, 8, "ma_used", 16, 8),
    ("dict", 11, False, 8, "ma_version_tag", 24, 8),
    ("dict", 14, False, 8, "_ma_watcher_tag", 24, 8),
    ("dict", 12, False, 8, "ma_keys", 32, 8),
    ("dict", 12, False, 8, "ma_values", 40, 8),
    ("set", 12, False, 8, "smalltable", 64, 128),
    ("set", 13, True, 8, "smalltable", 80, 128),
]


@pytest.mark.parametrize(
    "row", OFFSETS, ids=lambda r: f"{r[0]}-3.{r[1]}{'t' if r[2] else ''}-{r[3]}-{r[4]}"
)
def test_offsets_match_the_reference(row: tuple[str, int, bool, int, str, int, int]) -> None:
    kind, minor, ft, P, name, offset, size = row
    f = layout(kind, interp(minor, ft, P)).field(name)
    assert (f.offset, f.size) == (offset, size)


@pytest.mark.parametrize(
    ("minor", "ft", "P", "ascii_size", "compact_size"),
    [
        (11, False, 8, 48, 72),
        (12, False, 8, 40, 56),
        (15, False, 8, 40, 56),
        (13, True, 8, 56, 72),
        (14, False, 4, 20, 28),
    ],
)
def test_str_data_offsets(minor: int, ft: bool, P: int, ascii_size: int, compact_size: int) -> None:
    i = interp(minor, ft, P)
    assert layout("str_ascii", i).sizeof == ascii_size
    assert layout("str_compact", i).sizeof == compact_size


def test_digit_offsets() -> None:
    assert layout("int", interp(11)).tail.offset == 24  # type: ignore[union-attr]
    assert layout("int", interp(13, True)).tail.offset == 40  # type: ignore[union-attr]
    assert layout("int", interp(14, False, 4)).tail.offset == 12  # type: ignore[union-attr]


def test_dict_keys_header() -> None:
    for i in (interp(11), interp(13), interp(13, True), interp(15)):
        fields, size = structs.struct_layout(structs.select(structs.DICT_KEYS, i), 8)
        assert size == 32
        assert {f.name: f.offset for f in fields}["dk_nentries"] == 24


@pytest.mark.parametrize("minor", [11, 12, 13, 14, 15])
@pytest.mark.parametrize("ft", [False, True])
@pytest.mark.parametrize("P", [4, 8])
def test_every_table_has_a_row(minor: int, ft: bool, P: int) -> None:
    if ft and minor < 13:
        return  # no free-threaded build before 3.13
    i = interp(minor, ft, P)
    f = structs.facts(i)
    assert f.header.field("ob_type").size == P
    for kind in structs.BODIES:
        layout(kind, i)


def test_refcount_rules() -> None:
    assert structs.select(structs.REFCOUNT, interp(11)).immortal[0] == "never"
    assert structs.select(structs.REFCOUNT, interp(12)).immortal == ("bit", 0x80000000)
    assert structs.select(structs.REFCOUNT, interp(13, False, 4)).immortal == ("eq", 0x3FFFFFFF)
    assert structs.select(structs.REFCOUNT, interp(14, False, 4)).immortal == ("ge", 1 << 30)
    assert structs.select(structs.REFCOUNT, interp(13, True)).deferred_local_bias == 1
    assert structs.select(structs.REFCOUNT, interp(14, True)).deferred_shared_bias == (
        (2**63 - 1) // 8
    )


def test_small_int_defaults() -> None:
    assert structs.select(structs.SMALL_INTS, interp(14)) == (-5, 256)
    assert structs.select(structs.SMALL_INTS, interp(15)) == (-5, 1024)


def test_no_version_branches_outside_layouts() -> None:
    """Struct knowledge lives in structs.py: no other module looks at the version."""
    import pathlib

    pkg = pathlib.Path(structs.__file__).parent
    for path in pkg.glob("*.py"):
        if path.name in ("structs.py", "interp.py", "__init__.py"):
            continue
        text = path.read_text()
        assert "version_info" not in text, path.name
        assert "sys.version" not in text, path.name


def test_version_check_on_import_is_clear() -> None:
    assert sys.version_info >= (3, 11)
