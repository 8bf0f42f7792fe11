"""The renderer's --steps fixtures are what the kernel records.

``src/__tests__/fixtures/steps-{frames,generator,exception,loop}.json`` were recorded
from a real kernel and drive the renderer's jest tests
(``src/__tests__/frames.spec.ts``, ``steps.spec.ts``; the loop's stored versions are
written as differences, as the kernel sends them). Here each fixture's cell runs again in a
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
    payload = validate(kernel.ok(fixture["source"]).payload)
    assert shape(payload) == shape(fixture)
    assert payload["step_counts"] == fixture["step_counts"]
    if name == "steps-loop.json":  # its ints are sent as differences, in both
        for p in (payload, fixture):
            assert sum("like" in e for e in p["step_objects"]) >= 5
