"""One output within bounds: every string sendable, every list and the whole output capped.

The readers already cut what they take from objects (text, reprs, type and attribute
names: :mod:`redpill.text`).  What is left for the end of a cell is what the
payload's assembly carries through unchanged: the names the cell bound, the names
that hold objects, notes quoting them, the ``--steps``, ``--diff`` and ``--quiz``
parts.  :func:`finish` makes those sendable and cut, then keeps the whole display
bundle under :data:`OUTPUT_BUDGET` characters: a cheap upper estimate first, and
only where that is over the budget an exact measure, then less detail (holders and
names cut), and at last no objects at all but a note saying why.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from .text import NAME_CHARS, TEXT_CHARS, shown

#: Characters of one note at most.
NOTE_CHARS = 2_000
#: Notes in one payload (or one step) at most.
MAX_NOTES = 100
#: Deleted names listed at most.
MAX_DELETED = 500
#: Holders listed per object when the output would be over the budget.
FEW_HOLDERS = 5
#: Names drawn when the output would be over the budget.
FEW_NAMES = 100
#: Characters of one display bundle at most (the JSON payload and both fallbacks).
OUTPUT_BUDGET = 950_000
#: Upper estimate of one object entry's fixed part (keys, numbers, addresses, blocks).
_ENTRY_BASE = 1_500
#: Upper estimate of one C field (its name, type, value and note come from the layouts).
_FIELD = 250
#: A JSON string is at most this many times longer than the text (``\\u0000``).
_JSON_GROWTH = 6


def _name(x: object) -> object:
    return shown(x, NAME_CHARS) if type(x) is str else x


def _text(x: object) -> object:
    return shown(x, TEXT_CHARS) if type(x) is str else x


def _notes(notes: object, cut: list[int]) -> list[str]:
    """Notes sendable and cut; counts those left out in ``cut``."""
    if not isinstance(notes, list):
        return []
    if len(notes) > MAX_NOTES:
        cut.append(len(notes) - MAX_NOTES)
    return [shown(str(n), NOTE_CHARS) for n in notes[:MAX_NOTES]]


def _holders(entry: Mapping[str, Any]) -> None:
    for h in entry.get("holders") or ():
        if "name" in h:
            h["name"] = _name(h["name"])


def _each(items: object, fix: Callable[[dict[str, Any]], None]) -> None:
    if isinstance(items, list):
        for x in items:
            if isinstance(x, dict):
                fix(x)


def _binding(b: dict[str, Any]) -> None:
    b["name"] = _name(b.get("name"))


def _deleted(names: object, cut: list[int]) -> list[object]:
    if not isinstance(names, list):
        return []
    if len(names) > MAX_DELETED:
        cut.append(len(names) - MAX_DELETED)
    return [_name(n) for n in names[:MAX_DELETED]]


def _step(step: dict[str, Any]) -> None:
    cut: list[int] = []
    _each(step.get("names"), _binding)
    step["deleted"] = _deleted(step.get("deleted"), cut)
    _each(step.get("objects"), _holders)
    if "notes" in step:
        step["notes"] = _notes(step["notes"], cut)
    if "error" in step:
        step["error"] = _name(step["error"])


def _question(q: dict[str, Any]) -> None:
    for key in ("name", "other"):
        if key in q:
            q[key] = _name(q[key])
    if "prompt" in q:
        q["prompt"] = _text(q["prompt"])


def _diff_name(d: dict[str, Any]) -> None:
    d["name"] = _name(d.get("name"))


def sendable(payload: dict[str, Any]) -> dict[str, Any]:
    """Make the strings the payload's assembly carried through sendable and cut, and
    cap the lists of names and notes (in place; returns ``payload``)."""
    cut: list[int] = []
    _each(payload.get("names"), _binding)
    payload["deleted"] = _deleted(payload.get("deleted"), cut)
    deleted_cut = sum(cut)
    _each(payload.get("objects"), _holders)
    _each(payload.get("step_objects"), _holders)
    _each(payload.get("steps"), _step)
    _each(payload.get("quiz"), _question)
    diff = payload.get("diff")
    if isinstance(diff, dict):
        _each(diff.get("names"), _diff_name)
        if "notes" in diff:
            diff["notes"] = _notes(diff["notes"], [])
    if isinstance(payload.get("error"), str):
        payload["error"] = _name(payload["error"])
    options = payload.get("options")
    if isinstance(options, dict) and isinstance(options.get("names"), list):
        options["names"] = [_name(n) for n in options["names"][:MAX_DELETED]]
    notes_cut: list[int] = []
    notes = _notes(payload.get("notes"), notes_cut)
    if deleted_cut:
        notes.append(f"{deleted_cut:,} more deleted names are not listed")
    if notes_cut:
        notes.append(f"{notes_cut[0]:,} more notes are not listed")
    if notes:
        payload["notes"] = notes
    return payload


# --------------------------------------------------------------------------------------------
# the size of one output


def _length(x: object) -> int:
    return len(x) if isinstance(x, str) else 0


def _entry_estimate(e: Mapping[str, Any]) -> int:
    """An upper estimate of the JSON characters of one object entry."""
    g = _JSON_GROWTH
    n = _ENTRY_BASE + g * (_length(e.get("repr")) + _length(e.get("type")))
    n += g * _length(e.get("type_module"))
    n += _FIELD * len(e.get("fields") or ())
    n += 2 * _length((e.get("memory") or {}).get("hex"))
    for h in e.get("holders") or ():
        n += 80 + g * (_length(h.get("name")) + _length(h.get("via")) + _length(h.get("type")))
    n += 20 * len(e.get("items") or ())
    s = e.get("str")
    if isinstance(s, dict):
        n += g * _length(s.get("text"))
    b = e.get("bytes")
    if isinstance(b, dict):
        n += 2 * _length(b.get("hex"))
    d = e.get("dict")
    if isinstance(d, dict):
        for x in d.get("entries") or ():
            n += 60 + g * _length(x.get("key_repr"))
    inst = e.get("instance")
    if isinstance(inst, dict):
        for a in inst.get("attributes") or ():
            n += 60 + g * _length(a.get("name"))
    summary = e.get("summary")
    if isinstance(summary, dict):
        for v in summary.values():
            n += 20 + g * _length(v)
    i = e.get("int")
    if isinstance(i, dict):
        n += _length(i.get("value")) + 12 * len(i.get("digits") or ())
    return n


def estimate(payload: Mapping[str, Any]) -> int:
    """An upper estimate of the JSON characters of ``payload`` (no encoding: cheap)."""
    g = _JSON_GROWTH
    n = 2_000
    for b in payload.get("names") or ():
        n += 60 + g * _length(b.get("name"))
    for d in payload.get("deleted") or ():
        n += 4 + g * _length(d)
    for note in payload.get("notes") or ():
        n += 4 + g * _length(note)
    for e in payload.get("objects") or ():
        n += _entry_estimate(e)
    for e in payload.get("step_objects") or ():
        n += _entry_estimate(e)
    for key in ("steps", "diff", "quiz", "source"):
        if key in payload:  # smaller parts, or ones whose size --steps already budgets
            n += len(json.dumps(payload[key], ensure_ascii=False, default=str))
    return n


def measure(bundle: Mapping[str, Any], mime: str) -> int:
    """The exact characters of a display bundle (the payload encoded, the fallbacks)."""
    n = 0
    for key, value in bundle.items():
        if key == mime:
            n += len(json.dumps(value, ensure_ascii=False, default=str))
        else:
            n += _length(value)
    return n


def fallback_size(bundle: Mapping[str, Any], mime: str) -> int:
    """Characters of the bundle's text representations."""
    return sum(_length(v) for k, v in bundle.items() if k != mime)


def fewer_details(payload: dict[str, Any]) -> None:
    """Cut the holder lists and the names drawn (in place), saying so."""
    objects = payload.get("objects") or []
    cut_holders = 0
    for e in [*objects, *(payload.get("step_objects") or [])]:
        hs = e.get("holders")
        if isinstance(hs, list) and len(hs) > FEW_HOLDERS:
            cut_holders += len(hs) - FEW_HOLDERS
            e["holders"] = hs[:FEW_HOLDERS]
    names = payload.get("names") or []
    notes = payload.setdefault("notes", [])
    if len(names) > FEW_NAMES:
        payload["names"] = names[:FEW_NAMES]
        trunc = payload.setdefault("truncated", {})
        trunc["names"] = int(trunc.get("names", 0)) + len(names) - FEW_NAMES
    if cut_holders:
        notes.append(
            f"{cut_holders:,} holders are not listed: the picture would be over the size "
            f"budget of one output ({OUTPUT_BUDGET:,} characters)"
        )


__all__ = [
    "MAX_DELETED",
    "MAX_NOTES",
    "NOTE_CHARS",
    "OUTPUT_BUDGET",
    "estimate",
    "fallback_size",
    "fewer_details",
    "measure",
    "sendable",
]
