"""The renderer's --steps fixtures are what the kernel records.

``src/__tests__/fixtures/steps-{frames,generator,exception,loop}.json`` were recorded
from a real kernel and drive the renderer's jest tests
(``src/__tests__/frames.spec.ts``, ``steps.spec.ts``), written as the kernel sends them:
the loop's stored versions as differences, and each step's unchanged objects and frames
as indices into the step before. Here each fixture's cell runs again in a
real kernel: the steps must have the same shape (events, lines, frames with
their calls, functions, lines, local names, return values and states, stdout,
exceptions), so the jest tests never drift from what the kernel sends.
Addresses and refcounts differ between runs and are not compared.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import Kernel

from redpill.compact import expand

FIXTURES = Path(__file__).parent.parent / "src" / "__tests__" / "fixtures"
NAMES = [
    "steps-frames.json",
    "steps-generator.json",
    "steps-exception.json",
    "steps-loop.json",
]


def shape(payload: dict[str, Any]) -> list[Any]:
    """What a step shows, without addresses or refcounts."""
    return [
        (
            step.get("event"),
            step["lines"],
            [n["name"] for n in step["names"]],
            [
                (
                    f["call"],
                    f["function"],
                    f["line"],
                    [n["name"] for n in f["names"]],
                    "return" in f,
                    f.get("state"),
                )
                for f in step.get("frames", [])
            ],
            step.get("stdout"),
            step.get("exception"),
        )
        for step in payload["steps"]
    ]


@pytest.mark.kernel
@pytest.mark.parametrize("name", NAMES)
def test_the_fixture_is_what_the_kernel_records(kernel: Kernel, validate: Any, name: str) -> None:
    fixture = json.loads((FIXTURES / name).read_text())
    recorded = ".".join(fixture["interpreter"]["version"].split(".")[:2])
    if recorded != f"{sys.version_info.major}.{sys.version_info.minor}":
        pytest.skip(f"recorded on Python {recorded}")
    validate(fixture)
    run = kernel.ok(fixture["source"])
    (sent,) = run.sent_payloads
    validate(sent)
    payload = validate(run.payload)
    assert shape(payload) == shape(expand(fixture))
    assert payload["step_counts"] == fixture["step_counts"]
    # written as the kernel sends them: unchanged items of a step as indices
    for p in (sent, fixture):
        assert any(type(x) is int for step in p["steps"][1:] for x in step["objects"])
    if name == "steps-frames.json":  # the frames waiting for an inner call, too
        for p in (sent, fixture):
            assert any(type(x) is int for step in p["steps"] for x in step.get("frames", []))
    if name == "steps-loop.json":  # its ints are sent as differences, in both
        for p in (sent, fixture):
            assert sum("like" in e for e in p["step_objects"]) >= 5
