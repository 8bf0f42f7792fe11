"""text/plain and text/html renderings of a payload, for front ends without our renderer
(VS Code, Colab, nbconvert, a terminal).  Every user-controlled string is escaped."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

#: Objects whose C field tables the HTML fallback spells out (the rest: summary rows only).
HTML_FIELD_TABLES = 3
#: Objects the HTML fallback lists (one row each); the rest are counted.
HTML_OBJECTS = 25
#: Objects the text fallback describes in full.
TEXT_OBJECTS = 12


def _objects(payload: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {o["address"]: o for o in payload.get("objects", [])}


def _holder_text(h: Mapping[str, Any]) -> str:
    if "frame" in h:
        return f"frame {h.get('function', '?')}: {h.get('name', '?')}"
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
    if "buffer" in o and o.get("kind") != "bytes":
        return _buffer_text(o["buffer"], o.get("kind"))
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


def _buffer_text(b: Mapping[str, Any], kind: object) -> str:
    """A buffer in one line: where its data is, how big, its shape and what holds it."""
    shape = ", ".join(str(n) for n in b["shape"])
    strides = ", ".join(str(n) for n in b["strides"])
    parts = [f"data {b['data']}, {b['nbytes']} bytes"]
    if "allocated" in b and b["allocated"] != b["nbytes"]:
        parts.append(f"{b['allocated']} allocated")
    parts.append(f"shape ({shape}), strides ({strides}), format {b['format']}")
    if b.get("flags"):
        parts.append(" | ".join(b["flags"]))
    if "base" in b:
        parts.append(f"{'obj' if kind == 'memoryview' else 'base'} {b['base']}")
    if "owner" in b and b.get("owner") != b.get("base"):
        parts.append(f"memory of {b['owner']}")
    return ", ".join(parts)


def field_note(f: Mapping[str, Any], o: Mapping[str, Any]) -> str:
    """What a C field means: the kernel's note, else the fixed explanation of a
    well-known field (the renderer's fieldNote() says the same)."""
    note = f.get("note")
    if note:
        return str(note)
    name = f.get("name")
    if name == "_gc_next":
        return "PyGC_Head: next object in its GC list"
    if name == "_gc_prev":
        try:
            flags = f", flags {int(str(f.get('value')), 16) & 3}"
        except ValueError:
            flags = ""
        return "PyGC_Head: previous object" + flags
    if name == "ob_type" and o.get("type") not in (None, "?"):
        return f"type {o['type']}"
    return ""


def birth_lines(payload: Mapping[str, Any], o: Mapping[str, Any]) -> list[str]:
    """How CPython made the object (its birth's summary and call path, with the
    source lines where they were checked) and where it lives, as text lines."""
    out: list[str] = []
    births = payload.get("births")
    b = births.get(o.get("birth")) if isinstance(births, dict) else None
    if isinstance(b, dict):
        summary = str(b.get("summary", ""))
        out.append(summary)
        steps = []
        for s in b.get("path", []):
            where = f"{s.get('file')}:{s['line']}" if s.get("line") else f"{s.get('file')}"
            steps.append(f"{s.get('function')} ({where})")
        if steps:
            out.append("path: " + " → ".join(steps))
    alloc = o.get("allocation")
    if isinstance(alloc, dict) and alloc.get("note"):
        out.append(f"allocation: {alloc['note']}")
    return out


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
        lines.extend(f"  {line}" for line in birth_lines(payload, o))
        internals = _internals(o)
        if internals:
            lines.append(f"  {internals}")
        for f in o.get("fields", [])[:12]:
            meaning = field_note(f, o)
            note = f"  ({meaning})" if meaning else ""
            lines.append(
                f"    +{f['offset']:<4} {f['name']:<16} {f['ctype']:<16} {f['value']}{note}"
            )
        if len(o.get("fields", [])) > 12:
            lines.append(f"    … {len(o['fields']) - 12} more fields")
    lines.extend(_diff_lines(payload))
    lines.extend(_steps_lines(payload))
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
    listed = payload.get("objects", [])[:HTML_OBJECTS]
    for o in listed:
        holders = "<br>".join(_e(_holder_text(h)) for h in o.get("holders", []))
        out.append(
            f"<tr><td><code>{_e(o['address'])}</code></td><td>{_e(o['type'])}</td>"
            f"<td><code>{_e(o.get('repr', ''))}</code></td><td>{_e(_refcount_text(o))}</td>"
            f"<td>{_e(o.get('size', ''))}</td><td>{holders}</td><td>{_e(_internals(o))}"
            + "".join(f"<br>{_e(line)}" for line in birth_lines(payload, o)[:1])
            + "</td></tr>"
        )
    out.append("</tbody></table>")
    more = len(payload.get("objects", [])) - len(listed)
    if more > 0:
        out.append(f"<p>… {more} more objects: see the redpill renderer.</p>")
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
                f"<td><code>{_e(f['value'])}</code></td><td>{_e(field_note(f, o))}</td></tr>"
            )
        out.append("</tbody></table></details>")
    extra = _diff_lines(payload) + _steps_lines(payload)
    if extra:
        out.append("<pre>" + _e("\n".join(extra).strip("\n")) + "</pre>")
    for n in payload.get("notes", []) or []:
        out.append(f"<p>note: {_e(n)}</p>")
    out.append("</div>")
    return "".join(out)


