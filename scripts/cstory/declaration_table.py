"""Write redpill/declaration_table.py: every declaration redpill shows, read from the
installed headers of each interpreter of the matrix (scripts/interpreters.sh list).

    .venv/bin/python scripts/cstory/declaration_table.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from pprint import pformat

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
sys.path.insert(0, sys.argv[1])
from redpill import declarations as d
from redpill.interp import CURRENT
out = {}
for kind in d.DECLARATIONS:
    x = d.declaration(kind)
    if x is not None and x["source"] == "headers":
        out[d.select(d.DECLARATIONS[kind], CURRENT).key] = x["text"]
print(json.dumps({"key": d.table_key(), "version": CURRENT.version, "decls": out}))
"""


def module_text(versions: dict[str, str], table: dict[str, dict[str, tuple[str, ...]]]) -> str:
    """The table module: each distinct declaration text once (most are the same in several
    releases), and per interpreter which text each declaration has."""
    texts: list[tuple[str, ...]] = []
    index: dict[tuple[str, ...], int] = {}
    refs: dict[str, dict[str, int]] = {}
    for key in sorted(table):
        for decl, text in sorted(table[key].items()):
            refs.setdefault(key, {})[decl] = index.setdefault(text, len(texts))
            if index[text] == len(texts):
                texts.append(text)
    lines = [
        '"""Stored declarations, for interpreters installed without their headers: the text',
        "of each struct as the headers of the release in ``VERSIONS`` declare it (written by",
        '``scripts/cstory/declaration_table.py``; the tests compare it with the headers)."""',
        "",
        "#: table key (``3.13``, ``3.13t``) -> the release the texts were read from",
        f"VERSIONS: dict[str, str] = {json.dumps(versions, indent=4, sort_keys=True)}",
        "",
        "#: every distinct declaration text, as its lines (shared by the releases that agree)",
        f"TEXTS: tuple[tuple[str, ...], ...] = {pformat(tuple(texts), width=96)}",
        "",
        "#: table key -> declaration key (``PyLongObject``) -> its text's index in TEXTS",
        f"USES: dict[str, dict[str, int]] = {pformat(refs, width=96)}",
        "",
        "#: table key -> declaration key -> text",
        "TABLE: dict[str, dict[str, str]] = {",
        '    k: {d: "\\n".join(TEXTS[i]) for d, i in v.items()} for k, v in USES.items()',
        "}",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    """Read every interpreter's headers and write the table module."""
    listing = subprocess.run(
        ["bash", str(ROOT / "scripts/interpreters.sh"), "list"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    table: dict[str, dict[str, str]] = {}
    versions: dict[str, str] = {}
    for line in listing.splitlines():
        name, exe, *_ = line.split("\t")
        if exe == "absent":
            continue
        run = subprocess.run(
            [exe, "-I", "-c", PROBE, str(ROOT)], capture_output=True, text=True, timeout=60
        )
        if run.returncode != 0:
            print(f"{name}: {run.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
            continue
        got = json.loads(run.stdout)
        if not got["decls"]:
            print(f"{name}: no headers installed", file=sys.stderr)
            continue
        table[got["key"]] = {k: tuple(v.split("\n")) for k, v in got["decls"].items()}
        versions[got["key"]] = got["version"]
    (ROOT / "redpill/declaration_table.py").write_text(module_text(versions, table))
    subprocess.run(
        [sys.executable, "-m", "ruff", "format", "redpill/declaration_table.py"], cwd=ROOT
    )
    print(f"wrote {len(table)} interpreters: {versions}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
