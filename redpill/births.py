"""Where each object came from in CPython's C code, and where it lives, as data.

Beside :mod:`redpill.structs` (what an object's bytes are), this module holds how
CPython makes an object of each kind, per version: the constructor's call path
(:data:`BIRTHS`, rows of :class:`~redpill.structs.Rule` like the struct tables) and
how the object allocator serves it (:func:`allocation`).  Only what the C sources of
a version establish is stated: the paths were read in the sources of 3.11.2 and
3.13.5 (Debian's source packages) and 3.12 sits between them; 3.14 and later get no
birth (their constructors changed and were not checked here).

Line numbers are not typed in here: :mod:`redpill.sourcelines` holds them per release
tag, only for the releases whose sources were checked (and the tests check them
again).
"""

from __future__ import annotations

import os
import re
import sysconfig
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from . import structs
from .interp import CURRENT, Interpreter
from .sourcelines import LINES
from .structs import Facts, NoLayout, Rule, select

#: The CPython release tag a link may name (the renderer checks the same pattern).
TAG_PATTERN = re.compile(r"^v3\.\d+\.\d+((a|b|rc)\d+)?$")
#: The source files a link may name (the renderer checks the same pattern).
FILE_PATTERN = re.compile(r"^(Include|Objects|Python|Modules)/[A-Za-z0-9_/.-]+\.(c|h)$")


@dataclass(frozen=True)
class Step:
    """One C function (or static object) on a constructor's path, in a source file."""

    function: str
    file: str
    note: str | None = None


@dataclass(frozen=True)
class Birth:
    """How CPython makes (or serves) an object of one kind: a summary and the path,
    outermost call first; ``static``: no allocation at all."""

    summary: str
    path: tuple[Step, ...]
    static: bool = False
    #: the free list the constructor takes a block from first, if the version has one
    freelist: str | None = None


_LONG = "Objects/longobject.c"
_MALLOC = "Objects/obmalloc.c"
_TYPE = "Objects/typeobject.c"
_DICT = "Objects/dictobject.c"

_PY_MALLOC = Step("PyObject_Malloc", _MALLOC, "the object allocator (pymalloc)")
_PY_MALLOC_FT = Step("PyObject_Malloc", _MALLOC, "the object allocator: mimalloc on this build")


def _gc_new(minor_file: str, var: bool = False) -> Step:
    name = "_PyObject_GC_NewVar" if var else "_PyObject_GC_New"
    return Step(name, minor_file, "GC-tracked objects: PyGC_Head before the object, same block")


_GC_311 = "Modules/gcmodule.c"
_GC_313 = "Python/gc.c"
_GC_313T = "Python/gc_free_threading.c"


def _per_build(
    make: object,
) -> list[Rule[Birth]]:
    """Rows for 3.11, 3.12, 3.13 and 3.13t from ``make(gc_file, malloc_step, minor)``."""
    f = make  # type: ignore[assignment]
    return [
        Rule((11, 11), f(_GC_311, _PY_MALLOC, 11), free_threaded=False),  # type: ignore[operator]
        Rule((12, 12), f(_GC_311, _PY_MALLOC, 12), free_threaded=False),  # type: ignore[operator]
        Rule((13, 13), f(_GC_313, _PY_MALLOC, 13), free_threaded=False),  # type: ignore[operator]
        Rule((13, 13), f(_GC_313T, _PY_MALLOC_FT, 13), free_threaded=True),  # type: ignore[operator]
    ]


def _int_small(gc: str, malloc: Step, minor: int) -> Birth:
    how = "statically allocated, refcounted" if minor == 11 else "immortal"
    return Birth(
        f"not made: a preallocated small int ({how}; PyLong_FromLong returns it, no allocation)",
        (
            Step("PyLong_FromLong", _LONG),
            Step("get_small_int", _LONG, "the small-int array of the runtime: no allocation"),
        ),
        static=True,
    )


def _int_medium(gc: str, malloc: Step, minor: int) -> Birth:
    return Birth(
        "made by PyLong_FromLong → _PyLong_FromMedium → PyObject_Malloc",
        (
            Step(
                "PyLong_FromLong",
                _LONG,
                "the constructor from a C long; |value| < 2**30: one digit (ints parsed "
                "from text or made by arithmetic reach the allocator through other callers)",
            ),
            Step("_PyLong_FromMedium", _LONG, "asks for sizeof(PyLongObject)"),
            malloc,
        ),
    )