# --------------------------------------------------------------------------------------------
# steps, diff, quiz and hidden fields (the instructors' options)

#: Steps the fallbacks spell out.
TEXT_STEPS = 30
#: Diff entries the fallbacks spell out.
TEXT_DIFF = 30

#: Required object keys that ``hidden_fields`` can ask a front end not to show.
MASKABLE = ("refcount", "address", "type", "immortal")


def mask(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``payload`` for the fallbacks with ``hidden_fields`` masked.

    ``refcount``: counts, raw counts and the header bytes become ``?``;
    ``address``: every address becomes ``object N`` (and the C fields and raw
    memory, full of pointers, are left out); ``type``: type names become ``?``;
    ``immortal``: not said.
    """
    hidden = set(payload.get("hidden_fields") or ())
    out = dict(payload)
    if not hidden & set(MASKABLE):
        return out
    labels: dict[str, str] = {}
    if "address" in hidden:
        for o in payload.get("objects", []):
            labels.setdefault(o["address"], f"object {len(labels) + 1}")

    def addr(a: Any) -> Any:
        if isinstance(a, str) and a.startswith("0x"):
            return labels.setdefault(a, f"object {len(labels) + 1}")
        return a

    objects = []
    for o in payload.get("objects", []):
        o = dict(o)
        if "refcount" in hidden:
            o["refcount"] = "?"
            o["immortal"] = False
            for k in ("refcount_raw", "refcount_local", "refcount_shared", "unexplained"):
                o.pop(k, None)
            o.pop("memory", None)
            if isinstance(o.get("fields"), list):
                o["fields"] = [
                    {**f, "value": "?", "note": ""}
                    if f.get("name") in ("ob_refcnt", "ob_ref_local", "ob_ref_shared")
                    else f
                    for f in o["fields"]
                ]
        if "type" in hidden:
            o["type"] = "?"
        if "immortal" in hidden:
            o.pop("immortal", None)
        if "address" in hidden:
            o["address"] = addr(o["address"])
            o.pop("fields", None)
            o.pop("memory", None)
            if isinstance(o.get("items"), list):
                o["items"] = [addr(a) for a in o["items"]]
            o["holders"] = [
                {**h, "object": addr(h["object"])} if "object" in h else h
                for h in o.get("holders", [])
            ]
            if isinstance(o.get("buffer"), Mapping):
                b = {k: v for k, v in o["buffer"].items() if k != "memory"}
                b["data"] = "?"
                for k in ("owner", "base"):
                    if k in b:
                        b[k] = addr(b[k])
                o["buffer"] = b
        objects.append(o)
    out["objects"] = objects
    if "address" in hidden:
        out["names"] = [{**b, "object": addr(b["object"])} for b in payload.get("names", [])]
        out.pop("steps", None)
        out.pop("diff", None)
        # every other place an address is written (reprs, slots, entries, notes)
        out = _without_addresses(out, labels)
    if "refcount" in hidden:
        out.pop("steps", None)
        if isinstance(out.get("diff"), Mapping):
            d = dict(out["diff"])
            d["objects"] = [{k: v for k, v in x.items() if k != "refcount"} for x in d["objects"]]
            out["diff"] = d
    return out


def _without_addresses(value: Any, labels: dict[str, str]) -> Any:
    """``value`` with each address of ``labels`` written as its label, in every string."""
    if not labels:
        return value
    pattern = re.compile("|".join(re.escape(a) for a in labels) + r"(?![0-9a-f])", re.IGNORECASE)
    lower = {a.lower(): label for a, label in labels.items()}

    def walk(v: Any) -> Any:
        if isinstance(v, str):
            return pattern.sub(lambda m: lower[m.group(0).lower()], v) if "0x" in v.lower() else v
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, Mapping):
            return {k: walk(x) for k, x in v.items()}
        return v

    return walk(value)


def _steps_lines(payload: Mapping[str, Any]) -> list[str]:
    steps = payload.get("steps")
    if not steps:
        return []
    counts = payload.get("step_counts")
    if isinstance(counts, Mapping):
        ran = counts.get("executed", 0)
        of = f"of {ran}" if counts.get("exact") else f"of more than {ran}"
        lines = ["", f"steps: {len(steps)} recorded, {of} lines executed"]
    else:
        lines = ["", f"steps: {len(steps)} statements, a snapshot after each"]
    types = {
        (o["address"], o.get("version", 0)): o.get("type", "?")
        for o in payload.get("step_objects", [])
    }
    reprs = {
        (o["address"], o.get("version", 0)): o.get("repr") for o in payload.get("step_objects", [])
    }

    def bound(b: Mapping[str, Any], refs: Mapping[str, Mapping[str, Any]]) -> str:
        key = (b["object"], refs.get(b["object"], {}).get("version", 0))
        shown_value = f" {reprs[key]}" if reprs.get(key) else ""
        return (
            f"{b['name']} -> {b['object']}{shown_value} ({types.get(key, '?')}, "
            f"refcount {refs.get(b['object'], {}).get('refcount', '?')})"
        )

    def where(st: Mapping[str, Any]) -> str:
        first, last = st["lines"]
        at = f"line {first}" if first == last else f"lines {first}-{last}"
        event = st.get("event")
        return f"{at}, {event}" if event and event != "statement" else at

    for k, st in enumerate(steps[:TEXT_STEPS], start=1):
        refs = {r["address"]: r for r in st.get("objects", [])}
        names = ", ".join(bound(b, refs) for b in st.get("names", []))
        depth = len(st.get("frames") or [])
        calls = f" [{depth} call{'s' if depth != 1 else ''}]" if depth else ""
        lines.append(f"  step {k} ({where(st)}){calls}: {names or 'no names'}")
        if st.get("deleted"):
            lines.append("    deleted: " + ", ".join(st["deleted"]))
        for c in st.get("refcount_changes", []):
            lines.append(f"    refcount of {c['address']}: {c['before']} -> {c['after']}")
        if st.get("freed"):
            lines.append("    freed: " + ", ".join(st["freed"]))
        if st.get("reused"):
            lines.append("    new object at a reused address: " + ", ".join(st["reused"]))
        if st.get("error"):
            lines.append(f"    raised {st['error']}")
    if len(steps) > TEXT_STEPS:
        lines.append(f"  … {len(steps) - TEXT_STEPS} more steps")
    # the final step in full: its frames, their locals, what it printed or raised
    last = steps[-1]
    refs = {r["address"]: r for r in last.get("objects", [])}
    lines.append(f"final step (step {len(steps)}, {where(last)}):")
    names = ", ".join(bound(b, refs) for b in last.get("names", []))
    lines.append(f"  global frame: {names or 'no names'}")
    for f in last.get("frames") or []:
        state = " (suspended)" if f.get("state") == "suspended" else ""
        local = ", ".join(bound(b, refs) for b in f.get("names", []))
        lines.append(
            f"  frame {f['function']} (call {f['call']}, line {f['line']}){state}: "
            f"{local or 'no locals'}"
        )
        if f.get("return"):
            lines.append(f"    returns {f['return']}")
    exc = last.get("exception")
    if isinstance(exc, Mapping):
        lines.append(f"  raised {exc.get('type')}: {exc.get('message', '')}")
    if last.get("stdout"):
        lines.append(f"  printed: {last['stdout']!r}")
    return lines


def _diff_lines(payload: Mapping[str, Any]) -> list[str]:
    d = payload.get("diff")
    if not isinstance(d, Mapping):
        return []
    lines = ["", "since the previous %%redpill snapshot:"]
    if d.get("previous") is None:
        lines.append("  (no earlier snapshot in this kernel)")
        return lines
    for n in d.get("names", []):
        if n["change"] == "rebound":
            lines.append(f"  name {n['name']} rebound: {n['before']} -> {n['after']}")
        elif n["change"] in ("new", "deleted"):
            lines.append(f"  name {n['name']} {n['change']}")
    for o in d.get("objects", [])[:TEXT_DIFF]:
        rc = o.get("refcount")
        rc_text = f", refcount {rc[0]} -> {rc[1]}" if rc and None not in rc else ""
        status = o["status"]
        if status == "reused":
            status = "NEW object at a reused address" + ("" if o.get("certain") else " (likely)")
            if o.get("type_before"):
                status += f" (was a {o['type_before']})"
        elif status == "same":
            status = "changed" if o.get("changed") else "same object"
        lines.append(f"  {o['address']} {o.get('type', '?')}: {status}{rc_text}")
    if len(d.get("objects", [])) > TEXT_DIFF:
        lines.append(f"  … {len(d['objects']) - TEXT_DIFF} more")
    return lines


def _quiz_header(payload: Mapping[str, Any]) -> str:
    interp = payload.get("interpreter", {})
    return (
        f"redpill: {interp.get('implementation', '?')} {interp.get('version', '?')}, "
        f"{8 * int(interp.get('pointer_size', 8))}-bit"
        + (", free-threaded" if interp.get("free_threaded") else "")
    )


def quiz_text(payload: Mapping[str, Any]) -> str:
    """Plain text for a quiz: the questions only; the answers stay hidden."""
    qs = payload.get("quiz") or []
    lines = [_quiz_header(payload)]
    if payload.get("error"):
        lines.append(f"the cell raised {payload['error']}")
    lines.append(
        f"quiz: {len(qs)} question{'s' if len(qs) != 1 else ''} "
        "(answers are hidden: predict, then check in JupyterLab with jupyterlab-redpill, "
        "or open the folded answers in the HTML view)"
    )
    for q in qs:
        lines.append(f"  {q['id']}. {q['prompt']}")
    return "\n".join(lines)


def quiz_html(payload: Mapping[str, Any]) -> str:
    """HTML for a quiz: the questions, each answer folded in ``<details>``, then the full
    picture folded too (it shows the answers)."""
    from .quiz import answer_text

    qs = payload.get("quiz") or []
    head = _e(_quiz_header(payload).removeprefix("redpill: "))
    out = ['<div class="redpill-fallback redpill-quiz">', f"<p><b>redpill</b> — {head}</p>"]
    if payload.get("error"):
        out.append(f"<p>The cell raised <code>{_e(payload['error'])}</code>.</p>")
    out.append(f"<p>Quiz: predict, then open the answer ({_e(len(qs))} questions).</p><ol>")
    for q in qs:
        out.append(
            f'<li id="{_e(q["id"])}">{_e(q["prompt"])} '
            f"<details><summary>answer</summary><code>{_e(answer_text(q))}</code></details></li>"
        )
    out.append("</ol>")
    out.append(
        "<details><summary>the full picture (shows the answers)</summary>"
        + to_html({k: v for k, v in payload.items() if k != "quiz"})
        + "</details>"
    )
    out.append("</div>")
    return "".join(out)


def bundle(payload: Mapping[str, Any]) -> dict[str, object]:
    """The display bundle: our MIME type plus the two fallbacks (quiz answers never first,
    ``hidden_fields`` masked), the HTML table inside the live diagram (``redpill.live``)."""
    return bundle_and_bound(payload)[0]


def bundle_and_bound(payload: Mapping[str, Any]) -> tuple[dict[str, object], int | None]:
    """:func:`bundle`, and an upper bound of the UTF-8 bytes of the payload's JSON read off
    the JSON the live diagram packed (None when there is none: no build, not JSON)."""
    from .compact import sent
    from .live import json_bound, live_html, payload_json
    from .payload import MIME

    shown = mask(payload)
    if shown.get("quiz"):
        text, table = quiz_text(shown), quiz_html(shown)
    else:
        text, table = to_text(shown), to_html(shown)
    # the copy that is sent writes the steps' stored versions as differences
    wire = sent(payload)
    try:
        data: str | None = payload_json(wire)
    except (TypeError, ValueError):
        data = None
    html = live_html(wire, table, data) if data is not None else table
    out = {MIME: dict(wire), "text/plain": text, "text/html": html}
    return out, (json_bound(data) if data is not None else None)
