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
import marshal
from collections.abc import Mapping
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
#: UTF-8 bytes of one display bundle at most (the JSON payload and both fallbacks).
OUTPUT_BUDGET = 950_000
#: A JSON string is at most this many times longer than the text (``\\u0000``).
_JSON_GROWTH = 6


def _plain(s: object, cap: int) -> bool:
    """Whether ``s`` is a str that needs no change (short and ASCII: the common case)."""
    return type(s) is str and len(s) <= cap and s.isascii()


def _name(x: object) -> object:
    if type(x) is not str or _plain(x, NAME_CHARS):
        return x
    return shown(x, NAME_CHARS)


def _text(x: object) -> object:
    if type(x) is not str or _plain(x, TEXT_CHARS):
        return x
    return shown(x, TEXT_CHARS)


def _notes(notes: object, cut: list[int]) -> list[str]:
    """Notes sendable and cut; counts those left out in ``cut``."""
    if not isinstance(notes, list):
        return []
    if len(notes) > MAX_NOTES:
        cut.append(len(notes) - MAX_NOTES)
        notes = notes[:MAX_NOTES]
    return [n if _plain(n, NOTE_CHARS) else shown(str(n), NOTE_CHARS) for n in notes]


def _bindings(bindings: object) -> None:
    if isinstance(bindings, list):
        for b in bindings:
            n = b.get("name")
            if not _plain(n, NAME_CHARS):
                b["name"] = _name(n)


def _holders(entries: object) -> None:
    if isinstance(entries, list):
        for e in entries:
            for h in e.get("holders") or ():
                n = h.get("name")
                if n is not None and not _plain(n, NAME_CHARS):
                    h["name"] = _name(n)


def _deleted(names: object, cut: list[int]) -> list[object]:
    if not isinstance(names, list):
        return []
    if len(names) > MAX_DELETED:
        cut.append(len(names) - MAX_DELETED)
        names = names[:MAX_DELETED]
    return [n if _plain(n, NAME_CHARS) else _name(n) for n in names]


def _step(step: dict[str, Any]) -> None:
    cut: list[int] = []
    _bindings(step.get("names"))
    step["deleted"] = _deleted(step.get("deleted"), cut)
    _holders(step.get("objects"))
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


def sendable(payload: dict[str, Any]) -> dict[str, Any]:
    """Make the strings the payload's assembly carried through sendable and cut, and
    cap the lists of names and notes (in place; returns ``payload``)."""
    cut: list[int] = []
    _bindings(payload.get("names"))
    payload["deleted"] = _deleted(payload.get("deleted"), cut)
    deleted_cut = sum(cut)
    _holders(payload.get("objects"))
    _holders(payload.get("step_objects"))
    for step in payload.get("steps") or ():
        _step(step)
    for q in payload.get("quiz") or ():
        _question(q)
    diff = payload.get("diff")
    if isinstance(diff, dict):
        _bindings(diff.get("names"))
        if "notes" in diff:
            diff["notes"] = _notes(diff["notes"], [])
    if "error" in payload:
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


def upper_bound(payload: Mapping[str, Any], room: int = OUTPUT_BUDGET) -> int | None:
    """An upper bound of the UTF-8 bytes of ``payload`` as JSON, found cheaply: its
    ``marshal`` form (C code, several times faster than encoding JSON; version 2, which
    writes a repeated object each time, as JSON does) is at most :data:`_JSON_GROWTH`
    times smaller, since no value grows more than that from its marshal bytes to JSON
    (a control character's ``\\u0000`` escape, ``null`` in a list).  The parts that
    redpill generates itself (:func:`_generated`: hex dumps, addresses, the C story)
    hold no control character and no list of singletons, and grow at most
    :data:`_GENERATED_GROWTH` times; they are only looked at when the plain bound is
    over ``room`` (the bytes the payload may take).  None if marshal cannot read it."""
    try:
        total = len(marshal.dumps(payload, 2))
        if _JSON_GROWTH * total + 100 <= room:
            return _JSON_GROWTH * total + 100  # within the room: no need to look closer
        own = len(marshal.dumps(_generated(payload), 2)) - 5  # without the list around them
    except ValueError:
        return None
    return _JSON_GROWTH * max(0, total - own) + _GENERATED_GROWTH * own + 100


#: JSON from marshal, for data without control characters or lists of singletons: a small
#: int in a dict (5 bytes) becomes at most 11 digits and ", "; a quote or a newline, 2.
_GENERATED_GROWTH = 3


def _generated(payload: Mapping[str, Any]) -> list[object]:
    """The parts of ``payload`` that only redpill's own code wrote (no user text): each
    object's memory block and C story, and the C story's shared tables."""
    out: list[object] = [
        part for part in (payload.get("births"), payload.get("declarations")) if part is not None
    ]
    builtin = _BUILTIN_TYPES
    for e in payload.get("objects") or ():
        if type(e) is dict:
            for key in _GENERATED_KEYS:
                part = e.get(key)
                if part is not None:
                    out.append(part)
            # the C fields of an object of an exact builtin type: names from the struct
            # tables, notes made of numbers and builtin names (no attribute of the user's)
            if e.get("type_address") in builtin and "fields" in e:
                out.append(e["fields"])
    return out


#: Object keys whose values only redpill's code writes.
_GENERATED_KEYS = ("memory", "allocation")
#: The addresses of the builtin types whose C fields hold no user text (a str's hold its
#: characters).
_BUILTIN_TYPES = frozenset(
    hex(id(t)) for t in (int, bool, float, bytes, list, tuple, dict, set, frozenset, type(None))
)


def _bytes(x: object) -> int:
    if not isinstance(x, str):
        return 0
    return len(x) if x.isascii() else len(x.encode("utf-8", "surrogatepass"))


def measure(bundle: Mapping[str, Any], mime: str) -> int:
    """The UTF-8 bytes of a display bundle, exactly (the payload encoded, the fallbacks)."""
    n = 0
    for key, value in bundle.items():
        if key == mime:
            n += _bytes(json.dumps(value, ensure_ascii=False, default=str))
        else:
            n += _bytes(value)
    return n


def fallback_size(bundle: Mapping[str, Any], mime: str) -> int:
    """UTF-8 bytes of the bundle's text representations."""
    return sum(_bytes(v) for k, v in bundle.items() if k != mime)


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
            f"budget of one output ({OUTPUT_BUDGET:,} bytes)"
        )


__all__ = [
    "MAX_DELETED",
    "MAX_NOTES",
    "NOTE_CHARS",
    "OUTPUT_BUDGET",
    "fallback_size",
    "fewer_details",
    "measure",
    "sendable",
    "upper_bound",
]
