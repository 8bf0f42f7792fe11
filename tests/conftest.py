"""Shared pytest setup: the payload schema and real ipykernels.

The markers (``kernel``, ``packaging``, ``nbgrader``) are declared once, in
pyproject.toml's ``[tool.pytest.ini_options]``.

The kernel's interpreter is ``$REDPILL_KERNEL_PYTHON`` if set, else the one running
pytest; PYTHONPATH is set to the repository root, so the kernel imports this
checkout's ``redpill`` whether or not it is pip-installed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_PATH = ROOT / "schema" / "payload.v1.json"
MIME = "application/vnd.redpill.v1+json"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


def fields_disagreeing_with_memory(payload: dict[str, Any]) -> list[str]:
    """The C fields whose value is not what the object's memory view shows at their offset
    (both are read from one snapshot of the object: they must agree).  Only raw integer
    and pointer fields inside the bytes shown are compared (a ``state`` word has its
    padding masked, text and floats are decoded)."""
    bad = []
    for o in [*payload.get("objects", []), *payload.get("step_objects", [])]:
        memory = o.get("memory")
        if not isinstance(memory, dict) or memory.get("address") != o.get("address"):
            continue
        data = bytes.fromhex(memory["hex"]) if "?" not in memory["hex"] else b""
        for f in o.get("fields", []):
            value, off, size = f.get("value"), f.get("offset"), f.get("size")
            if f.get("name") == "state" or size not in (1, 2, 4, 8) or off is None or off < 0:
                continue
            if off + size > len(data):
                continue
            if isinstance(value, str) and value.startswith("0x"):
                expected = int(value, 16)
            elif isinstance(value, int) and not isinstance(value, bool):
                expected = value
            else:
                continue
            raw = data[off : off + size]
            got = {int.from_bytes(raw, "little"), int.from_bytes(raw, "little", signed=True)}
            if expected not in got:
                bad.append(f"{o['address']} {f['name']}: field {value}, memory {raw.hex()}")
    return bad


@pytest.fixture(scope="session")
def validate(schema: dict[str, Any]) -> Any:
    """Validate a payload against schema/payload.v1.json (jsonschema; fastjsonschema where
    jsonschema cannot be installed, e.g. free-threaded 3.13t without rpds-py wheels)."""
    try:
        import jsonschema
    except ImportError:
        fastjsonschema = pytest.importorskip("fastjsonschema")
        fast = fastjsonschema.compile(schema)

        def check_fast(payload: dict[str, Any]) -> dict[str, Any]:
            fast(payload)
            assert not fields_disagreeing_with_memory(payload)
            return payload

        return check_fast
    validator = jsonschema.Draft7Validator(schema)

    def check(payload: dict[str, Any]) -> dict[str, Any]:
        errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
        disagree = fields_disagreeing_with_memory(payload)
        assert not disagree, "fields and memory disagree: " + "; ".join(disagree[:5])
        return payload

    return check


from helpers import Kernel, start_kernel, stop_kernel  # noqa: E402


@pytest.fixture(scope="module")
def kernel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kernel]:
    """One kernel per test module, with ``%load_ext redpill`` done."""
    k = start_kernel(tmp_path_factory.mktemp("kernel"))
    try:
        k.ok("%load_ext redpill")
        yield k
    finally:
        stop_kernel(k)


@pytest.fixture()
def fresh_kernel(tmp_path: Path) -> Iterator[Kernel]:
    """A kernel of its own for one test (no extension loaded)."""
    k = start_kernel(tmp_path)
    try:
        yield k
    finally:
        stop_kernel(k)
