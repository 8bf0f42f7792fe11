"""The live diagram in ``text/html``: the kernel's HTML table, the payload and a small script
that draws the payload with the renderer's own drawing code, for every front end that runs an
output's scripts without our JupyterLab extension (VS Code, Colab, nbconvert's HTML, nbviewer,
Sphinx and Jupyter Book pages, Voilà without the extension).

Layout of one output::

    <div class="redpill-live" data-redpill-id="ID">
      TABLE<!--redpill-zpayload PACKED PAYLOAD--><!--redpill-code KEY PACKED CODE--></div>
    <script>BOOTSTRAP("ID")</script>

The drawing code is built by ``npm run build:live`` (``webpack.live.config.js``, shipped in
the wheel) as one bundle per set of features a payload can use: ``redpill/static/live.js``
for the plain diagram, ``build/live/live-<features>.js`` with the code of the buffer kinds,
the steps, the questions or the diff marks added (:data:`FEATURES`), all packed into
``redpill/static/live.pack``.  Each output carries the one bundle its payload needs
(:func:`bundle_for`), compressed (raw deflate, in base 91: ``scripts/pack-live.mjs``) and
unpacked in the page with ``DecompressionStream``. Each
output draws on its own. The table stays
where scripts are
stripped (GitHub's viewer, ``nbconvert --HTMLExporter.sanitize_html=True``, which also drops
the comments, so no payload or code text shows) and wherever the script cannot draw: the
script replaces it only once the diagram is drawn.

Nothing from the payload is written into markup: its copy for the script is its JSON,
raw-deflated and written in base 64 (:func:`pack_payload`; unpacked in the page with
``DecompressionStream`` like the code), so the comment holds only ``A-Z a-z 0-9 + / =``: no text
of the user's can end it (``-->``, ``--!>``), open markup or end a script.  Packed, the copy
costs a few percent of the JSON (a 300-step ``--steps`` payload of 500 KB: about 22 KB).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
import zlib
from collections.abc import Mapping
from importlib import resources
from typing import Any

#: Payloads whose JSON is longer get the table alone (the packed copy of such a payload could
#: still be large: the output, payload and copy and tables, stays within
#: redpill.budget.OUTPUT_BUDGET without cutting the picture JupyterLab draws).
LIVE_PAYLOAD_MAX = 800_000
#: The comment that holds the packed payload (``<!--`` + this + the base 64 + ``-->``).
PAYLOAD_MARK = "redpill-zpayload "
#: Class of the element that holds the table, then the diagram.
HOST_CLASS = "redpill-live"
#: Where the packed drawing code lives, inside the package (``scripts/pack-live.mjs``: one
#: line per bundle, ``<name> <key> <base 91 of the raw-deflated bundle>``).
PACK = ("static", "live.pack")
#: The features whose code only some bundles carry, in the order bundle names list them.
FEATURES = ("buffers", "diff", "quiz", "steps")
#: The bundles (``main`` = static/live.js; the others build/live/``live-<name>.js``): each set of
#: features :func:`bundle_for` can choose (``steps`` holds the diff marks too).
BUNDLES = tuple(
    "-".join(buffers + views) or "main"
    for buffers in ((), ("buffers",))
    for views in ((), ("diff",), ("quiz",), ("diff", "quiz"), ("steps",), ("quiz", "steps"))
)
#: Object kinds drawn by the ``buffers`` feature.
BUFFER_KINDS = frozenset({"bytearray", "memoryview", "array", "ndarray"})
#: The base-91 digits of the pack (as scripts/pack-live.mjs makes them): printable ASCII but
#: for ``"``, ``\\``, ``<`` and ``>``, so the text can neither end a comment nor start markup.
ALPHABET = "".join(c for c in map(chr, range(0x20, 0x7F)) if c not in '"\\<>')

#: Runs once per output: counts its runs, finds its host element(s) by id (near the script
#: first: VS Code re-creates an output's scripts at the end of its container), reads the
#: payload and the packed drawing code from the host's comments (found in its markup, where
#: the table's text is escaped: no ``<`` or ``-->`` of it can match), unpacks the code (or
#: reuses the same build another output already unpacked in this window) and draws.  Any
#: failure leaves the table.  Written by hand, compact: it is in every output (and holds no
#: ``-->`` or ``<!--`` itself).  A base-91 digit's value is its character code less 32 and
#: less one for each character of ``"<>\\`` (codes 34, 60, 62, 92) below it
#: (:data:`ALPHABET`).  Modern syntax (arrows, ``?.``, ``async``): a browser without it has
#: no ``DecompressionStream('deflate-raw')`` either.
BOOTSTRAP = (
    "(i=>{var w=window,d=document,s=d.currentScript,h,"
    "c='[data-redpill-id=\"'+i+'\"]',"
    "f=e=>console.warn('redpill:',e),"
    "r=b=>new Response(new Response(b).body"
    ".pipeThrough(new DecompressionStream('deflate-raw'))).text(),"
    "u=(z,b)=>{for(var o=0,j=0,v=0,l=0,"
    "D=q=>(q=z.charCodeAt(q))-32-(q>34)-(q>60)-(q>62)-(q>92);j<z.length;j+=2)"
    "for(v|=(D(j)+91*D(j+1))<<l,l+=13;l>7;l-=8,v>>>=8)b[o++]=v;"
    "return r(b)},"
    "g=async z=>{var k=z.split(' ',1)[0],t;"
    "if(!w[k]){t=await u(z.slice(k.length+1),new Uint8Array(+k.split('_')[2]));"
    "if(!w[k]){w.redpillLive=0;try{var x=d.createElement('script');x.text=t;"
    "d.documentElement.appendChild(x);x.remove()}catch(x){}"
    "w.redpillLive||Function(t)();w[k]=w.redpillLive}}return w[k]};"
    "w.redpillLiveRuns=-~w.redpillLiveRuns;"
    "try{h=s?.parentNode?.querySelectorAll(c);h?.length||(h=d.querySelectorAll(c));"
    "h.forEach(e=>{var x=e.innerHTML,p=/zpayload ([\\w+/=]+)--\\>/.exec(x),"
    "z=/redpill-code ([^<]+)--\\>/.exec(x);"
    "p&&z&&!e.dataset.redpillDrawn&&g(z[1]).then(l=>"
    "r(Uint8Array.from(atob(p[1]),c=>c.charCodeAt())).then(t=>{"
    "var o=l.draw(e,t);o.ok||f(o.reason)})).catch(f)})}"
    "catch(x){f(x)}})"
)


@functools.cache
def _packs() -> dict[str, tuple[str, str]] | None:
    """Each packed bundle of the build by name (:data:`BUNDLES`) as (key, packed code);
    None without a build (or an incomplete one)."""
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
    return packs if set(packs) == set(BUNDLES) else None


def _holds_buffers(payload: Mapping[str, Any]) -> bool:
    # The objects drawn and every version the steps draw (step_objects: a buffer may exist
    # in an earlier step only). A step's own references carry no kind (schema: step_object).
    return any(
        obj.get("kind") in BUFFER_KINDS or "buffer" in obj
        for objects in (payload.get("objects") or [], payload.get("step_objects") or [])
        for obj in objects
    )


def features_for(payload: Mapping[str, Any]) -> list[str]:
    """The features of :data:`FEATURES` whose code an output of ``payload`` needs (as
    src/live/index.ts's views use them): the buffer kinds for buffers and views in its
    objects or the objects of its steps; the steps; the questions for a quiz or hidden
    fields; the diff marks for a diff (the steps' code holds them too)."""
    features = ["buffers"] if _holds_buffers(payload) else []
    steps = bool(payload.get("steps"))
    if payload.get("diff") is not None and not steps:
        features.append("diff")
    if payload.get("quiz") or payload.get("hidden_fields"):
        features.append("quiz")
    if steps:
        features.append("steps")
    return features


def bundle_for(payload: Mapping[str, Any]) -> str:
    """The name of the bundle (:data:`BUNDLES`) an output of ``payload`` carries."""
    return "-".join(features_for(payload)) or "main"


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
    return _packs() is not None


def script_json(value: Any) -> str:
    """``value`` as JSON safe inside any ``<script>``: ASCII only, and ``<``, ``>``, ``&``
    written as ``\\u`` escapes (so ``</script>``, ``<!--`` and ``<script`` cannot occur;
    U+2028/U+2029 are escaped by the ASCII rule)."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def payload_json(payload: Any) -> str:
    """``payload`` as compact ASCII JSON (what the live copy packs; raises ``TypeError`` or
    ``ValueError`` for a value JSON cannot hold)."""
    return json.dumps(payload, ensure_ascii=True, separators=(",", ":"), allow_nan=False)


def pack_payload(data: str) -> str:
    """The payload's JSON ``data``, raw-deflated, in base 64 (ASCII letters, digits, ``+``,
    ``/``, ``=``: inert in a comment, a script or a JSON string)."""
    z = zlib.compressobj(6, zlib.DEFLATED, -15)
    return base64.b64encode(z.compress(data.encode("ascii")) + z.flush()).decode("ascii")


def unpack_payload(packed: str) -> str:
    """The JSON a packed payload holds (what BOOTSTRAP does in the page; for the tests)."""
    return zlib.decompress(base64.b64decode(packed, validate=True), -15).decode("ascii")


def json_bound(data: str) -> int:
    """An upper bound of the UTF-8 bytes of the payload whose compact ASCII JSON is ``data``,
    as the message's JSON writes it (non-ASCII as itself, ``", "`` and ``": "``): every
    ``\\u`` escape (6 bytes) stands for at most 3 bytes (a surrogate pair's 12 for 4), and
    each ``,`` or ``:`` gains at most one space."""
    return len(data) + data.count(",") + data.count(":")


def _output_id(packed: str) -> str:
    # The same payload gives the same id: copies of one output draw the same picture.
    return hashlib.sha256(packed.encode("ascii")).hexdigest()[:12]


def live_html(payload: Mapping[str, Any], table: str, data: str | None = None) -> str:
    """The ``text/html`` of one output: ``table`` (the kernel's escaped fallback) in the host
    element, the payload packed, and the script that draws it there.  ``data`` is the
    payload's :func:`payload_json` when the caller has it.  Just the table when the drawing
    code is not installed, the payload is not JSON or its JSON is longer than
    :data:`LIVE_PAYLOAD_MAX`."""
    packs = _packs()
    if packs is None:
        return table
    if data is None:
        try:
            data = payload_json(payload)
        except (TypeError, ValueError):
            return table
    if len(data) > LIVE_PAYLOAD_MAX:
        return table
    packed_payload = pack_payload(data)
    key, packed = packs[bundle_for(payload)]
    ident = _output_id(packed_payload)
    return (
        f'<div class="{HOST_CLASS}" data-redpill-id="{ident}">'
        f"{table}<!--{PAYLOAD_MARK}{packed_payload}--><!--redpill-code {key} {packed}--></div>"
        f'<script>{BOOTSTRAP}("{ident}")</script>'
    )


__all__ = [
    "ALPHABET",
    "BUNDLES",
    "FEATURES",
    "HOST_CLASS",
    "LIVE_PAYLOAD_MAX",
    "PAYLOAD_MARK",
    "available",
    "bundle_for",
    "features_for",
    "json_bound",
    "live_html",
    "pack_payload",
    "payload_json",
    "script_json",
    "unpack",
    "unpack_payload",
]
