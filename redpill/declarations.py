"""Each kind's C struct as CPython declares it: the declaration's text, read from the
running interpreter's own headers (``sysconfig.get_paths()['include']``) when they are
installed, else from the stored table (:mod:`redpill.declaration_table`), and its
members tied to the fields redpill reads (so the renderer can link a member to its
bytes).

Reading is bounded (a header file of at most :data:`MAX_HEADER_BYTES`, a declaration
of at most :data:`MAX_LINES` lines) and done once per process and declaration.
"""

from __future__ import annotations

import re
import sysconfig
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import structs
from .births import source_tag
from .declaration_table import TABLE
from .interp import CURRENT, Interpreter
from .sourcelines import LINES
from .structs import NoLayout, Rule, select

MAX_HEADER_BYTES = 512 * 1024
MAX_LINES = 200
#: The declaration text's bound in the payload.
MAX_TEXT = 20000


@dataclass(frozen=True)
class Decl:
    """Where a struct is declared: its key (the C type name), the header (as in
    CPython's tree, ``Include/…``), and how it starts: ``struct NAME {`` (``tag``) or a
    ``typedef struct {`` that ends in ``} KEY;``."""

    key: str
    file: str
    tag: str | None = None


_LONG = Decl("PyLongObject", "Include/cpython/longintrepr.h", "_longobject")
_UNICODE = "Include/cpython/unicodeobject.h"

#: layout kind (:data:`redpill.structs.BODIES`) -> rows of Decl.
DECLARATIONS: dict[str, list[Rule[Decl]]] = {
    "int": [Rule((11, 15), _LONG)],
    "float": [Rule((11, 15), Decl("PyFloatObject", "Include/cpython/floatobject.h"))],
    "str_ascii": [Rule((11, 15), Decl("PyASCIIObject", _UNICODE))],
    "str_compact": [Rule((11, 15), Decl("PyCompactUnicodeObject", _UNICODE))],
    "bytes": [Rule((11, 15), Decl("PyBytesObject", "Include/cpython/bytesobject.h"))],
    "list": [Rule((11, 15), Decl("PyListObject", "Include/cpython/listobject.h"))],
    "tuple": [Rule((11, 15), Decl("PyTupleObject", "Include/cpython/tupleobject.h"))],
    "dict": [Rule((11, 15), Decl("PyDictObject", "Include/cpython/dictobject.h"))],
    "set": [Rule((11, 15), Decl("PySetObject", "Include/cpython/setobject.h"))],
}

#: A payload kind -> the layout kind whose declaration it shows.
_KIND_LAYOUT = {
    "int": "int",
    "bool": "int",
    "float": "float",
    "bytes": "bytes",
    "list": "list",
    "tuple": "tuple",
    "dict": "dict",
    "set": "set",
    "frozenset": "set",
}


def layout_kind(entry: dict[str, object]) -> str | None:
    """The layout kind whose declaration a drawn object shows (None: none)."""
    kind = entry.get("kind")
    if kind == "str":
        block = entry.get("str")
        if not isinstance(block, dict) or not block.get("compact"):
            return None
        return "str_ascii" if block.get("ascii") else "str_compact"
    return _KIND_LAYOUT.get(str(kind))


# --------------------------------------------------------------------------------------------
# finding a declaration in a header's text


def extract(lines: Sequence[str], decl: Decl) -> tuple[int, str] | None:
    """(1-based first line, text) of ``decl`` in a header's ``lines``, or None."""
    if decl.tag is not None:
        head = re.compile(r"^struct\s+" + re.escape(decl.tag) + r"\s*\{")
        for i, line in enumerate(lines):
            if head.match(line):
                for j in range(i, min(len(lines), i + MAX_LINES)):
                    if lines[j].startswith("}"):
                        return i + 1, "\n".join(lines[i : j + 1])
                return None
        return None
    tail = re.compile(r"^\}\s*" + re.escape(decl.key) + r"\s*;")
    for j, line in enumerate(lines):
        if tail.match(line):
            for i in range(j, max(-1, j - MAX_LINES), -1):
                if re.match(r"^typedef\s+struct\b", lines[i]):
                    return i + 1, "\n".join(lines[i : j + 1])
            return None
    return None


_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_IDENT = re.compile(r"[A-Za-z_]\w*")


def member_names(text: str) -> list[str]:
    """The members a declaration's text declares, in order (comments, preprocessor lines
    and the members of nested structs left out; a nested struct is one member)."""
    body = _COMMENT.sub(" ", text)
    lines = [ln for ln in body.splitlines() if not ln.lstrip().startswith("#")]
    body = "\n".join(lines)
    start = body.find("{")
    end = body.rfind("}")
    if start < 0 or end <= start:
        return []
    out: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in body[start + 1 : end]:
        if ch == "{":
            depth += 1
            continue
        if ch == "}":
            depth -= 1
            continue
        if depth:
            continue  # a nested struct's members: the struct is one member
        stmt = "".join(current).strip()
        if ch == ";" or (ch == "\n" and stmt in ("PyObject_HEAD", "PyObject_VAR_HEAD")):
            current = []
            name = _member_name(stmt)
            if name and name not in out:
                out.append(name)
            continue
        current.append(" " if ch == "\n" else ch)
    return out