def _int_large(gc: str, malloc: Step, minor: int) -> Birth:
    return Birth(
        "made by _PyLong_New(ndigits) → PyObject_Malloc",
        (
            Step(
                "_PyLong_New",
                _LONG,
                "every int of several digits (PyLong_FromLong, arithmetic, parsing) ends here",
            ),
            malloc,
        ),
    )


def _float(gc: str, malloc: Step, minor: int) -> Birth:
    return Birth(
        "made by PyFloat_FromDouble → PyObject_Malloc (or a freed float from the free list)",
        (
            Step(
                "PyFloat_FromDouble", "Objects/floatobject.c", "takes a freed float if it has one"
            ),
            malloc,
        ),
        freelist="float",
    )


def _str(gc: str, malloc: Step, minor: int) -> Birth:
    return Birth(
        "made by PyUnicode_New → PyObject_Malloc (PyUnicode_New(size, maxchar): the struct "
        "and the characters in one block)",
        (
            Step(
                "PyUnicode_New",
                "Objects/unicodeobject.c",
                "maxchar picks kind (1, 2 or 4 bytes a character), compact and ascii: "
                "the struct and the characters in one block",
            ),
            malloc,
        ),
    )


def _str_static(gc: str, malloc: Step, minor: int) -> Birth:
    return Birth(
        "not made: a static str of the runtime (the empty string, one-character Latin-1 "
        "strings, identifiers CPython uses; no allocation)",
        (Step("get_latin1_char", "Objects/unicodeobject.c", "one of the static strings"),),
        static=True,
    )


def _bytes(gc: str, malloc: Step, minor: int) -> Birth:
    return Birth(
        "made by PyBytes_FromStringAndSize → _PyBytes_FromSize → PyObject_Malloc",
        (
            Step("PyBytes_FromStringAndSize", "Objects/bytesobject.c"),
            Step("_PyBytes_FromSize", "Objects/bytesobject.c", "the struct and the bytes + NUL"),
            malloc,
        ),
    )


def _list(gc: str, malloc: Step, minor: int) -> Birth:
    return Birth(
        "made by PyList_New → PyObject_GC_New → PyObject_Malloc (a freed list from the free "
        "list first; ob_item: a PyMem_Calloc block of its own)",
        (
            Step("PyList_New", "Objects/listobject.c", "takes a freed list if it has one"),
            _gc_new(gc),
            malloc,
            Step("PyMem_Calloc", _MALLOC, "the ob_item array, a block of its own"),
        ),
        freelist="list",
    )


def _tuple(gc: str, malloc: Step, minor: int) -> Birth:
    return Birth(
        "made by PyTuple_New → tuple_alloc → PyObject_GC_NewVar → PyObject_Malloc (a freed "
        "tuple of that length from its free list first)",
        (
            Step("PyTuple_New", "Objects/tupleobject.c"),
            Step("tuple_alloc", "Objects/tupleobject.c", "free lists by length, 1 to 20 items"),
            _gc_new(gc, var=True),
            malloc,
        ),
        freelist="tuple",
    )


def _tuple_empty(gc: str, malloc: Step, minor: int) -> Birth:
    return Birth(
        "not made: the static empty tuple (PyTuple_New(0) returns it, no allocation)",
        (
            Step("PyTuple_New", "Objects/tupleobject.c"),
            Step("tuple_get_empty", "Objects/tupleobject.c", "the static empty tuple"),
        ),
        static=True,
    )


def _dict(gc: str, malloc: Step, minor: int) -> Birth:
    return Birth(
        "made by PyDict_New → new_dict → PyObject_GC_New → PyObject_Malloc (a freed dict "
        "from the free list first; the keys and values: blocks of their own)",
        (
            Step("PyDict_New", _DICT, "starts with the shared empty keys object"),
            Step("new_dict", _DICT, "takes a freed dict if it has one"),
            _gc_new(gc),
            malloc,
            Step("new_keys_object", _DICT, "the first insertions: a keys object of its own block"),
        ),
        freelist="dict",
    )


