"""The steps as sent (:mod:`redpill.compact`): each stored version written as its
difference from an earlier entry of its shape (``like``), each unchanged item of a step's
objects and frames as its index into the step before, all given back exactly when
completed, and the renderer's contract (the schema) holding for what a real kernel sends."""

from __future__ import annotations

import copy
import json
import sys
from typing import Any

import pytest
from helpers import Kernel

from redpill.compact import (
    compact_step_objects,
    compact_steps,
    difference,
    expand,
    expand_step_objects,
    expand_steps,
    sent,
)
from redpill.names import id_snapshot
from redpill.options import Options
from redpill.steps import StepRecorder, cell_statements, run_statements

LOOP = "s = 0\nfor i in range(40):\n    s += i * 1000\n"
CELLS = {
    "loop": LOOP,
    "list": (
        "a = []\nfor i in range(12):\n    a.append(i * 1000)\n    t = (i, str(i) * 3, 1.5 * i)\n"
    ),
    "calls": (
        "def fact(n):\n    box = [n]\n    if n <= 1:\n        return 1\n"
        "    return n * fact(n - 1)\nr = fact(5)\n"
    ),
    "mixed": "x = 10**40\nfor k in range(6):\n    x = x * 3 + k\n    y = {'k': k, 'x': [x]}\n",
}


def record(src: str) -> dict[str, Any]:
    ns: dict[str, Any] = {}
    rec = StepRecorder(id_snapshot(ns), Options(), source=src, transformed=src)
    run_statements(rec, cell_statements(src) or [], ns)
    return {"schema_version": 1, **rec.to_payload()}


def size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":")))


@pytest.mark.parametrize("name", sorted(CELLS))
def test_every_entry_comes_back_exactly(name: str) -> None:
    payload = record(CELLS[name])
    entries = payload["step_objects"]
    before = copy.deepcopy(entries)
    written = compact_step_objects(entries)
    assert entries == before  # the collector's entries are not changed
    assert expand_step_objects(written) == entries
    assert len(written) == len(entries)


def test_a_counting_loop_is_sent_in_a_fraction_of_its_size() -> None:
    payload = record(LOOP)
    written = compact_step_objects(payload["step_objects"])
    likes = [e for e in written if "like" in e]
    # one int whole, the others as differences from it (each naming a whole entry)
    assert len(likes) >= len(written) - 3
    assert all("like" not in written[e["like"]] for e in likes)
    assert size(written) < size(payload["step_objects"]) * 0.65
    # a difference keeps the address, the value and the bytes, and drops what is shared
    one = likes[-1]
    assert {"address", "type", "refcount", "immortal", "repr", "memory"} <= one.keys()
    assert "type_address" not in one and "declaration" not in one


def test_an_entry_of_another_shape_is_sent_whole() -> None:
    base = {
        "address": "0x10",
        "type": "int",
        "refcount": 1,
        "immortal": False,
        "int": {"value": "5", "digits": [5]},
        "fields": [{"name": "ob_refcnt", "value": 1, "note": "n"}],
    }
    fewer = copy.deepcopy(base)
    del fewer["int"]
    more = {**base, "repr": "5"}
    renamed = copy.deepcopy(base)
    renamed["fields"][0]["name"] = "ob_size"
    for entry in (fewer, more, renamed):
        assert difference(base, entry) is None
        assert compact_step_objects([base, entry])[1] is entry
    changed = copy.deepcopy(base)
    changed["int"]["value"] = "6"
    changed["fields"][0]["value"] = 2
    written = compact_step_objects([base, changed])[1]
    assert written == {
        "address": "0x10",
        "type": "int",
        "refcount": 1,
        "immortal": False,
        "int": {"value": "6", "digits": [5]},
        "fields": [{"name": "ob_refcnt", "value": 2, "note": "n"}],
        "like": 0,
    }
    assert expand_step_objects([base, written])[1] == changed


def test_a_like_naming_no_earlier_whole_entry_is_refused() -> None:
    base = {"address": "0x10", "type": "int", "refcount": 1, "immortal": False}
    for like in (1, 5, -1, True, "0"):
        with pytest.raises(ValueError):
            expand_step_objects([base, {**base, "like": like}])
    chained = [base, {**base, "like": 0}, {**base, "like": 1}]
    with pytest.raises(ValueError):
        expand_step_objects(chained)


