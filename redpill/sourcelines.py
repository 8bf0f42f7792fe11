"""Line numbers in CPython's C sources, per release tag, as checked against that
release's real source (Debian's source packages: bookworm's 3.11.2, trixie's 3.13.5).

``LINES[tag][file][symbol]`` is the line where ``symbol`` (a function, or a static
object) is defined, or where a struct declaration starts (the symbol is then the
declaration's key, e.g. ``PyLongObject``).  A release missing here has no verified
line: its links point at the file only.  ``scripts/source_lines.py`` writes the table
from the tarballs; the tests check every number again with :func:`definition_line`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence


def definition_line(lines: Sequence[str], symbol: str) -> int | None:
    """The 1-based line that defines ``symbol`` in a C file's ``lines``, CPython's style:
    a function's name at the start of a line (not a prototype, which ends with ``;``),
    or a static object's ``type symbol = …`` line."""
    data = re.compile(r"^[A-Za-z_][\w ]*[ *]" + re.escape(symbol) + r"\s*=")
    start = symbol + "("
    for i, line in enumerate(lines):
        if line.startswith(start) and not line.rstrip().endswith(";"):
            return i + 1
        if data.match(line):
            return i + 1
    return None


#: tag -> file -> symbol -> line.
LINES: dict[str, dict[str, dict[str, int]]] = {
    "v3.11.2": {
        "Include/cpython/bytesobject.h": {"PyBytesObject": 5},
        "Include/cpython/dictobject.h": {"PyDictObject": 11},
        "Include/cpython/floatobject.h": {"PyFloatObject": 5},
        "Include/cpython/listobject.h": {"PyListObject": 5},
        "Include/cpython/longintrepr.h": {"PyLongObject": 82},
        "Include/cpython/setobject.h": {"PySetObject": 36},
        "Include/cpython/tupleobject.h": {"PyTupleObject": 5},
        "Include/cpython/unicodeobject.h": {"PyASCIIObject": 72, "PyCompactUnicodeObject": 211},
        "Modules/gcmodule.c": {"_PyObject_GC_New": 2295, "_PyObject_GC_NewVar": 2307},
        "Objects/boolobject.c": {"_Py_FalseStruct": 198, "_Py_TrueStruct": 203},
        "Objects/bytesobject.c": {"PyBytes_FromStringAndSize": 119, "_PyBytes_FromSize": 84},
        "Objects/dictobject.c": {
            "PyDict_New": 838,
            "init_inline_values": 5349,
            "new_dict": 717,
            "new_keys_object": 594,
            "new_values": 693,
        },
        "Objects/floatobject.c": {"PyFloat_FromDouble": 131},
        "Objects/listobject.c": {"PyList_New": 155},
        "Objects/longobject.c": {
            "PyLong_FromLong": 288,
            "_PyLong_FromMedium": 198,
            "_PyLong_New": 145,
            "get_small_int": 58,
        },
        "Objects/object.c": {"_Py_NoneStruct": 1727},
        "Objects/obmalloc.c": {"PyMem_Calloc": 627, "PyObject_Malloc": 703},
        "Objects/tupleobject.c": {"PyTuple_New": 69, "tuple_alloc": 33, "tuple_get_empty": 62},
        "Objects/typeobject.c": {
            "PyType_GenericAlloc": 1155,
            "_PyType_AllocNoTrack": 1126,
            "object_new": 4514,
            "type_call": 1059,
        },
        "Objects/unicodeobject.c": {"PyUnicode_New": 1366, "get_latin1_char": 2111},
    },
    "v3.13.5": {
        "Include/cpython/bytesobject.h": {"PyBytesObject": 5},
        "Include/cpython/dictobject.h": {"PyDictObject": 11},
        "Include/cpython/floatobject.h": {"PyFloatObject": 5},
        "Include/cpython/listobject.h": {"PyListObject": 5},
        "Include/cpython/longintrepr.h": {"PyLongObject": 98},
        "Include/cpython/setobject.h": {"PySetObject": 36},
        "Include/cpython/tupleobject.h": {"PyTupleObject": 5},
        "Include/cpython/unicodeobject.h": {"PyASCIIObject": 54, "PyCompactUnicodeObject": 156},
        "Objects/boolobject.c": {"_Py_FalseStruct": 215, "_Py_TrueStruct": 222},
        "Objects/bytesobject.c": {"PyBytes_FromStringAndSize": 136, "_PyBytes_FromSize": 104},
        "Objects/codeobject.c": {"intern_one_constant": 2555},
        "Objects/dictobject.c": {
            "PyDict_New": 1025,
            "_PyObject_InitInlineValues": 6688,
            "new_dict": 914,
            "new_keys_object": 789,
        },
        "Objects/floatobject.c": {"PyFloat_FromDouble": 133},
        "Objects/listobject.c": {"PyList_New": 259},
        "Objects/longobject.c": {
            "PyLong_FromLong": 294,
            "_PyLong_FromMedium": 204,
            "_PyLong_New": 140,
            "get_small_int": 50,
        },
        "Objects/object.c": {"_Py_NoneStruct": 2139},
        "Objects/obmalloc.c": {"PyMem_Calloc": 993, "PyObject_Malloc": 1307},
        "Objects/tupleobject.c": {"PyTuple_New": 70, "tuple_alloc": 35, "tuple_get_empty": 64},
        "Objects/typeobject.c": {
            "PyType_GenericAlloc": 2068,
            "_PyType_AllocNoTrack": 2025,
            "object_new": 6139,
            "type_call": 1944,
        },
        "Objects/unicodeobject.c": {"PyUnicode_New": 1344, "get_latin1_char": 1972},
        "Python/gc.c": {"_PyObject_GC_New": 1861, "_PyObject_GC_NewVar": 1877},
        "Python/gc_free_threading.c": {"_PyObject_GC_New": 1709, "_PyObject_GC_NewVar": 1725},
    },
}