def _instance(values: tuple[Step, ...], note: str) -> object:
    def make(gc: str, malloc: Step, minor: int) -> Birth:
        return Birth(
            f"made by type_call → object_new → PyType_GenericAlloc → PyObject_Malloc ({note})",
            (
                Step("type_call", _TYPE, "calling the class"),
                Step("object_new", _TYPE, "tp_new inherited from object"),
                Step("PyType_GenericAlloc", _TYPE, "tp_alloc"),
                Step(
                    "_PyType_AllocNoTrack",
                    _TYPE,
                    "the pre-header (GC head, managed dict) and the struct",
                ),
                malloc,
                *values,
            ),
        )

    return make


_VALUES_311 = (
    Step("init_inline_values", _DICT, "the attribute values: a values array"),
    Step("new_values", _DICT, "a block of its own (PyMem_Malloc)"),
)
_VALUES_313 = (
    Step("_PyObject_InitInlineValues", _DICT, "the attribute values, inline after the struct"),
)


def _none(gc: str, malloc: Step, minor: int) -> Birth:
    return Birth(
        "not made: the static None (_Py_NoneStruct; no allocation)",
        (Step("_Py_NoneStruct", "Objects/object.c", "a static PyObject"),),
        static=True,
    )


def _bool(gc: str, malloc: Step, minor: int) -> Birth:
    return Birth(
        "not made: a static singleton (True and False are two static ints; no allocation)",
        (
            Step("_Py_FalseStruct", "Objects/boolobject.c", "a static PyLongObject"),
            Step("_Py_TrueStruct", "Objects/boolobject.c", "a static PyLongObject"),
        ),
        static=True,
    )


#: birth id -> rows.  Ids are what objects' ``birth`` names in the payload.
BIRTHS: dict[str, list[Rule[Birth]]] = {
    "int-small": _per_build(_int_small),
    "int-medium": _per_build(_int_medium),
    "int-large": _per_build(_int_large),
    "bool": _per_build(_bool),
    "none": _per_build(_none),
    "float": _per_build(_float),
    "str": _per_build(_str),
    "str-static": _per_build(_str_static),
    "bytes": _per_build(_bytes),
    "list": _per_build(_list),
    "tuple": _per_build(_tuple),
    "tuple-empty": _per_build(_tuple_empty),
    "dict": _per_build(_dict),
    "instance-values": [
        Rule(
            (11, 11),
            _instance(_VALUES_311, "the attributes: a values array of its own")(  # type: ignore[operator]
                _GC_311, _PY_MALLOC, 11
            ),
            free_threaded=False,
        ),
        Rule(
            (12, 12),
            _instance((), "the attributes: a values array of its own")(  # type: ignore[operator]
                _GC_311, _PY_MALLOC, 12
            ),
            free_threaded=False,
        ),
        Rule(
            (13, 13),
            _instance(_VALUES_313, "the attributes: inline values after the struct")(  # type: ignore[operator]
                _GC_313, _PY_MALLOC, 13
            ),
            free_threaded=False,
        ),
        Rule(
            (13, 13),
            _instance(_VALUES_313, "the attributes: inline values after the struct")(  # type: ignore[operator]
                _GC_313T, _PY_MALLOC_FT, 13
            ),
            free_threaded=True,
        ),
    ],
    "instance-dict": _per_build(_instance((), "the attributes: a __dict__ of its own")),
    "instance-slots": _per_build(
        _instance((), "the attributes: __slots__ members inside the struct")
    ),
}

#: A literal of the cell: what the parser called, said in the birth's first step.
_LITERAL_NOTE = (
    "called when the cell was compiled: the parser made this constant from the literal "
    "in the cell (Parser/pegen.c), and the code keeps it in co_consts"
)
#: Free-threaded 3.13: the code object interns its constants and makes them immortal.
_INTERN_CONSTANT = Step(
    "intern_one_constant",
    "Objects/codeobject.c",
    "free-threaded build: the code object's constants are interned and made immortal",
)
_INTERNS_CONSTANTS: list[Rule[bool]] = [
    Rule((13, 13), True, free_threaded=True),
    Rule((11, 15), False),
]


