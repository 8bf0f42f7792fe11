"""What the live diagram costs: bytes and first paint.

Bytes: notebooks of 1, 10 and 50 ``%%redpill`` cells (each binding a few names) are executed
headlessly (nbclient, the magic loaded by the kernel), and for each the live ``text/html``
is compared with the table alone: bytes per output beyond its payload JSON and table, and
per notebook (the .ipynb, and nbconvert's HTML page) beyond the same notebook whose
``text/html`` is the table.  Budget: 30 KiB per output.

First paint: the 10-diagram notebook's nbconvert page, opened in Debian's Chromium, against
the same page whose outputs are the same diagrams as static SVGs (the SVGs the live page
drew, copied); the time from navigation to all ten pictures painted, median of several
loads, and the ratio, in one run (benchmarks/live_paint.cjs).

    python benchmarks/live_html.py [--loads 7]

Prints results only; no assertions.
"""

from __future__ import annotations

import argparse
import copy
import json
import subprocess
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import ExecutePreprocessor

from redpill.live import PAYLOAD_MARK, bundle_for, pack_payload, payload_json
from redpill.payload import MIME

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "bench-live"
TABLE_END = "<!--" + PAYLOAD_MARK


#: One cell of each output kind (the bundle an output carries depends on its kind).
KINDS = {
    "plain": "%%redpill\nage = 1042\nb = age\nlst = [age, 'text', 2.5]",
    "steps": "%%redpill --steps\na = [1042]\nb = a\na.append(7)",
    "quiz": "%%redpill --quiz refcount,same-object\nx = [1042]\ny = x",
    "diff": "%%redpill --diff\nage = 2048\nlst.append(age)",
    "buffers": "%%redpill\nbuf = bytearray(b'abcdef')\nview = memoryview(buf)[1:4]",
    "all": "%%redpill --steps --quiz refcount --diff\ndata = bytearray(b'xyz')\n"
    "view = memoryview(data)\nkeep = [data]",
}


def run(sources: list[str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(s) for s in sources],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    ExecutePreprocessor(
        timeout=600,
        kernel_name="python3",
        extra_arguments=["--InteractiveShellApp.extensions=redpill"],
    ).preprocess(nb, {"metadata": {"path": str(ROOT)}})
    return nb


def notebook(cells: int) -> nbformat.NotebookNode:
    return run(
        [
            f"%%redpill\nv{i} = {1000 + i}\nalias{i} = v{i}\nitems{i} = [v{i}, 'text {i}', {i}.5]"
            for i in range(cells)
        ]
    )


def payload_copy(data: dict) -> str:
    """The copy of its payload a live output carries (packed: deflated, base 64)."""
    return pack_payload(payload_json(data[MIME]))


def overhead(data: dict) -> int:
    """Bytes of one live output beyond its payload (its packed copy) and its table."""
    html = data["text/html"]
    return size(html) - size(table_of(html)) - size(payload_copy(data))


def outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [o["data"] for c in nb.cells for o in c.get("outputs", []) if MIME in o.get("data", {})]


def table_of(html: str) -> str:
    """The table inside a live output (between the host's tag and the payload comment)."""
    start = html.index(">") + 1
    return html[start : html.index(TABLE_END)]


def tables_only(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    plain = copy.deepcopy(nb)
    for data in outputs(plain):
        data["text/html"] = table_of(data["text/html"])
    return plain


def page(nb: nbformat.NotebookNode) -> str:
    return HTMLExporter(template_name="lab").from_notebook_node(nb)[0]


def size(text: str) -> int:
    return len(text.encode())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--loads", type=int, default=7)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print("live diagram bytes beyond the payload JSON and the table (budget 30 KiB per output);")
    print("per notebook: the .ipynb and nbconvert's page against the same with the table alone,")
    print("less the payload copies the live outputs embed (packed: deflated, in base 64)")
    print(f"{'diagrams':>8} {'per output':>11} {'ipynb +':>10} {'ipynb':>10} {'html +':>10}")
    kinds = outputs(run(list(KINDS.values())))
    assert len(kinds) == len(KINDS)
    print("per output kind (budget 30,720):")
    for kind, data in zip(KINDS, kinds, strict=True):
        bundle = bundle_for(data[MIME])
        print(f"{kind:>8} {overhead(data):>8,} bytes (bundle: {bundle})")
    ten: nbformat.NotebookNode | None = None
    for cells in (1, 10, 50):
        nb = notebook(cells)
        if cells == 10:
            ten = nb
        per = [overhead(d) for d in outputs(nb)]
        live_nb, plain_nb = nbformat.writes(nb), nbformat.writes(tables_only(nb))
        live_page, plain_page = page(nb), page(tables_only(nb))
        copies = [payload_copy(d) for d in outputs(nb)]
        in_ipynb = sum(size(c) for c in copies)  # base 64: stored in JSON as it is
        in_page = sum(size(c) for c in copies)
        json_copies = sum(size(json.dumps(d[MIME])) for d in outputs(nb))
        print(
            f"{cells:>8} {max(per):>11,} {size(live_nb) - size(plain_nb) - in_ipynb:>10,} "
            f"{size(live_nb):>10,} {size(live_page) - size(plain_page) - in_page:>10,}"
            f"   (payload copies packed: {in_page:,} bytes for {json_copies:,} of JSON)"
        )
    assert ten is not None
    (OUT / "live.html").write_text(page(ten))
    # The static twin: the same outputs with the table replaced, in the browser, by the SVG
    # the live page drew (benchmarks/live_paint.cjs writes static.html from live.html).
    result = subprocess.run(
        ["node", str(ROOT / "benchmarks" / "live_paint.cjs"), str(OUT), str(args.loads), "10"],
        check=False,
        capture_output=True,
        text=True,
    )
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr[-2000:])


if __name__ == "__main__":
    main()
