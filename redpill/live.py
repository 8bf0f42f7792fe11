"""The live diagram in ``text/html``: the kernel's HTML table, the payload and a small script
that draws the payload with the renderer's own drawing code, for every front end that runs an
output's scripts without our JupyterLab extension (VS Code, Colab, nbconvert's HTML, nbviewer,
Sphinx and Jupyter Book pages, Voilà without the extension).

Layout of one output::

    <div class="redpill-live" data-redpill-schema="1" data-redpill-id="ID">
      TABLE<!--redpill-payload PAYLOAD JSON--><!--redpill-chunk KEY PACKED CHUNK-->...
      <!--redpill-code KEY PACKED CODE--></div>
    <script>BOOTSTRAP("ID")</script>

The drawing code is ``redpill/static/live.js`` (``npm run build:live``, shipped in the wheel)
with its feature chunks (``live-<name>.js``: the buffer kinds, the instructor views); each
output carries the entry and only the chunks its payload needs (:func:`chunks_for`), each
compressed (raw deflate, in base 91: ``scripts/pack-live.mjs``) and
unpacked in the page with ``DecompressionStream``. Each output draws on its own. The table stays
where scripts are
stripped (GitHub's viewer, ``nbconvert --HTMLExporter.sanitize_html=True``, which also drops
the comments, so no payload or code text shows) and wherever the script cannot draw: the
script replaces it only once the diagram is drawn.

Nothing from the payload is written into markup: it goes into an HTML comment as JSON with
every ``<``, ``>``, ``&`` and non-ASCII character written as a ``\\uXXXX`` escape, so no text in
it can end the comment (``-->``, ``--!>``), open markup or end a script (``</script>``,
``<!--``, ``<script``; U+2028/U+2029 are escaped by the ASCII rule).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import zlib
from collections.abc import Mapping
from importlib import resources
from typing import Any

#: Payloads whose JSON is longer get the table alone: the output (payload, live copy and
#: tables) stays within redpill.budget.OUTPUT_BUDGET without cutting the picture JupyterLab
#: draws to make room for a second copy of the payload.
LIVE_PAYLOAD_MAX = 400_000
#: Class of the element that holds the table, then the diagram.
HOST_CLASS = "redpill-live"
#: Where the packed drawing code lives, inside the package (``scripts/pack-live.mjs``: one
#: line, ``<key> <base 91 of the raw-deflated static/live.js>``).
PACK = ("static", "live.pack")
#: The feature chunks of the drawing code (``live-<name>.js``), each embedded only in the
#: outputs whose payload needs it.
CHUNKS = ("buffers", "instructor")
#: Object kinds drawn by the ``buffers`` chunk.
BUFFER_KINDS = frozenset({"bytearray", "memoryview", "array", "ndarray"})
#: The base-91 digits of the pack (as scripts/pack-live.mjs makes them): printable ASCII but
#: for ``"``, ``\\``, ``<`` and ``>``, so the text can neither end a comment nor start markup.
ALPHABET = "".join(c for c in map(chr, range(0x20, 0x7F)) if c not in '"\\<>')

#: Runs once per output: counts its runs, finds its host element(s) by id (near the script
#: first: VS Code re-creates an output's scripts at the end of its container), reads the
#: payload and the packed drawing code from the host's comments, unpacks the code (or reuses
#: the same build another output already unpacked in this window) and draws.  Any failure
#: leaves the table.  Written by hand, compact: it is in every output.
BOOTSTRAP = (
    "(function(i){var w=window,d=document,s=d.currentScript,A='',C,"
    "c='div.redpill-live[data-redpill-id=\"'+i+'\"]',h;"
    "w.redpillLiveRuns=(w.redpillLiveRuns||0)+1;"
    "for(C=32;C<127;C++)'\"<>\\\\'.indexOf(String.fromCharCode(C))<0&&(A+=String.fromCharCode(C));"
    "function f(e){console.warn('redpill:',e)}"
    "function m(e,t){for(var a=[],n=e.firstChild;n;n=n.nextSibling)"
    "n.nodeType==8&&n.data.indexOf(t)==0&&a.push(n.data.slice(t.length));return a}"
    "function u(z,N){var b=new Uint8Array(N),o=0,j,v=0,l=0;"
    "for(j=0;j<z.length;j+=2){v|=(A.indexOf(z[j])+91*A.indexOf(z[j+1]))<<l;l+=13;"
    "for(;l>7;l-=8,v>>>=8)b[o++]=v&255}return b}"
    "function r(t){try{var x=d.createElement('script');x.text=t;"
    "(d.head||d.documentElement).appendChild(x);x.remove()}catch(x){}"
    "w.redpillLive||Function(t)()}"
    "function g(z){var k=z.slice(0,z.indexOf(' '));"
    "return w[k]?Promise.resolve(w[k]):"
    "new Response(new Blob([u(z.slice(k.length+1),+k.split('_')[2])])"
    ".stream()"
    ".pipeThrough(new DecompressionStream('deflate-raw'))).text().then(function(t){"
    "if(!w[k]){w.redpillLive=0;r(t);w[k]=w.redpillLive}return w[k]})}"
    "try{h=s&&s.parentNode&&s.parentNode.querySelectorAll(c);if(!h||!h.length)h=d.querySelectorAll(c);"
    "[].forEach.call(h,function(e){var p=m(e,'redpill-payload ')[0],z=m(e,'redpill-code ')[0];"
    "if(!p||!z||e.getAttribute('data-redpill-drawn'))return;"
    "m(e,'redpill-chunk ').reduce(function(q,y){return q.then(function(){return g(y)})},"
    "Promise.resolve()).then(function(){return g(z)})"
    ".then(function(L){return L.draw(e,p)}).then(function(o){o.ok||f(o.reason)}).catch(f)})}"
    "catch(x){f(x)}})"
)


@functools.cache
def _packs() -> dict[str, tuple[str, str]] | None:
    """Each packed file of the build by name (``main``, the entry, then its feature chunks)
    as (key, packed code); None without a build."""
    try:
        text = resources.files("redpill").joinpath(*PACK).read_text("ascii")
    except (FileNotFoundError, OSError, UnicodeDecodeError):
        return None
    packs: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        name, _, rest = line.partition(" ")
        key, _, packed = rest.partition(" ")
        if not re.fullmatch(r"redpillLive_[0-9a-f]{12}_[0-9]+", key) or set(packed) - set(ALPHABET):
            return None
        packs[name] = (key, packed)
    return packs if "main" in packs and set(packs) <= {"main", *CHUNKS} else None


def _code() -> tuple[str, str] | None:
    """(build key, the packed entry of the drawing code), or None without a build."""
    packs = _packs()
    return packs["main"] if packs else None


def _holds_buffers(payload: Mapping[str, Any]) -> bool:
    steps = payload.get("steps") or []
    lists = [payload.get("objects") or [], *(s.get("objects") or [] for s in steps)]
    return any(
        obj.get("kind") in BUFFER_KINDS or "buffer" in obj for objects in lists for obj in objects
    )


def chunks_for(payload: Mapping[str, Any]) -> list[str]:
    """The feature chunks an output of ``payload`` carries (as src/live/index.ts's
    ``needsBuffers`` and ``needsInstructor`` decide): the buffer kinds for buffers and views
    in its objects or steps, the instructor views for steps, a quiz, a diff or hidden
    fields."""
    chunks = ["buffers"] if _holds_buffers(payload) else []
    needs = (
        bool(payload.get("steps"))
        or bool(payload.get("quiz"))
        or payload.get("diff") is not None
        or bool(payload.get("hidden_fields"))
    )
    return [*chunks, "instructor"] if needs else chunks


def unpack(key: str, packed: str) -> bytes:
    """The drawing code from its pack (what BOOTSTRAP does in the page; for the tests)."""
    digits = {c: i for i, c in enumerate(ALPHABET)}
    out = bytearray()
    bits = count = 0
    for i in range(0, len(packed) - 1, 2):
        bits |= (digits[packed[i]] + 91 * digits[packed[i + 1]]) << count
        count += 13
        while count >= 8:
            out.append(bits & 255)
            bits >>= 8
            count -= 8
    size = int(key.rsplit("_", 1)[1])
    return zlib.decompressobj(-15).decompress(bytes(out[:size]))


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
    return hashlib.sha256(payload_json.encode("ascii")).hexdigest()[:12]


def live_html(payload: Mapping[str, Any], table: str) -> str:
    """The ``text/html`` of one output: ``table`` (the kernel's escaped fallback) in the host
    element, the payload, and the script that draws it there.  Just the table when the
    drawing code is not installed, the payload is not JSON or longer than
    :data:`LIVE_PAYLOAD_MAX`."""
    packs = _packs()
    if packs is None:
        return table
    try:
        data = script_json(payload)
    except (TypeError, ValueError):
        return table
    if len(data) > LIVE_PAYLOAD_MAX:
        return table
    key, packed = packs["main"]
    chunks = "".join(
        "<!--redpill-chunk {} {}-->".format(*packs[name])
        for name in chunks_for(payload)
        if name in packs
    )
    ident = _output_id(data)
    return (
        f'<div class="{HOST_CLASS}" data-redpill-schema="1" data-redpill-id="{ident}">'
        f"{table}<!--redpill-payload {data}-->{chunks}<!--redpill-code {key} {packed}--></div>"
        f'<script>{BOOTSTRAP}("{ident}")</script>'
    )


__all__ = [
    "ALPHABET",
    "CHUNKS",
    "HOST_CLASS",
    "LIVE_PAYLOAD_MAX",
    "available",
    "chunks_for",
    "live_html",
    "script_json",
    "unpack",
]
