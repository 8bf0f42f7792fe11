"""text/plain and text/html renderings of a payload, for front ends without our renderer
(VS Code, Colab, nbconvert, a terminal).  Every user-controlled string is escaped."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

#: Objects whose C field tables the HTML fallback spells out (the rest: summary rows only).
HTML_FIELD_TABLES = 10
#: Objects the text fallback describes in full.
TEXT_OBJECTS = 20


def _objects(payload: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {o["address"]: o for o in payload.get("objects", [])}


def _holder_text(h: Mapping[str, Any]) -> str:
    if "name" in h:
        return f"name {h['name']}"
    s = f"{h.get('type', 'object')} at {h['object']}"
    if h.get("via"):
        s += f" {h['via']}"
    if h.get("count", 1) != 1:
        s += f" (x{h['count']})"
    return s


def _internals(o: Mapping[str, Any]) -> str:
    if "int" in o:
        i = o["int"]
        digits = ", ".join(str(d) for d in i["digits"][:8])
        more = "…" if len(i["digits"]) > 8 else ""
        cached = ", small-int cache" if i.get("small_int_cached") else ""
        return f"digits [{digits}{more}] base 2**{i['digit_bits']}, sign {i['sign']}{cached}"
    if "float" in o:
        f = o["float"]
        return (
            f"bits {f['hex']} (sign {f['sign']}, exponent {f['exponent']}, "
            f"mantissa {f['mantissa']})"
        )
    if "str" in o:
        s = o["str"]
        return (
            f"length {s['length']}, kind {s['kind']}, ascii {s['ascii']}, compact {s['compact']}, "
            f"interned {s['interned']}, hash {s.get('hash', '?')}"
        )
    if "bytes" in o:
        return f"length {o['bytes']['length']}"
    if "list" in o:
        return f"{o.get('items_total', '?')} items, allocated {o['list']['allocated']}"
    if "items_total" in o:
        return f"{o['items_total']} items"
    if "dict" in o:
        return f"{o['dict']['used']} entries"
    if "instance" in o:
        attrs = ", ".join(a["name"] for a in o["instance"]["attributes"][:8])
        return f"attributes: {attrs}" if attrs else "no attributes"
    if "summary" in o:
        return ", ".join(f"{k} {v}" for k, v in list(o["summary"].items())[:4])
    return ""


def _refcount_text(o: Mapping[str, Any]) -> str:
    if o.get("immortal"):
        return f"immortal (raw {o['refcount']})"
    return str(o["refcount"])


def to_text(payload: Mapping[str, Any]) -> str:
    """A plain-text rendering: names → addresses, then one block per object."""
    lines: list[str] = []
    objs = _objects(payload)
    interp = payload.get("interpreter", {})
    lines.append(
        f"redpill: {interp.get('implementation', '?')} {interp.get('version', '?')}, "
        f"{8 * int(interp.get('pointer_size', 8))}-bit"
        + (", free-threaded" if interp.get("free_threaded") else "")
    )
    if payload.get("error"):
        lines.append(f"the cell raised {payload['error']}; names bound before it are shown")
    for b in payload.get("names", []):
        o = objs.get(b["object"], {})
        lines.append(f"  {b['name']} -> {b['object']} ({o.get('type', '?')})")
    if payload.get("deleted"):
        lines.append("  deleted: " + ", ".join(payload["deleted"]))
    for n, o in enumerate(payload.get("objects", [])):
        if n == TEXT_OBJECTS:
            lines.append("")
            lines.append(f"… {len(payload['objects']) - TEXT_OBJECTS} more objects")
            break
        lines.append("")
        head = f"{o['address']}  {o['type']}"
        if o.get("repr"):
            head += f"  {o['repr']}"
        lines.append(head)
        extra = f", size {o['size']} B" if "size" in o else ""
        lines.append(f"  refcount {_refcount_text(o)}{extra}")
        if o.get("holders"):
            lines.append("  held by: " + "; ".join(_holder_text(h) for h in o["holders"]))
        if o.get("unexplained"):
            lines.append(f"  unexplained references: {o['unexplained']}")
        internals = _internals(o)
        if internals:
            lines.append(f"  {internals}")
        for f in o.get("fields", [])[:12]:
            note = f"  ({f['note']})" if f.get("note") else ""
            lines.append(
                f"    +{f['offset']:<4} {f['name']:<16} {f['ctype']:<16} {f['value']}{note}"
            )
        if len(o.get("fields", [])) > 12:
            lines.append(f"    … {len(o['fields']) - 12} more fields")
    trunc = payload.get("truncated")
    if trunc:
        lines.append("")
        lines.append("not shown: " + ", ".join(f"{v} {k}" for k, v in trunc.items()) + " (caps)")
    for n in payload.get("notes", []) or []:
        lines.append(f"note: {n}")
    return "\n".join(lines)


def _e(x: object) -> str:
    if type(x) is int:
        return str(x)
    return html.escape(str(x), quote=True)


def to_html(payload: Mapping[str, Any]) -> str:
    """An escaped HTML table (names, then objects with their fields)."""
    objs = _objects(payload)
    interp = payload.get("interpreter", {})
    out: list[str] = ['<div class="redpill-fallback">']
    out.append(
        f"<p><b>redpill</b> — {_e(interp.get('implementation', '?'))} "
        f"{_e(interp.get('version', '?'))}, {_e(8 * int(interp.get('pointer_size', 8)))}-bit"
        + (", free-threaded" if interp.get("free_threaded") else "")
        + "</p>"
    )
    if payload.get("error"):
        out.append(f"<p>The cell raised <code>{_e(payload['error'])}</code>.</p>")
    out.append("<table><thead><tr><th>name</th><th>object</th><th>type</th></tr></thead><tbody>")
    for b in payload.get("names", []):
        o = objs.get(b["object"], {})
        out.append(
            f"<tr><td><code>{_e(b['name'])}</code></td><td><code>{_e(b['object'])}</code></td>"
            f"<td>{_e(o.get('type', '?'))}</td></tr>"
        )
    out.append("</tbody></table>")
    if payload.get("deleted"):
        out.append(
            "<p>deleted: " + ", ".join(f"<code>{_e(d)}</code>" for d in payload["deleted"]) + "</p>"
        )
    out.append(
        "<table><thead><tr><th>address</th><th>type</th><th>value</th><th>refcount</th>"
        "<th>size</th><th>held by</th><th>internals</th></tr></thead><tbody>"
    )
    for o in payload.get("objects", []):
        holders = "<br>".join(_e(_holder_text(h)) for h in o.get("holders", []))
        out.append(
            f"<tr><td><code>{_e(o['address'])}</code></td><td>{_e(o['type'])}</td>"
            f"<td><code>{_e(o.get('repr', ''))}</code></td><td>{_e(_refcount_text(o))}</td>"
            f"<td>{_e(o.get('size', ''))}</td><td>{holders}</td><td>{_e(_internals(o))}</td></tr>"
        )
    out.append("</tbody></table>")
    detailed = 0
    for o in payload.get("objects", []):
        if not o.get("fields"):
            continue
        detailed += 1
        if detailed > HTML_FIELD_TABLES:
            out.append(
                f"<p>C fields of {len(payload['objects']) - HTML_FIELD_TABLES} more objects: "
                "see the redpill renderer.</p>"
            )
            break
        out.append(
            f"<details><summary><code>{_e(o['address'])}</code> {_e(o['type'])}: C struct fields"
            "</summary><table><thead><tr><th>offset</th><th>field</th><th>C type</th>"
            "<th>size</th><th>value</th><th>note</th></tr></thead><tbody>"
        )
        for f in o["fields"]:
            out.append(
                f"<tr><td>{_e(f['offset'])}</td><td><code>{_e(f['name'])}</code></td>"
                f"<td><code>{_e(f['ctype'])}</code></td><td>{_e(f['size'])}</td>"
                f"<td><code>{_e(f['value'])}</code></td><td>{_e(f.get('note', ''))}</td></tr>"
            )
        out.append("</tbody></table></details>")
    for n in payload.get("notes", []) or []:
        out.append(f"<p>note: {_e(n)}</p>")
    out.append("</div>")
    return "".join(out)


def bundle(payload: Mapping[str, Any]) -> dict[str, object]:
    """The display bundle: our MIME type plus the two fallbacks."""
    from .payload import MIME

    return {MIME: dict(payload), "text/plain": to_text(payload), "text/html": to_html(payload)}