def test_a_payload_without_steps_is_sent_as_it_is() -> None:
    payload = {"schema_version": 1, "objects": []}
    assert sent(payload) is payload


@pytest.mark.kernel
def test_the_kernel_sends_differences_the_schema_accepts(kernel: Kernel, validate: Any) -> None:
    out = kernel.ok("%%redpill --steps\n" + LOOP)
    (payload,) = out.sent_payloads
    validate(payload)
    entries = payload["step_objects"]
    assert sum("like" in e for e in entries) >= len(entries) - 3
    whole = expand_step_objects(entries)
    ints = [e for e in whole if e.get("kind") == "int"]
    assert len(ints) > 20
    for e in ints:
        # each completed int says its own value in its repr, its digits and its bytes
        assert e["int"]["value"] == e["repr"]
        digit = next((f for f in e["fields"] if f["name"] == "ob_digit[0]"), None)
        if digit is None:  # zero has no digit before 3.12
            continue
        assert (
            digit["value"]
            == int(e["repr"])
            == int.from_bytes(bytes.fromhex(e["memory"]["hex"])[-4:], "little")
        )
    assert compact_step_objects(whole) == entries


@pytest.mark.parametrize("name", sorted(CELLS))
def test_every_step_comes_back_exactly(name: str) -> None:
    steps = record(CELLS[name])["steps"]
    before = copy.deepcopy(steps)
    written = compact_steps(steps)
    assert steps == before  # the collector's steps are not changed
    assert expand_steps(written) == steps
    assert written[0] is steps[0]  # nothing before the first step


def test_unchanged_references_and_frames_are_sent_as_indices() -> None:
    steps = record(CELLS["calls"])["steps"]
    written = compact_steps(steps)
    indices = {
        key: sum(type(x) is int for s in written for x in s.get(key, ()))
        for key in ("objects", "frames")
    }
    assert indices["objects"] > 20 and indices["frames"] > 5
    for before, step, sent_step in zip(steps, steps[1:], written[1:], strict=False):
        for key in ("objects", "frames"):
            for item, whole in zip(sent_step.get(key, ()), step.get(key, ()), strict=True):
                if type(item) is int:  # the same item, found by its address or call
                    assert before[key][item] == whole
                else:
                    assert item is whole
    assert size(written) < size(steps) * 0.8


def test_an_index_naming_nothing_before_is_refused() -> None:
    ref = {"address": "0x10", "version": 0, "refcount": 1, "holders": []}
    for first, index in (([ref], 1), ([ref], -1), ([], 0)):
        with pytest.raises(ValueError):
            expand_steps([{"objects": first}, {"objects": [index]}])
    with pytest.raises(ValueError):  # the first step has no step before it
        expand_steps([{"objects": [0]}])
    # True is not an index (JSON's true)
    assert expand_steps([{"objects": [ref]}, {"objects": [True]}])[1]["objects"] == [True]


@pytest.mark.kernel
def test_a_recursion_is_recorded_to_its_end_within_the_size_budget(
    kernel: Kernel, validate: Any
) -> None:
    # Written out whole, each step of fact(30) made about 5 KB and the steps' size budget
    # ended the recording after 82 steps (CPython 3.12); sent as indices, every step fits.
    src = (
        "def fact(n):\n    if n <= 1:\n        return 1\n    return n * fact(n - 1)\nx = fact(30)\n"
    )
    out = kernel.ok("%%redpill --steps\n" + src)
    (wire,) = out.sent_payloads
    validate(wire)
    payload = expand(wire)
    steps = payload["steps"]
    assert len(steps) == payload["step_counts"]["recorded"] > 60
    assert kernel.ok("print(x == 265252859812191058636308480000000)").stdout == "True\n"
    if sys.version_info < (3, 12):
        # 3.11's small ints are shared and mortal: the counts of n's values change at
        # every step, so their references are sent whole and the budget still ends it
        assert size(wire["steps"]) < size(steps) * 0.8
        return
    assert not any("size budget" in n for n in payload.get("notes", []))
    assert max(len(s.get("frames", [])) for s in steps) == 30
    assert [s.get("event") for s in steps].count("return") == 30
    assert any(b["name"] == "x" for b in steps[-1]["names"])
    assert size(wire["steps"]) < size(steps) * 0.4
