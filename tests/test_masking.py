"""The kernel's fallbacks hide what a quiz or ``--hide`` hides, as the renderer does.

``tests/fixtures/masking.json`` is shared with the renderer's jest test
(``src/__tests__/masking.spec.ts``): both ``mask()`` and ``maskPayload()`` must
leave nothing of a hidden value in what they show.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from redpill.fallbacks import mask, to_html, to_text

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = json.loads((ROOT / "tests" / "fixtures" / "masking.json").read_text())
PAYLOAD = json.loads((ROOT / FIXTURE["payload_file"]).read_text())


def shown_problems(
    case: dict[str, Any], payload: dict[str, Any], masked: dict[str, Any]
) -> list[str]:
    """What ``masked`` still shows of the values ``case`` hides (empty: nothing)."""
    problems = []
    for o in masked["objects"]:
        for key, value in case.get("objects", {}).items():
            if o.get(key) != value:
                problems.append(f"{key} of an object is {o.get(key)!r}")
        for key in case.get("absent", []):
            if key in o:
                problems.append(f"an object keeps {key}")
        for f in o.get("fields", []):
            if f["name"] in case.get("fields", []) and f.get("value") != "?":
                problems.append(f"field {f['name']} shows {f.get('value')!r}")
        if case.get("not_immortal") and o.get("immortal") is True:
            problems.append("an object says it is immortal")
    if case.get("no_addresses"):
        text = json.dumps(masked).lower()
        problems += [f"{o['address']} appears" for o in payload["objects"] if o["address"] in text]
    return problems


@pytest.mark.parametrize("case", FIXTURE["cases"], ids=lambda c: "+".join(c["hidden"]))
def test_mask_follows_the_shared_fixture(case: dict[str, Any]) -> None:
    payload = {**PAYLOAD, "hidden_fields": case["hidden"]}
    masked = mask(payload)
    assert shown_problems(case, payload, masked) == []
    # and what the fallbacks print from it
    if case.get("no_addresses"):
        text = (to_text(masked) + to_html(masked)).lower()
        assert [o["address"] for o in payload["objects"] if o["address"] in text] == []


def test_the_fixture_would_catch_an_unmasked_payload() -> None:
    for case in FIXTURE["cases"]:
        assert shown_problems(case, PAYLOAD, PAYLOAD), case["hidden"]
