"""``--steps`` as sent: each stored version written as its difference from an earlier one
of the same shape (``step_objects[].like``, in ``schema/payload.v1.json``), and each item
of a step's objects and frames that the step before it holds unchanged written as its index
there (``step_index``).

A loop that counts makes a new int at every step, and each is stored as a version of its
own: its type, its fields with their offsets, C types and notes, its allocation, birth and
declaration are those of the int before it; only its address, value, digits and bytes
differ.  Written out whole, 300 such versions are about 340 KB of JSON; as differences,
less than half of that.  The payload the collector builds keeps every entry whole (the
fallbacks, the quiz, ``--diff`` and the budget read it); only the copy that is sent is
written this way (:func:`compact_step_objects`), and the renderer completes each entry
from the one it names before drawing (``src/steps/model.ts``).

Between two steps most of what a step lists stays the same: the references to the objects
a loop does not touch, the frames of the calls that wait for an inner one.  Written out at
every step, the references alone would make a recursion's steps about 4 KB each (the steps'
size budget would end the recording of ``fact(30)`` after 82 of its 92 steps on 3.12); each
unchanged item is written as a number of a few digits instead (:func:`compact_steps`).

An entry is written as a difference only where completing it gives back the entry exactly:
the earlier entry has the same keys and the same fields (by name) in the same order.  A
difference holds whole values (a changed ``int`` or ``memory`` is written out, a changed
field too), so each of its values is what the schema describes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

#: Keys every entry keeps written out (the schema's required keys of an object, its
#: address and version): a completed entry reads the same, and an entry is still an object.
KEPT = ("address", "version", "type", "refcount", "immortal")
#: The largest index ``like`` may name (as the schema bounds it).
MAX_LIKE = 9999
#: How many recent whole entries of one shape an entry may be written against.
BASES = 4


def _shape(entry: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """What entries must share for one to be written as the other's difference: the type,
    the kind, the keys in order and the fields' names in order (each a ``str``, none twice);
    None where the fields could not be replaced by name."""
    fields = entry.get("fields")
    names: tuple[Any, ...] | None = None
    if fields is not None:
        if type(fields) is not list:
            return None
        names = tuple([f.get("name") if type(f) is dict else None for f in fields])
        if len(set(names)) != len(names) or not all(type(n) is str for n in names):
            return None
    shape = (entry.get("type"), entry.get("kind"), tuple(entry), names)
    try:
        hash(shape)
    except TypeError:  # a type or kind that is not a string
        return None
    return shape


def _difference(base: Mapping[str, Any], entry: Mapping[str, Any]) -> dict[str, Any]:
    # Two entries of one shape: the kept keys, and every other key whose value differs
    # (of fields, the fields that differ).
    out: dict[str, Any] = {k: entry[k] for k in KEPT if k in entry}
    for key, value in entry.items():
        if key not in out:
            old = base[key]
            if old != value:
                if key == "fields" and value is not None:
                    out[key] = [new for was, new in zip(old, value, strict=True) if was != new]
                else:
                    out[key] = value
    return out


def difference(base: Mapping[str, Any], entry: Mapping[str, Any]) -> dict[str, Any] | None:
    """``entry`` written as its difference from ``base`` (without ``like``), or None where
    completing it from ``base`` would not give ``entry`` back (another shape)."""
    shape = _shape(entry)
    if shape is None or _shape(base) != shape:
        return None
    return _difference(base, entry)


def _weight(written: Mapping[str, Any]) -> tuple[int, int]:
    # How much a difference holds: its fields, then its keys.
    fields = written.get("fields")
    return (len(fields) if isinstance(fields, list) else 0, len(written))


def compact_step_objects(entries: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """``step_objects`` as sent: an entry is written as its difference from one of the
    last :data:`BASES` whole entries of its shape (``like``: that entry's index), the one
    it differs from least, unless it differs less from the entry of its shape just before
    it (then it is sent whole, and later entries may differ from it); the others whole, as
    they are (the same objects, not copies)."""
    bases: dict[tuple[Any, ...], list[int]] = {}
    previous: dict[tuple[Any, ...], int] = {}
    out: list[Mapping[str, Any]] = []
    for index, entry in enumerate(entries):
        shape = _shape(entry)
        if shape is None:
            out.append(entry)
            continue
        best: dict[str, Any] | None = None
        for base in reversed(bases.get(shape, ())):  # the latest first
            written = _difference(entries[base], entry)
            if best is None or _weight(written) < _weight(best):
                written["like"] = base
                best = written
                if _weight(best)[0] <= 1:  # one field or none: no base can do much better
                    break
        last = previous.get(shape)
        previous[shape] = index
        if best is not None and _weight(best)[0] > 1 and last is not None and last != best["like"]:
            if _weight(_difference(entries[last], entry))[0] < _weight(best)[0]:
                best = None
        if best is None:
            out.append(entry)
            if index <= MAX_LIKE:
                ring = bases.setdefault(shape, [])
                ring.append(index)
                del ring[:-BASES]
        else:
            out.append(best)
    return out


def complete(base: Mapping[str, Any], written: Mapping[str, Any]) -> dict[str, Any]:
    """The entry ``written`` (with ``like``) stands for, completed from ``base`` (the entry
    it names): what the renderer does (``src/steps/model.ts``)."""
    out = dict(base)
    for key, value in written.items():
        if key == "like":
            continue
        old = base.get(key)
        if key == "fields" and isinstance(old, list) and isinstance(value, list):
            changed = {f.get("name"): f for f in value if isinstance(f, Mapping)}
            out[key] = [changed.get(f.get("name"), f) if isinstance(f, Mapping) else f for f in old]
        else:
            out[key] = value
    return out


def expand_step_objects(entries: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``step_objects`` as sent, with every entry whole again (raises ``ValueError`` for a
    ``like`` that names no earlier whole entry)."""
    out: list[dict[str, Any]] = []
    for index, entry in enumerate(entries):
        like = entry.get("like")
        if like is None:
            out.append(dict(entry))
            continue
        if (
            not isinstance(like, int)
            or isinstance(like, bool)
            or not 0 <= like < index
            or "like" in entries[like]
        ):
            raise ValueError(f"step_objects[{index}]: like {like!r} names no earlier whole entry")
        out.append(complete(entries[like], entry))
    return out


#: The lists of a step whose unchanged items are written as indices, and the key that tells
#: an item of the step before it that may be the same (an object's address, a frame's call).
STEP_LISTS = (("objects", "address"), ("frames", "call"))


def _indices(items: Sequence[Any], key: str) -> dict[object, int]:
    # The index of each item by its key (the first of a key listed twice), within MAX_LIKE.
    out: dict[object, int] = {}
    for i, item in enumerate(items[: MAX_LIKE + 1]):
        k = item.get(key) if type(item) is dict else None
        if k is not None and k not in out:
            out[k] = i
    return out


def step_written(previous: Mapping[str, Any] | None, step: Mapping[str, Any]) -> Mapping[str, Any]:
    """``step`` as sent after ``previous`` (the step before it, whole): each item of its
    objects and frames equal to the item of the same key in ``previous`` written as that
    item's index there; ``step`` itself where none is (or without a step before it)."""
    if previous is None:
        return step
    out: dict[str, Any] | None = None
    for name, key in STEP_LISTS:
        items, before = step.get(name), previous.get(name)
        if type(items) is not list or type(before) is not list or not before:
            continue
        where = _indices(before, key)
        written: list[Any] = []
        same = 0
        for item in items:
            i = where.get(item.get(key)) if type(item) is dict else None
            if i is not None and (before[i] is item or before[i] == item):
                written.append(i)
                same += 1
            else:
                written.append(item)
        if same:
            if out is None:
                out = dict(step)
            out[name] = written
    return step if out is None else out


def compact_steps(steps: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """``steps`` as sent: each after the first as :func:`step_written` writes it."""
    out: list[Mapping[str, Any]] = []
    previous: Mapping[str, Any] | None = None
    for step in steps:
        out.append(step_written(previous, step) if type(step) is dict else step)
        previous = step if type(step) is dict else None
    return out


def expand_steps(steps: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``steps`` as sent, each whole again: every index replaced by the item it names in
    the step before (raises ``ValueError`` for an index that names none)."""
    out: list[dict[str, Any]] = []
    for n, step in enumerate(steps):
        whole = dict(step)
        for name, _key in STEP_LISTS:
            items = step.get(name)
            if not isinstance(items, list):
                continue
            before = out[-1].get(name) if out else None
            filled = []
            for item in items:
                if isinstance(item, int) and not isinstance(item, bool):
                    if not isinstance(before, list) or not 0 <= item < len(before):
                        raise ValueError(f"steps[{n}].{name}: index {item} names no item before")
                    filled.append(before[item])
                else:
                    filled.append(item)
            whole[name] = filled
        out.append(whole)
    return out


def sent_chars(steps: Sequence[Mapping[str, Any]], entries: Sequence[Mapping[str, Any]]) -> int:
    """The characters of JSON that ``steps`` and their stored versions ``entries`` are sent
    as (what the steps' size budget measures)."""
    dump = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode
    return len(dump(compact_steps(steps))) + len(dump(compact_step_objects(entries)))


def expand(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A payload as sent, whole again: its steps and stored versions (what the renderer
    reads; for the tests)."""
    out = dict(payload)
    if isinstance(out.get("steps"), list):
        out["steps"] = expand_steps(out["steps"])
    if isinstance(out.get("step_objects"), list):
        out["step_objects"] = expand_step_objects(out["step_objects"])
    return out


def sent(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """The payload as it is sent: ``payload`` itself, or a shallow copy whose
    ``step_objects`` are written as differences wherever an earlier entry allows it and
    whose steps write each unchanged item as an index (:func:`compact_steps`)."""
    out: dict[str, Any] = {}
    entries = payload.get("step_objects")
    if isinstance(entries, list) and len(entries) >= 2:
        written = compact_step_objects(entries)
        if not all(a is b for a, b in zip(written, entries, strict=True)):
            out["step_objects"] = written
    steps = payload.get("steps")
    if isinstance(steps, list) and len(steps) >= 2:
        compact = compact_steps(steps)
        if not all(a is b for a, b in zip(compact, steps, strict=True)):
            out["steps"] = compact
    return {**payload, **out} if out else payload


__all__ = [
    "BASES",
    "KEPT",
    "MAX_LIKE",
    "STEP_LISTS",
    "compact_step_objects",
    "compact_steps",
    "complete",
    "difference",
    "expand",
    "expand_step_objects",
    "expand_steps",
    "sent",
    "sent_chars",
    "step_written",
]
