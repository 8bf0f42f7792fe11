"""The package surface: entry points, no IPython import, a clear refusal on old Pythons."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import redpill

ROOT = Path(__file__).resolve().parents[1]


def old_python() -> str | None:
    """A CPython older than 3.11, found on PATH (``python3.10`` …) or in pyenv's root.

    pyenv's root is ``$PYENV_ROOT`` or ``~/.pyenv``; each candidate is run once, so
    a pyenv shim of a version that is not installed is passed over.
    """
    candidates = [shutil.which(f"python3.{minor}") for minor in (10, 9, 8)]
    pyenv_root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    candidates += [str(p) for p in sorted((pyenv_root / "versions").glob("3.*/bin/python"))]
    check = "import sys; print(sys.implementation.name, sys.version_info < (3, 11))"
    for candidate in candidates:
        if not candidate:
            continue
        try:
            out = subprocess.run(
                [candidate, "-c", check], capture_output=True, text=True, timeout=30
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out.returncode == 0 and out.stdout.split() == ["cpython", "True"]:
            return candidate
    return None


OLD_PYTHON = old_python()


def test_surface() -> None:
    # One version, package.json's (hatch-nodejs-version puts it in the wheel).
    package = json.loads((ROOT / "package.json").read_text())
    assert redpill.__version__ == package["version"]
    assert redpill._jupyter_labextension_paths() == [
        {"src": "labextension", "dest": "jupyterlab-redpill"}
    ]
    assert callable(redpill.load_ipython_extension)
    assert callable(redpill.unload_ipython_extension)
    assert callable(redpill.inspect) and callable(redpill.snapshot)


@pytest.mark.skipif(
    sys.platform == "emscripten", reason="Pyodide (Emscripten) cannot start processes"
)
def test_import_does_not_import_ipython() -> None:
    code = "import sys, redpill; redpill.inspect([1]); print('IPython' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "False"


@pytest.mark.skipif(
    OLD_PYTHON is None,
    reason="no CPython older than 3.11 on PATH (python3.10, 3.9, 3.8) or in pyenv's root "
    "($PYENV_ROOT or ~/.pyenv); install one (e.g. `pyenv install 3.10`) to run this test",
)
def test_old_python_gets_a_clear_error() -> None:
    assert OLD_PYTHON is not None
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [OLD_PYTHON, "-c", "import redpill"], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert out.returncode == 1
    assert "ImportError: redpill needs CPython 3.11 or newer" in out.stderr