#: Longest literal text compared (longer literals are not claimed).
_LITERAL_TEXT_CAP = 200


def literal_key(value: object) -> str | None:
    """A short text that identifies a constant's type and value (None: not a kind whose
    birth a literal decides, or too long to compare).  Builtin methods only."""
    tp = type(value)
    if tp is int:
        if int.bit_length(value) > 256:  # type: ignore[arg-type]
            return None
        return f"int:{int.__repr__(value)}"  # type: ignore[arg-type]
    if tp is float:
        return f"float:{float.hex(value)}"  # type: ignore[arg-type]
    if tp is str:
        if str.__len__(value) > _LITERAL_TEXT_CAP:  # type: ignore[arg-type]
            return None
        return f"str:{str.encode(value, 'utf-8', 'surrogatepass').hex()}"  # type: ignore[arg-type]
    if tp is bytes:
        if bytes.__len__(value) > _LITERAL_TEXT_CAP:  # type: ignore[arg-type]
            return None
        return f"bytes:{bytes.hex(value)}"  # type: ignore[arg-type]
    return None


def source_tag(interp: Interpreter = CURRENT) -> str | None:
    """The CPython release tag of ``interp`` (``v3.13.5``), or None for a version that
    has no tag of that form (a development build)."""
    tag = "v" + interp.version.rstrip("+")
    return tag if TAG_PATTERN.match(tag) else None


@cache
def source_block(interp: Interpreter = CURRENT) -> dict[str, object] | None:
    """The payload's ``c_source``: the tag, and whether its line numbers were checked."""
    tag = source_tag(interp)
    if tag is None:
        return None
    return {"tag": tag, "verified": tag in LINES}


def _line(tag: str | None, file: str, symbol: str) -> int | None:
    if tag is None:
        return None
    return LINES.get(tag, {}).get(file, {}).get(symbol)


@cache
def birth_payload(birth_id: str, interp: Interpreter = CURRENT) -> dict[str, object] | None:
    """The payload's ``births`` entry for ``birth_id`` on ``interp`` (None: not known on
    this version).  A ``…@literal`` id is the same birth called by the parser."""
    base, _, variant = birth_id.partition("@")
    rows = BIRTHS.get(base)
    if rows is None:
        return None
    try:
        b = select(rows, interp)
    except NoLayout:
        return None
    tag = source_tag(interp)
    steps = list(b.path)
    summary = b.summary
    if variant == "literal":
        first = steps[0]
        steps[0] = Step(first.function, first.file, _LITERAL_NOTE)
        if select(_INTERNS_CONSTANTS, interp) and not b.static:
            steps.append(_INTERN_CONSTANT)
        summary = f"{summary}; a literal of the cell, made when the cell was compiled"
    path: list[dict[str, object]] = []
    for s in steps:
        step: dict[str, object] = {"function": s.function, "file": s.file}
        line = _line(tag, s.file, s.function)
        if line is not None:
            step["line"] = line
        if s.note:
            step["note"] = s.note
        path.append(step)
    out: dict[str, object] = {"summary": summary, "path": path}
    if b.static:
        out["static"] = True
    return out


# --------------------------------------------------------------------------------------------
# which birth an object had


def birth_id(entry: Mapping[str, object], literal: bool, static: bool) -> str | None:
    """The birth id of a drawn object from its payload entry (its kind and blocks);
    ``literal``: the object is a literal of the cell; ``static``: statically allocated
    or immortal and not on the heap (read from its header)."""
    kind = entry.get("kind")
    if entry.get("type_module") not in (None, "builtins") and kind != "instance":
        return None
    out: str | None = None
    if kind == "int":
        block = entry.get("int")
        if not isinstance(block, dict):
            return None
        if block.get("small_int_cached"):
            return "int-small"
        out = "int-medium" if block.get("ndigits") == 1 else "int-large"
    elif kind == "bool":
        return "bool"
    elif kind == "none":
        return "none"
    elif kind == "float":
        out = "float"
    elif kind == "str":
        if static:
            return "str-static"
        out = "str"
    elif kind == "bytes":
        out = "bytes"
    elif kind == "list":
        return "list"
    elif kind == "tuple":
        if entry.get("items_total") == 0 or entry.get("items") == []:
            return "tuple-empty"
        out = "tuple"
    elif kind == "dict":
        return "dict"
    elif kind == "instance":
        return _instance_birth(entry)
    else:
        return None
    return f"{out}@literal" if literal else out


