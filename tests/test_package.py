"""The package surface: entry points, no IPython import, a clear refusal on old Pythons."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import redpill

ROOT = Path(__file__).resolve().parents[1]
PY310 = Path("/root/.pyenv/versions/3.10.13/bin/python")


def test_surface() -> None:
    assert redpill.__version__ == "0.1.0"
    assert redpill._jupyter_labextension_paths() == [
        {"src": "labextension", "dest": "jupyterlab-redpill"}
    ]
    assert callable(redpill.load_ipython_extension)
    assert callable(redpill.unload_ipython_extension)
    assert callable(redpill.inspect) and callable(redpill.snapshot)


def test_import_does_not_import_ipython() -> None:
    code = "import sys, redpill; redpill.inspect([1]); print('IPython' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "False"


@pytest.mark.skipif(not PY310.exists(), reason="no CPython 3.10 on this machine")
def test_python_310_gets_a_clear_error() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [str(PY310), "-c", "import redpill"], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert out.returncode == 1
    assert "ImportError: redpill needs CPython 3.11 or newer" in out.stderr
