"""The kernel's fallbacks explain C fields as the renderer does.

``tests/fixtures/field-notes.json`` is shared with the renderer's jest test
(``src/__tests__/field-notes.spec.ts``): both ``field_note()`` and
``fieldNote()`` must give each case's note.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from redpill.fallbacks import field_note

CASES = json.loads((Path(__file__).parent / "fixtures" / "field-notes.json").read_text())["cases"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['field']['name']}={c['note']!r}")
def test_field_note_matches_the_shared_fixture(case: dict[str, Any]) -> None:
    assert field_note(case["field"], case["object"]) == case["note"]