def _instance_birth(entry: Mapping[str, object]) -> str | None:
    block = entry.get("instance")
    if not isinstance(block, dict):
        return None
    storages = {a.get("storage") for a in block.get("attributes", ()) if isinstance(a, dict)}
    if block.get("dict_address") or "dict" in storages:
        return "instance-dict"
    if "inline" in storages:
        return "instance-values"
    if storages == {"slot"}:
        return "instance-slots"
    return None


# --------------------------------------------------------------------------------------------
# where it lives: the allocator


@dataclass(frozen=True)
class Allocator:
    """How PyObject_Malloc serves a request on a build."""

    name: str  # "pymalloc" | "mimalloc" | "malloc"
    alignment: int  # pymalloc's size classes
    threshold: int  # larger requests go to the system malloc


@cache
def allocator(interp: Interpreter = CURRENT) -> Allocator | None:
    """The object allocator of the running process (None: cannot be established, e.g.
    PYTHONMALLOC debug hooks, which add bytes around every block)."""
    if interp.free_threaded:
        return Allocator("mimalloc", 0, 0)
    env = os.environ.get("PYTHONMALLOC", "")
    if env in ("malloc",):
        return Allocator("malloc", 0, 0)
    if env == "mimalloc":
        return Allocator("mimalloc", 0, 0)
    if env and env != "pymalloc":
        return None
    if not sysconfig.get_config_var("WITH_PYMALLOC"):
        return Allocator("malloc", 0, 0)
    if sysconfig.get_config_var("Py_DEBUG"):
        return None
    # ALIGNMENT: 16 on 64-bit builds since 3.8, 8 on 32-bit; SMALL_REQUEST_THRESHOLD 512
    return Allocator("pymalloc", 16 if interp.pointer_size == 8 else 8, 512)


def _a(n: int) -> str:
    """The article before a number said aloud ("an 80-byte", "a 32-byte")."""
    text = str(n)
    return "an" if text[0] == "8" or text in ("11", "18") else "a"


