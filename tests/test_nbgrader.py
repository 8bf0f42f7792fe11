"""The nbgrader round trip: examples/assignment.ipynb is a real nbgrader assignment whose
autograded test cells assert with redpill's API; nbgrader's own ``generate_assignment``,
``autograde`` and ``export`` grade a correct and a wrong submission.

nbgrader brings JupyterLab extensions of its own, so it lives in a separate venv,
``build/nbgrader-venv`` (made once, then reused while it works: about 30 s the first
time).  Its kernels import this checkout's ``redpill`` through PYTHONPATH.

Only the main run (the interpreter of the repository's ``.venv``) makes that venv; the
version-matrix runs skip this module (set REDPILL_NBGRADER=1 to force it).
"""

from __future__ import annotations

import copy
import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.nbgrader

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = ROOT / "examples" / "assignment.ipynb"
VENV = ROOT / "build" / "nbgrader-venv"
NBGRADER = "nbgrader==0.9.6"
POINTS = {"q1_test": 1, "q2_test": 2, "q3_test": 2}


def _main_interpreter() -> bool:
    if os.environ.get("REDPILL_NBGRADER"):
        return True
    try:
        return Path(sys.prefix).resolve() == (ROOT / ".venv").resolve()
    except OSError:
        return False


def _venv_python() -> Path:
    return VENV / "bin" / "python"


def _venv_works() -> bool:
    py = _venv_python()
    if not py.exists():
        return False
    probe = subprocess.run(
        [str(py), "-c", "import nbgrader, ipykernel; print(nbgrader.__version__)"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return probe.returncode == 0 and probe.stdout.strip() == NBGRADER.split("==")[1]


def ensure_venv() -> Path:
    """build/nbgrader-venv with nbgrader and ipykernel (reused when it works)."""
    if _venv_works():
        return _venv_python()
    shutil.rmtree(VENV, ignore_errors=True)
    VENV.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, timeout=300)
    pip = subprocess.run(
        [str(_venv_python()), "-m", "pip", "install", "--quiet", NBGRADER, "ipykernel"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if pip.returncode != 0:
        shutil.rmtree(VENV, ignore_errors=True)
        pytest.fail(f"could not install {NBGRADER} into {VENV}:\n{pip.stderr[-3000:]}")
    assert _venv_works(), "nbgrader venv does not import nbgrader"
    return _venv_python()


@pytest.fixture(scope="module")
def nbgrader_python() -> Path:
    if not _main_interpreter():
        pytest.skip(
            "nbgrader's round trip runs once per test run, with the main .venv's Python "
            f"(its venv, {VENV}, is built from it); this is {sys.executable}"
        )
    return ensure_venv()


def _env(tmp: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("JUPYTER", "PYTHON", "VIRTUAL_ENV", "IPYTHON"))
    }
    env["PATH"] = f"{VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT)  # the kernels import this checkout's redpill
    env["JUPYTER_CONFIG_DIR"] = str(tmp / "jupyter-config")
    env["JUPYTER_DATA_DIR"] = str(tmp / "jupyter-data")
    env["JUPYTER_RUNTIME_DIR"] = str(tmp / "jupyter-runtime")
    env["IPYTHONDIR"] = str(tmp / "ipython")
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


def _nbgrader(py: Path, course: Path, env: dict[str, str], *args: str) -> str:
    run = subprocess.run(
        [str(py), "-m", "nbgrader", *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = run.stdout + run.stderr
    assert run.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{out[-5000:]}"
    return out


_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")


def _solution(source_cell: dict[str, Any]) -> str:
    lines = "".join(source_cell["source"]).splitlines()
    return "\n".join(line for line in lines if not _MARKER.match(line))


def _submission(release: dict[str, Any], source: dict[str, Any], wrong: dict[str, str]) -> Any:
    """The released notebook with every solution cell filled in from the source's solution
    (or the text in ``wrong``, by grade_id)."""
    by_id = {c["metadata"]["nbgrader"]["grade_id"]: c for c in source["cells"]}
    nb = copy.deepcopy(release)
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution"):
            gid = meta["grade_id"]
            cell["source"] = wrong.get(gid, _solution(by_id[gid]))
    return nb


def test_assignment_is_an_nbgrader_notebook() -> None:
    nb = json.loads(ASSIGNMENT.read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    graded = {}
    solutions = 0
    for cell in nb["cells"]:
        meta = cell["metadata"]["nbgrader"]
        assert meta["schema_version"] == 3
        assert {"grade", "grade_id", "locked", "solution"} <= set(meta)
        if meta["grade"]:
            graded[meta["grade_id"]] = meta["points"]
            assert meta["locked"] and "redpill." in "".join(cell["source"])
        if meta["solution"]:
            solutions += 1
            assert "### BEGIN SOLUTION" in "".join(cell["source"])
    assert graded == POINTS
    assert solutions == 3


def test_autograde_round_trip(nbgrader_python: Path, tmp_path: Path) -> None:
    course = tmp_path / "course"
    (course / "source" / "ps1").mkdir(parents=True)
    shutil.copy(ASSIGNMENT, course / "source" / "ps1" / "assignment.ipynb")
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.course_id = 'redpill'\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        "c.ExecutePreprocessor.timeout = 120\n"
    )
    env = _env(tmp_path)
    py = nbgrader_python
    _nbgrader(py, course, env, "generate_assignment", "ps1", "--force")
    release_path = course / "release" / "ps1" / "assignment.ipynb"
    release = json.loads(release_path.read_text())
    source = json.loads(ASSIGNMENT.read_text())
    released_text = json.dumps(release)
    assert "BEGIN SOLUTION" not in released_text and "k = n" not in released_text
    assert "YOUR CODE HERE" in released_text

    submissions = {
        "student1": {},  # every solution right
        "student2": {"q2_solution": 'n = int("5000")\nm = n'},  # refcount 2, not 3
    }
    for student, wrong in submissions.items():
        folder = course / "submitted" / student / "ps1"
        folder.mkdir(parents=True)
        (folder / "assignment.ipynb").write_text(
            json.dumps(_submission(release, source, wrong), indent=1)
        )
    _nbgrader(py, course, env, "autograde", "ps1", "--force")
    _nbgrader(py, course, env, "export", "--to", str(course / "grades.csv"))
    with (course / "grades.csv").open() as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    total = sum(POINTS.values())
    assert float(rows["student1"]["max_score"]) == total
    assert float(rows["student1"]["score"]) == total, rows["student1"]
    assert float(rows["student2"]["score"]) == total - POINTS["q2_test"], rows["student2"]

    # the failing test cell of the wrong submission says why, with redpill's numbers
    graded = json.loads(
        (course / "autograded" / "student2" / "ps1" / "assignment.ipynb").read_text()
    )
    (q2,) = [c for c in graded["cells"] if c["metadata"]["nbgrader"]["grade_id"] == "q2_test"]
    (err,) = [o for o in q2["outputs"] if o["output_type"] == "error"]
    assert err["ename"] == "AssertionError"
    assert "the int has 2 references, not 3" in err["evalue"]
    # the %%redpill cell ran inside nbgrader's kernel too (with its text fallback)
    (see,) = [c for c in graded["cells"] if c["metadata"]["nbgrader"]["grade_id"] == "see_code"]
    data = [o["data"] for o in see["outputs"] if o["output_type"] == "display_data"]
    assert data and "application/vnd.redpill.v1+json" in data[0]
    assert data[0]["application/vnd.redpill.v1+json"]["steps"]
