"""The live diagram in ``text/html``: the kernel's HTML table, the payload and a small script
that draws the payload with the renderer's own drawing code, for every front end that runs an
output's scripts without our JupyterLab extension (VS Code, Colab, nbconvert's HTML, nbviewer,
Sphinx and Jupyter Book pages, Voilà without the extension).

Layout of one output::

    <div class="redpill-live" data-redpill-schema="1" data-redpill-id="ID">
      TABLE<!--redpill-payload PAYLOAD JSON--><!--redpill-code KEY PACKED CODE--></div>
    <script>BOOTSTRAP("ID")</script>

The drawing code is ``redpill/static/live.js`` (``npm run build:live``, shipped in the wheel),
carried by each output compressed (raw deflate, base64) and unpacked in the page with
``DecompressionStream``. Each output draws on its own. The table stays where scripts are
stripped (GitHub's viewer, ``nbconvert --HTMLExporter.sanitize_html=True``, which also drops
the comments, so no payload or code text shows) and wherever the script cannot draw: the
script replaces it only once the diagram is drawn.

Nothing from the payload is written into markup: it goes into an HTML comment as JSON with
every ``<``, ``>``, ``&`` and non-ASCII character written as a ``\\uXXXX`` escape, so no text in
it can end the comment (``-->``, ``--!>``), open markup or end a script (``</script>``,
``<!--``, ``<script``; U+2028/U+2029 are escaped by the ASCII rule).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import zlib
from collections.abc import Mapping
from importlib import resources
from typing import Any

#: Class of the element that holds the table, then the diagram.
HOST_CLASS = "redpill-live"
#: Where the built drawing code lives, inside the package.
BUNDLE = ("static", "live.js")

#: Runs once per output: counts its runs, finds its host element(s) by id (near the script
#: first: VS Code re-creates an output's scripts at the end of its container), reads the
#: payload and the packed drawing code from the host's comments, unpacks the code (or reuses
#: the same build another output already unpacked in this window) and draws.  Any failure
#: leaves the table.  Written by hand, compact: it is in every output.
BOOTSTRAP = (
    "(function(i){var w=window,d=document,s=d.currentScript,W='redpill: the table stays:';"
    "w.redpillLiveRuns=(w.redpillLiveRuns||0)+1;"
    "function q(r){return r.querySelectorAll('div.redpill-live[data-redpill-id=\"'+i+'\"]')}"
    "function m(h,t){for(var n=h.firstChild;n;n=n.nextSibling)"
    "if(n.nodeType===8&&n.data.lastIndexOf(t,0)===0)return n.data.slice(t.length);return null}"
    "function run(t){try{var e=d.createElement('script');e.text=t;"
    "(d.head||d.documentElement).appendChild(e);e.remove()}catch(x){}"
    "if(!w.redpillLive)(0,Function)(t)()}"
    "function load(c){var k=c.slice(0,c.indexOf(' ')),z=c.slice(k.length+1);"
    "if(w[k])return Promise.resolve(w[k]);"
    "var b=atob(z),u=new Uint8Array(b.length);for(var j=0;j<b.length;j++)u[j]=b.charCodeAt(j);"
    "return new Response(new Blob([u]).stream()"
    ".pipeThrough(new DecompressionStream('deflate-raw')))"
    ".text().then(function(t){if(!w[k]){w.redpillLive=null;run(t);w[k]=w.redpillLive}return w[k]})}"
    "try{var r=s&&s.parentNode,h=r&&r.querySelectorAll?q(r):[];if(!h.length)h=q(d);"
    "Array.prototype.forEach.call(h,function(e){"
    "var p=m(e,'redpill-payload '),c=m(e,'redpill-code ');"
    "if(p===null||c===null||e.getAttribute('data-redpill-drawn'))return;"
    "load(c).then(function(a){var o=a.draw(e,p);if(!o.ok)console.warn(W,o.reason)})"
    ".catch(function(x){console.warn(W,x)})})}catch(x){console.warn(W,x)}"
    "})"
)


@functools.cache
def _code() -> tuple[str, str] | None:
    """(build key, base64 of the raw-deflated drawing code), or None without a build."""
    try:
        source = resources.files("redpill").joinpath(*BUNDLE).read_bytes()
    except (FileNotFoundError, OSError):
        return None
    packer = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    packed = packer.compress(source) + packer.flush()
    key = "redpillLive_" + hashlib.sha256(source).hexdigest()[:16]
    return key, base64.b64encode(packed).decode("ascii")


def available() -> bool:
    """Whether the drawing code is installed (a build of the package, not a bare checkout)."""
    return _code() is not None


def script_json(value: Any) -> str:
    """``value`` as JSON safe inside any ``<script>``: ASCII only, and ``<``, ``>``, ``&``
    written as ``\\u`` escapes (so ``</script>``, ``<!--`` and ``<script`` cannot occur;
    U+2028/U+2029 are escaped by the ASCII rule)."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _output_id(payload_json: str) -> str:
    # The same payload gives the same id: copies of one output draw the same picture.
    return hashlib.sha256(payload_json.encode("ascii")).hexdigest()[:16]


def live_html(payload: Mapping[str, Any], table: str) -> str:
    """The ``text/html`` of one output: ``table`` (the kernel's escaped fallback) in the host
    element, the payload, and the script that draws it there.  Just the table when the
    drawing code is not installed or the payload is not JSON."""
    code = _code()
    if code is None:
        return table
    try:
        data = script_json(payload)
    except (TypeError, ValueError):
        return table
    key, packed = code
    ident = _output_id(data)
    return (
        f'<div class="{HOST_CLASS}" data-redpill-schema="1" data-redpill-id="{ident}">'
        f"{table}<!--redpill-payload {data}--><!--redpill-code {key} {packed}--></div>"
        f'<script>{BOOTSTRAP}("{ident}")</script>'
    )


__all__ = ["HOST_CLASS", "available", "live_html", "script_json"]