def allocation(
    kind: str,
    requested: int | None,
    static: bool,
    immortal: bool,
    freelist: str | None,
    interp: Interpreter = CURRENT,
) -> dict[str, object]:
    """The payload's ``allocation`` block: ``requested`` is the bytes the constructor
    asked PyObject_Malloc for (None: not established)."""
    if static:
        return {"kind": "static", "note": "statically allocated in the runtime: no allocation"}
    alloc = allocator(interp)
    if alloc is None or requested is None:
        return {
            "kind": "unknown",
            "note": "the block this object lives in could not be established",
        }
    out: dict[str, object] = {"requested": requested}
    if alloc.name == "mimalloc":
        out["kind"] = "mimalloc"
        out["note"] = (
            f"{requested} bytes from mimalloc (free-threaded builds allocate every object there; "
            "its size classes are not modelled here)"
        )
    elif alloc.name == "malloc" or requested > alloc.threshold:
        out["kind"] = "malloc"
        out["note"] = (
            f"{requested} bytes: more than pymalloc's {alloc.threshold}, so the system malloc"
            if alloc.name == "pymalloc"
            else f"{requested} bytes from the system malloc (pymalloc is off)"
        )
    else:
        block = -(-max(requested, 1) // alloc.alignment) * alloc.alignment
        out["kind"] = "pymalloc"
        out["block"] = block
        out["slack"] = block - requested
        slack = block - requested
        note = f"{requested} bytes in {_a(block)} {block}-byte pymalloc block ({slack} unused)"
        if freelist:
            note += f"; may be a freed {freelist}'s block, from the free list"
        out["note"] = note
    if immortal:
        out["note"] = f"{out['note']}; immortal: never freed"
    return out


def _sizes(facts: Facts) -> dict[str, int]:
    """The struct sizes the constructors ask for on ``facts``' interpreter (once)."""
    memo = _memo(facts.interp)
    got = memo.get("sizes")
    if got is not None:
        return got  # type: ignore[return-value]
    interp = facts.interp
    p = interp.pointer_size
    gc = facts.gc_head_size
    long = structs.layout("int", interp)
    tup = structs.layout("tuple", interp)
    byt = structs.layout("bytes", interp)
    assert long.tail is not None and tup.tail is not None and byt.tail is not None
    sizes = {
        # _PyLong_FromMedium: PyObject_Malloc(sizeof(PyLongObject)), one digit, padded
        "int-medium": -(-(long.tail.offset + long.tail.size) // p) * p,
        "digits_at": long.tail.offset,
        "digit": long.tail.size,
        "float": structs.layout("float", interp).sizeof,
        "str_ascii": structs.layout("str_ascii", interp).sizeof,
        "str_compact": structs.layout("str_compact", interp).sizeof,
        "bytes_at": byt.tail.offset,
        "list": gc + structs.layout("list", interp).sizeof,
        "dict": gc + structs.layout("dict", interp).sizeof,
        "tuple_at": gc + tup.tail.offset,
        "pointer": p,
    }
    memo["sizes"] = sizes  # type: ignore[assignment]
    return sizes


def requested_bytes(entry: Mapping[str, object], birth: str, facts: Facts) -> int | None:
    """The bytes the constructor asked the allocator for, from the entry's blocks and the
    struct tables (None where it is not established)."""
    kind = birth.partition("@")[0]
    z = _sizes(facts)
    if kind in ("int-medium", "float", "list", "dict"):
        return z[kind]
    block = entry.get(kind.partition("-")[0])
    if kind == "int-large":
        if not isinstance(block, dict):
            return None
        return z["digits_at"] + max(int(block.get("ndigits", 1)), 1) * z["digit"]
    if kind == "str":
        if not isinstance(block, dict) or not block.get("compact"):
            return None
        struct_size = z["str_ascii"] if block.get("ascii") else z["str_compact"]
        return struct_size + (int(block["length"]) + 1) * int(block["kind"])
    if kind == "bytes":
        if not isinstance(block, dict):
            return None
        return z["bytes_at"] + int(block["length"]) + 1
    if kind == "tuple":
        n = entry.get("items_total")
        if type(n) is not int:
            return None
        return z["tuple_at"] + n * z["pointer"]
    return None


def annotate(
    entry: dict[str, object],
    static: bool,
    immortal: bool,
    literal: bool,
    facts: Facts,
    births: dict[str, dict[str, object]],
) -> None:
    """Add ``birth`` and ``allocation`` to a drawn object's entry (where established),
    and the birth it names to ``births``."""
    bid = birth_id(entry, literal, static)
    if bid is None:
        return
    b = births.get(bid) or birth_payload(bid, facts.interp)
    if b is None:
        return
    births[bid] = b
    entry["birth"] = bid
    is_static = bool(b.get("static"))
    memo = _memo(facts.interp)
    requested = None if is_static else requested_bytes(entry, bid, facts)
    key = (bid, requested, is_static, immortal)
    alloc = memo.get(key)
    if alloc is None:
        base = select(BIRTHS[bid.partition("@")[0]], facts.interp)
        alloc = memo[key] = allocation(
            bid, requested, is_static, immortal, base.freelist, facts.interp
        )
    entry["allocation"] = dict(alloc)


#: id(interpreter) -> (the interpreter, its answers by key): :func:`annotate` runs for
#: every drawn object, and an Interpreter's hash is not cheap.
_MEMOS: dict[int, tuple[Interpreter, dict[object, dict[str, object]]]] = {}


def _memo(interp: Interpreter) -> dict[object, dict[str, object]]:
    m = _MEMOS.get(id(interp))
    if m is None or m[0] is not interp:
        m = _MEMOS[id(interp)] = (interp, {})
    return m[1]


__all__ = [
    "BIRTHS",
    "FILE_PATTERN",
    "TAG_PATTERN",
    "Birth",
    "Step",
    "allocation",
    "allocator",
    "annotate",
    "birth_id",
    "birth_payload",
    "literal_key",
    "requested_bytes",
    "source_block",
    "source_tag",
]
