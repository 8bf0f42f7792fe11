"""Build the pages the live diagram's browser tests open (ui-tests/live), into build/live-pages/:

- ``tour.ipynb``: examples/tour.ipynb executed headlessly (nbclient, the magic loaded by the
  kernel's ``--InteractiveShellApp.extensions=redpill``), then exported by nbconvert as
  ``tour.html`` (lab template), ``tour-dark.html`` (``--HTMLExporter.theme=dark``) and
  ``tour-sanitized.html`` (``--HTMLExporter.sanitize_html=True``);
- ``instructor.html``: ``%%redpill --steps``, ``--quiz`` and ``--diff`` cells, executed and
  exported (each output carries a bundle of its own features);
- ``buffers.html``: a bytearray and a memoryview, plain and under ``--steps`` (the outputs
  that carry the buffer kinds' code);
- ``hostile.html``: a notebook whose names and values are the script breakers
  (tests/fixtures/script-breakers.json), executed and exported the same way, followed by
  outputs that cannot draw (a payload the schema refuses, another schema version);
- ``vscode.html``: stands in for VS Code's notebook webview: every output's ``text/html`` put
  into one document, each in its own element with ``innerHTML``, its scripts then re-created
  and appended to that element as VS Code's built-in renderer for ``text/html``
  (extensions/notebook-renderers, ``domEval``) does; the outputs in reverse order with one
  copied twice (cells re-run out of order, an output pasted into another notebook);
- ``colab.html``: stands in for Colab: each output in its own ``<iframe srcdoc>`` with
  ``sandbox="allow-scripts"``;
- ``manifest.json``: how many redpill outputs each page holds.

Usage: python scripts/live_pages.py [OUT_DIR]
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import ExecutePreprocessor

from redpill.live import live_html, pack_payload, payload_json, script_json
from redpill.payload import MIME

ROOT = Path(__file__).resolve().parents[1]
#: The kernel loads the magic itself: no %load_ext in the notebook.
KERNEL_ARGS = ["--InteractiveShellApp.extensions=redpill"]


def execute(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    ExecutePreprocessor(timeout=300, kernel_name="python3", extra_arguments=KERNEL_ARGS).preprocess(
        nb, {"metadata": {"path": str(ROOT)}}
    )
    return nb


def export(nb: nbformat.NotebookNode, **options: Any) -> str:
    body, _ = HTMLExporter(template_name="lab", **options).from_notebook_node(nb)
    return body


def redpill_outputs(nb: nbformat.NotebookNode) -> list[dict[str, Any]]:
    return [
        out["data"]
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if MIME in out.get("data", {})
    ]


def hostile_notebook() -> nbformat.NotebookNode:
    strings = json.loads((ROOT / "tests/fixtures/script-breakers.json").read_text())["strings"]
    source = "%%redpill\n" + "\n".join(
        [f"globals()[{s!r}] = {s!r}" for s in strings] + [f"breakers = {strings!r}"]
    )
    return code_notebook(source)


def code_notebook(*sources: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(src) for src in sources],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )


#: How many outputs :func:`undrawable_outputs` writes.
UNDRAWABLE = 4


def undrawable_outputs(good: dict[str, Any]) -> str:
    """Outputs that must keep their tables: two payloads the renderer must refuse, and two
    copies of ``good`` (a payload the tour page draws) whose packed copy is damaged (not
    base 64; deflate cut short)."""
    bad = {"schema_version": 1, "interpreter": {}, "names": "not a list", "objects": []}
    other = {"schema_version": 2, "names": [], "objects": []}
    htmls = [
        live_html(p, f"<table><tr><td>table {i} stays</td></tr></table>")
        for i, p in enumerate((bad, other, good, good))
    ]
    packed = pack_payload(payload_json(good))
    htmls[2] = htmls[2].replace(packed, "!!" + packed[2:])
    htmls[3] = htmls[3].replace(packed, packed[: len(packed) // 2])
    assert all(packed not in h for h in htmls[2:]), "the copies to damage were not found"
    assert len(htmls) == UNDRAWABLE
    return "".join(
        f'<div class="undrawable" id="undrawable-{i}">{h}</div>' for i, h in enumerate(htmls)
    )


def vscode_page(outputs: list[str]) -> str:
    harness = """
const outputs = JSON.parse(document.getElementById('outputs-data').textContent);
const root = document.getElementById('outputs');
for (const html of outputs) {
  const element = document.createElement('div');
  element.className = 'output';
  element.innerHTML = html;
  root.appendChild(element);
  for (const node of Array.from(element.getElementsByTagName('script'))) {
    const script = document.createElement('script');
    script.text = node.innerText;
    for (const key of ['type', 'src', 'nonce', 'noModule', 'async']) {
      const value = node[key] || node.getAttribute(key);
      if (value) script.setAttribute(key, value);
    }
    element.appendChild(script).parentNode.removeChild(script);
  }
}
"""
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>VS Code-like webview</title>'
        '</head><body><div id="outputs"></div>'
        f'<script type="application/json" id="outputs-data">{script_json(outputs)}</script>'
        f"<script>{harness}</script></body></html>"
    )


def colab_page(outputs: list[str]) -> str:
    frames = "".join(
        f'<iframe class="output" sandbox="allow-scripts" style="width:100%;height:600px" '
        f'srcdoc="{html.escape("<!doctype html><meta charset=utf-8><body>" + out, quote=True)}">'
        "</iframe>"
        for out in outputs
    )
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>Colab-like outputs</title>'
        f"</head><body>{frames}</body></html>"
    )


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    tour = execute(nbformat.read(ROOT / "examples/tour.ipynb", as_version=4))
    nbformat.write(tour, out / "tour.ipynb")
    (out / "tour.html").write_text(export(tour))
    (out / "tour-dark.html").write_text(export(tour, theme="dark"))
    (out / "tour-sanitized.html").write_text(export(tour, sanitize_html=True))
    instructor = execute(
        code_notebook(
            "%%redpill --steps\na = 1042\nb = a\ndel a",
            "%%redpill --quiz refcount,same-object\nx = [1042]\ny = x",
            "%%redpill --diff\nx.append(2048)\nz = x",
        )
    )
    (out / "instructor.html").write_text(export(instructor))
    # Buffers and views: their drawing is in the bundles of these outputs only.
    buffers = execute(
        code_notebook(
            "%%redpill\nbuf = bytearray(b'abcdef')\nview = memoryview(buf)[1:4]",
            "%%redpill --steps\ndata = bytearray(b'xyz')\nview = memoryview(data)",
        )
    )
    (out / "buffers.html").write_text(export(buffers))
    hostile = execute(hostile_notebook())
    page = export(hostile).replace(
        "</body>", undrawable_outputs(redpill_outputs(tour)[0][MIME]) + "</body>"
    )
    (out / "hostile.html").write_text(page)
    outputs = [data["text/html"] for data in redpill_outputs(tour)]
    mixed = [*reversed(outputs), outputs[0]]
    (out / "vscode.html").write_text(vscode_page(mixed))
    (out / "colab.html").write_text(colab_page(outputs))
    manifest = {
        "tour": len(outputs),
        "vscode": len(mixed),
        "colab": len(outputs),
        "hostile": len(redpill_outputs(hostile)),
        "undrawable": UNDRAWABLE,
        "buffers": len(redpill_outputs(buffers)),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))
    print(f"live pages in {out}: {manifest}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "live-pages")
