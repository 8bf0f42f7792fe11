"""Write redpill/sourcelines.py's LINES from CPython's real sources: the upstream
tarballs of Debian's source packages that ``bash scripts/interpreters.sh sources``
caches (bookworm's 3.11.2, trixie's 3.13.5).  Every function and struct that a
birth or a declaration names gets the line where it is defined in that release.

    .venv/bin/python scripts/cstory/source_lines.py
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from redpill import births, declarations, sourcelines  # noqa: E402
from redpill.interp import CURRENT  # noqa: E402
from redpill.structs import NoLayout, select  # noqa: E402


def tarballs(cache: Path) -> dict[str, Path]:
    """Release tag -> the cached upstream tarball of that release."""
    out: dict[str, Path] = {}
    for path in sorted(cache.glob("src/*/python3.*_*.orig.tar.*")):
        m = re.match(
            r"python3\.\d+_(3\.\d+\.\d+(?:(?:a|b|rc)\d+)?)\.orig\.tar\.(gz|xz)$", path.name
        )
        if m:
            out[f"v{m.group(1)}"] = path
    return out


def wanted(tag: str) -> dict[str, set[str]]:
    """file -> symbols that births and declarations name on that release (both builds)."""
    minor = int(tag.split(".")[1])
    out: dict[str, set[str]] = {}
    for ft in (False, True):
        interp = dataclasses.replace(CURRENT, minor=minor, free_threaded=ft, version=tag[1:])
        for rows in births.BIRTHS.values():
            try:
                b = select(rows, interp)
            except NoLayout:
                continue
            for s in b.path:
                out.setdefault(s.file, set()).add(s.function)
        step = births._INTERN_CONSTANT
        out.setdefault(step.file, set()).add(step.function)
        for rows in declarations.DECLARATIONS.values():
            d = select(rows, interp)
            out.setdefault(d.file, set()).add("struct:" + d.key)
    return out


def lines_of(tag: str, tarball: Path) -> dict[str, dict[str, int]]:
    """file -> symbol -> line for one release."""
    found: dict[str, dict[str, int]] = {}
    with tarfile.open(tarball) as tar:
        top = tar.next()
        assert top is not None
        prefix = top.name.split("/")[0]
        for file, symbols in sorted(wanted(tag).items()):
            try:
                member = tar.extractfile(f"{prefix}/{file}")
            except KeyError:
                print(f"{tag}: no {file}", file=sys.stderr)
                continue
            assert member is not None
            text = member.read().decode("utf-8", "replace").splitlines()
            for symbol in sorted(symbols):
                if symbol.startswith("struct:"):
                    key = symbol[len("struct:") :]
                    rows = [
                        d
                        for rs in declarations.DECLARATIONS.values()
                        for d in (r.value for r in rs)
                    ]
                    decl = next(d for d in rows if d.key == key)
                    got = declarations.extract(text, decl)
                    line = got[0] if got else None
                    symbol = key
                else:
                    line = sourcelines.definition_line(text, symbol)
                if line is None:
                    print(f"{tag}: {symbol} not found in {file}", file=sys.stderr)
                    continue
                found.setdefault(file, {})[symbol] = line
    return found


def main() -> int:
    """Read the tarballs and rewrite the LINES table."""
    cache = Path.home() / ".cache/redpill-interpreters"
    table = {tag: lines_of(tag, path) for tag, path in sorted(tarballs(cache).items())}
    module = ROOT / "redpill/sourcelines.py"
    text = module.read_text()
    head = text[: text.index("#: tag -> file -> symbol -> line.")]
    body = json.dumps(table, indent=4, sort_keys=True)
    annotation = "LINES: dict[str, dict[str, dict[str, int]]]"
    module.write_text(f"{head}#: tag -> file -> symbol -> line.\n{annotation} = {body}\n")
    print(f"wrote lines for {', '.join(table)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