def _member_name(stmt: str) -> str | None:
    if stmt in ("PyObject_HEAD", "PyObject_VAR_HEAD"):
        return stmt
    stmt = stmt.split("[", 1)[0].split(":", 1)[0]
    names = _IDENT.findall(stmt)
    return names[-1] if names else None


def member_fields(name: str, kind: str, interp: Interpreter = CURRENT) -> list[str]:
    """The field names (as the payload's ``fields`` spell them, without ``[i]``) that a
    declared member covers."""
    head = [n for n, _ in select(structs.HEADER, interp)]
    if name == "PyObject_HEAD":
        return head
    if name == "PyObject_VAR_HEAD":
        return [*head, "ob_size"]
    if name == "long_value":
        return ["lv_tag", "ob_digit"]
    if name == "_base":  # PyASCIIObject inside PyCompactUnicodeObject
        return [n for n, _ in (*select(structs.HEADER, interp), *_ascii_members(interp))]
    return [name]


def _ascii_members(interp: Interpreter) -> tuple[tuple[str, str], ...]:
    return select(structs.BODIES["str_ascii"], interp).members


# --------------------------------------------------------------------------------------------
# reading


@cache
def include_dir() -> Path | None:
    """The running interpreter's installed header directory, if it has one."""
    try:
        path = sysconfig.get_paths().get("include")
    except Exception:
        return None
    if not path:
        return None
    p = Path(path)
    return p if (p / "Python.h").is_file() else None


@cache
def _header_lines(relative: str) -> tuple[str, ...] | None:
    root = include_dir()
    if root is None or not relative.startswith("Include/"):
        return None
    path = root / relative[len("Include/") :]
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_HEADER_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_HEADER_BYTES:
        return None
    text = data.decode("utf-8", "replace")
    return tuple(_CONTROL.sub("\ufffd", line) for line in text.splitlines())


#: Control characters other than the tab (a header's lines are shown as text).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def table_key(interp: Interpreter = CURRENT) -> str:
    """The stored table's key for ``interp``: ``3.13`` or ``3.13t``."""
    return f"3.{interp.minor}{'t' if interp.free_threaded else ''}"


@cache
def declaration(layout: str, interp: Interpreter = CURRENT) -> dict[str, object] | None:
    """The payload's ``declarations`` entry of a layout kind on ``interp`` (None: none
    known).  Only the running interpreter's own headers are read."""
    rows = DECLARATIONS.get(layout)
    if rows is None:
        return None
    try:
        decl = select(rows, interp)
    except NoLayout:
        return None
    found: tuple[int, str] | None = None
    if interp is CURRENT:
        lines = _header_lines(decl.file)
        if lines is not None:
            found = extract(lines, decl)
    out: dict[str, object]
    if found is not None:
        line, text = found
        out = {"text": text[:MAX_TEXT], "file": decl.file, "line": line, "source": "headers"}
    else:
        stored = TABLE.get(table_key(interp), {}).get(decl.key)
        if stored is None:
            return None
        out = {"text": stored[:MAX_TEXT], "file": decl.file, "source": "table"}
        tag = source_tag(interp)
        line = LINES.get(tag or "", {}).get(decl.file, {}).get(decl.key)
        if line is not None:  # checked against this release's source
            out["line"] = line
    lay = structs.layout(layout, interp)
    names = {f.name.split("[", 1)[0] for f in lay.fields}
    if lay.tail is not None:
        names.add(lay.tail.name.split("[", 1)[0])
    members: list[dict[str, str]] = []
    for m in member_names(str(out["text"])):
        covered = [f for f in member_fields(m, layout, interp) if f in names]
        if not covered:
            members.append({"name": m})
        for f in covered:
            members.append({"name": m, "field": f})
    out["members"] = members[:200]
    return out


def annotate(
    entry: dict[str, object], declarations: dict[str, dict[str, object]], interp: Interpreter
) -> None:
    """Add ``declaration`` to a drawn object's entry, and the declaration to
    ``declarations``."""
    layout = layout_kind(entry)
    if layout is None:
        return
    found = _keyed(layout, interp)
    if found is None:
        return
    key, d = found
    declarations[key] = d
    entry["declaration"] = key


@cache
def _keyed(layout: str, interp: Interpreter) -> tuple[str, dict[str, object]] | None:
    """(declaration key, payload entry) of a layout kind, once per process."""
    d = declaration(layout, interp)
    if d is None:
        return None
    return select(DECLARATIONS[layout], interp).key, d


__all__ = [
    "DECLARATIONS",
    "Decl",
    "annotate",
    "declaration",
    "extract",
    "include_dir",
    "layout_kind",
    "member_fields",
    "member_names",
    "table_key",
]
