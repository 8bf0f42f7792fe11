"""``%%redpill --quiz FIELDS``: predict, then reveal (pure Python).

The payload's ``quiz`` key lists questions about the objects the cell's names
hold; each names the object (address and name), the field asked about, the
kind of input the renderer should offer, and the answer.  The renderer hides
the answers behind inputs; the text fallbacks never show an answer first
(:mod:`redpill.fallbacks`).  The notebook is the instructor's artefact, so the
answers being in the JSON is acceptable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

#: Most questions one cell asks.
MAX_QUESTIONS = 20

#: Field -> (input kind, what is asked).  Input kinds: integer, text, boolean, integer-list.
FIELDS: dict[str, tuple[str, str]] = {
    "refcount": ("integer", "What is the reference count of the object {name} names?"),
    "address": ("text", "At which address (hex, like id() would give) is the object {name} names?"),
    "type": ("text", "What is the type of the object {name} names?"),
    "size": ("integer", "How many bytes is the object {name} names (object.__sizeof__)?"),
    "immortal": ("boolean", "Is the object {name} names immortal?"),
    "digits": (
        "integer-list",
        "Which 30-bit digits (ob_digit, least significant first) does the int {name} store?",
    ),
    "ndigits": ("integer", "How many digits (ob_digit entries) does the int {name} use?"),
    "sign": ("integer", "What is the sign (-1, 0 or 1) of the int {name}?"),
    "small-int": ("boolean", "Is the int {name} shared from CPython's small-int cache?"),
    "length": ("integer", "How many items (or characters) does {name} hold?"),
    "allocated": ("integer", "How many item slots has the list {name} allocated?"),
    "same-object": ("boolean", "Are {name} and {other} the same object?"),
}

#: Accepted spellings.
ALIASES = {
    "same_object": "same-object",
    "sameobject": "same-object",
    "identity": "same-object",
    "small_int": "small-int",
    "small_int_cached": "small-int",
    "ob_digit": "digits",
    "ob_refcnt": "refcount",
    "id": "address",
    "len": "length",
}


def parse_fields(text: str | Iterable[str]) -> tuple[str, ...]:
    """``"refcount,address"`` -> ``("refcount", "address")``; raises ValueError on unknown."""
    parts = re.split(r"[,\s]+", text) if isinstance(text, str) else list(text)
    out: list[str] = []
    for p in parts:
        p = p.strip().lower()
        if not p or p == "none":
            continue
        p = ALIASES.get(p, p)
        if p not in FIELDS:
            raise ValueError(f"unknown quiz field {p!r}; choose from: {', '.join(sorted(FIELDS))}")
        if p not in out:
            out.append(p)
    return tuple(out)


def _answer(field: str, e: Mapping[str, Any]) -> Any:
    """The value of ``field`` for object entry ``e``; None when it does not apply."""
    kind = e.get("kind")
    i = e.get("int") if kind in ("int", "bool") else None
    if field == "refcount":
        return None if e.get("immortal") else e.get("refcount")
    if field == "address":
        return e.get("address")
    if field == "type":
        return e.get("type")
    if field == "size":
        return e.get("size")
    if field == "immortal":
        return bool(e.get("immortal"))
    if i is not None:
        if field == "digits":
            digits = i.get("digits")
            return list(digits) if len(digits) == i.get("ndigits") else None
        if field == "ndigits":
            return i.get("ndigits")
        if field == "sign":
            return i.get("sign")
        if field == "small-int":
            return bool(i.get("small_int_cached"))
    if field == "length":
        for block in ("str", "bytes"):
            if isinstance(e.get(block), Mapping):
                return e[block].get("length")
        if isinstance(e.get("dict"), Mapping):
            return e["dict"].get("used")
        return e.get("items_total")
    if field == "allocated" and isinstance(e.get("list"), Mapping):
        return e["list"].get("allocated")
    return None


def questions(
    payload: Mapping[str, Any], fields: Iterable[str], max_questions: int = MAX_QUESTIONS
) -> tuple[list[dict[str, Any]], int]:
    """The ``quiz`` questions for ``payload``'s names, and how many were left out (cap).

    One question per object and field (the first name that holds the object is
    the one asked about); ``same-object`` asks about every pair of names.
    """
    objects = {o["address"]: o for o in payload.get("objects", [])}
    bindings = [b for b in payload.get("names", []) if b.get("object") in objects]
    out: list[dict[str, Any]] = []
    dropped = 0

    def add(q: dict[str, Any]) -> None:
        nonlocal dropped
        if len(out) >= max_questions:
            dropped += 1
            return
        q["id"] = f"q{len(out) + 1}"
        out.append(q)

    for f in fields:
        kind, prompt = FIELDS[f]
        if f == "same-object":
            for k, a in enumerate(bindings):
                for b in bindings[k + 1 :]:
                    add(
                        {
                            "field": f,
                            "name": a["name"],
                            "object": a["object"],
                            "other": b["name"],
                            "other_object": b["object"],
                            "input": kind,
                            "prompt": prompt.format(name=a["name"], other=b["name"]),
                            "answer": a["object"] == b["object"],
                        }
                    )
            continue
        asked: set[str] = set()
        for b in bindings:
            addr = b["object"]
            if addr in asked:
                continue
            answer = _answer(f, objects[addr])
            if answer is None:
                continue
            asked.add(addr)
            add(
                {
                    "field": f,
                    "name": b["name"],
                    "object": addr,
                    "input": kind,
                    "prompt": prompt.format(name=b["name"], other=""),
                    "answer": answer,
                }
            )
    return out, dropped


def answer_text(q: Mapping[str, Any]) -> str:
    """An answer as a reader would write it."""
    a = q.get("answer")
    if isinstance(a, bool):
        return "yes" if a else "no"
    if isinstance(a, list):
        return "[" + ", ".join(str(x) for x in a) + "]"
    return str(a)


def frame_questions(
    payload: Mapping[str, Any], fields: Iterable[str], max_questions: int = MAX_QUESTIONS
) -> tuple[list[dict[str, Any]], int]:
    """``--steps`` line by line: questions about the locals of the calls active at the
    last step that has any (each names its frame's call number and the step), and how
    many were left out.  Their ids are renumbered by the caller."""
    steps = payload.get("steps") or []
    pick = next((k for k in range(len(steps) - 1, -1, -1) if steps[k].get("frames")), None)
    if pick is None:
        return [], 0
    st = steps[pick]
    table = {(o["address"], o.get("version", 0)): o for o in payload.get("step_objects", [])}
    objects = []
    for r in st.get("objects", []):
        base = table.get((r["address"], r.get("version", 0)))
        if base is not None:
            objects.append({**base, **{k: v for k, v in r.items() if k != "fields"}})
    wanted = [f for f in fields if f != "same-object"]
    out: list[dict[str, Any]] = []
    dropped = 0
    for frame in reversed(st["frames"]):  # the innermost call first
        qs, d = questions(
            {"objects": objects, "names": frame.get("names", [])}, wanted, max_questions
        )
        dropped += d
        for q in qs:
            if len(out) >= max_questions:
                dropped += 1
                continue
            q["frame"] = frame["call"]
            q["step"] = pick
            q["prompt"] = (
                f"At step {pick + 1}, in the call of {frame['function']} "
                f"(frame {frame['call']}): {q['prompt']}"
            )
            out.append(q)
    return out, dropped
