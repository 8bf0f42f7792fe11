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
            return payload

        return check_fast
    validator = jsonschema.Draft7Validator(schema)

    def check(payload: dict[str, Any]) -> dict[str, Any]:
        errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
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
