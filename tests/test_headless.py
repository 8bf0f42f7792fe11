"""Headless runs get ``%%redpill`` from one line of IPython configuration.

A course repository's CI executes notebooks with ``jupyter nbconvert --execute``,
papermill or a Sphinx / Jupyter Book build (myst-nb), none of which opens JupyterLab,
so the autoload of the labextension never runs there. One line loads the magic in
every kernel those tools start::

    c.InteractiveShellApp.extensions = ["redpill"]

in ``ipython_config.py`` of the kernel's IPython profile (here a temporary
``$IPYTHONDIR``), or the same on the kernel's command line, or lazily with
``c.MagicsManager.lazy_magics``. Every test runs the real tool on the tour notebook
through a real ipykernel and reads the notebook (or page) the tool wrote.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import MIME, ROOT

pytestmark = pytest.mark.headless

TOUR = ROOT / "examples" / "tour.ipynb"
BIN = Path(sys.executable).parent
#: The line a course repository adds to its kernels' IPython profile.
CONFIG_LINE = 'c.InteractiveShellApp.extensions = ["redpill"]'
#: The lazy alternative: the extension is imported when %%redpill is first used.
LAZY_LINE = 'c.MagicsManager.lazy_magics = {"redpill": "redpill"}'
#: Most seconds one tool may take on the tour (catches a hang, not a speed goal).
TIMEOUT = 600


def tool(name: str) -> str:
    """The path of a console script of this environment (jupyter, papermill, ...)."""
    path = BIN / name
    if not path.exists():
        found = shutil.which(name)
        assert found, f"{name} is not installed: pip install -e '.[test]'"
        return found
    return str(path)


def profile(tmp_path: Path, *lines: str) -> Path:
    """An IPYTHONDIR whose default profile's ipython_config.py holds `lines`."""
    ipython = tmp_path / "ipython"
    config = ipython / "profile_default"
    config.mkdir(parents=True)
    (config / "ipython_config.py").write_text(
        "c = get_config()  # noqa\n" + "\n".join(lines) + "\n"
    )
    return ipython


def tool_env(ipython: Path) -> dict[str, str]:
    """The environment of a run: this checkout's redpill, the given IPython profile dir."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["IPYTHONDIR"] = str(ipython)
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        args, env=env, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    assert result.returncode == 0, f"{args[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result


def redpill_cells(notebook: dict[str, Any]) -> list[dict[str, Any]]:
    cells = [
        c
        for c in notebook["cells"]
        if c["cell_type"] == "code" and "".join(c["source"]).startswith("%%redpill")
    ]
    assert len(cells) >= 5, "the tour has five %%redpill cells"
    return cells


def assert_drawn_everywhere(notebook: dict[str, Any], validate: Any) -> None:
    """Every %%redpill cell of the executed notebook holds a valid payload, its text/html
    and text/plain, and no cell failed."""
    for cell in notebook["cells"]:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", out
    for cell in redpill_cells(notebook):
        bundles = [o for o in cell["outputs"] if o["output_type"] == "display_data"]
        assert len(bundles) == 1, cell
        data = bundles[0]["data"]
        validate(data[MIME])
        html = "".join(data["text/html"])
        assert "redpill-fallback" in html
        assert data["text/plain"]


def copy_tour(tmp_path: Path) -> Path:
    work = tmp_path / "book"
    work.mkdir()
    shutil.copy(TOUR, work / "tour.ipynb")
    return work


def nbconvert_execute(work: Path, env: dict[str, str], *extra: str) -> dict[str, Any]:
    run(
        [
            tool("jupyter"),
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--output",
            "executed.ipynb",
            *extra,
            "tour.ipynb",
        ],
        env,
        work,
    )
    return json.loads((work / "executed.ipynb").read_text())


def test_without_the_line_headless_runs_have_no_magic(tmp_path: Path) -> None:
    """The baseline the configuration line fixes: a fresh profile has no %%redpill (the
    run fails; with --allow-errors each cell says why)."""
    work = copy_tour(tmp_path)
    notebook = nbconvert_execute(work, tool_env(profile(tmp_path)), "--allow-errors")
    for cell in redpill_cells(notebook):
        text = "".join("".join(o.get("text", "")) for o in cell["outputs"])
        assert "Cell magic `%%redpill` not found" in text, cell["outputs"]
        assert not any(MIME in o.get("data", {}) for o in cell["outputs"])


def test_nbconvert_execute_with_the_profile_line(tmp_path: Path, validate: Any) -> None:
    work = copy_tour(tmp_path)
    notebook = nbconvert_execute(work, tool_env(profile(tmp_path, CONFIG_LINE)))
    assert_drawn_everywhere(notebook, validate)


def test_nbconvert_execute_with_the_line_on_the_kernel_command_line(
    tmp_path: Path, validate: Any
) -> None:
    """No file at all: the same setting passed to the kernel nbconvert starts."""
    work = copy_tour(tmp_path)
    notebook = nbconvert_execute(
        work,
        tool_env(profile(tmp_path)),
        "--ExecutePreprocessor.extra_arguments=--InteractiveShellApp.extensions=redpill",
    )
    assert_drawn_everywhere(notebook, validate)


def test_nbconvert_execute_with_lazy_magics(tmp_path: Path, validate: Any) -> None:
    work = copy_tour(tmp_path)
    notebook = nbconvert_execute(work, tool_env(profile(tmp_path, LAZY_LINE)))
    assert_drawn_everywhere(notebook, validate)


def test_papermill_with_the_profile_line(tmp_path: Path, validate: Any) -> None:
    work = copy_tour(tmp_path)
    run(
        [tool("papermill"), "--no-progress-bar", "tour.ipynb", "executed.ipynb"],
        tool_env(profile(tmp_path, CONFIG_LINE)),
        work,
    )
    notebook = json.loads((work / "executed.ipynb").read_text())
    assert not notebook["metadata"]["papermill"]["exception"]
    assert_drawn_everywhere(notebook, validate)


#: The course site's Sphinx project (conf.py, index.md), shared with the Chromium suite.
SPHINX = ROOT / "ui-tests" / "frontends" / "sphinx"
#: The profile the Chromium suite's Sphinx build and Voila servers use.
PROFILE = ROOT / "ui-tests" / "frontends" / "ipython" / "profile_default" / "ipython_config.py"


def test_the_committed_profile_is_the_one_line() -> None:
    lines = [
        line
        for line in PROFILE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[-1] == CONFIG_LINE


def sphinx_project(work: Path) -> None:
    for name in ("conf.py", "index.md"):
        shutil.copy(SPHINX / name, work / name)


def sphinx_build(work: Path, env: dict[str, str]) -> Path:
    sphinx_project(work)
    out = work / "_build" / "html"
    run([tool("sphinx-build"), "-b", "html", "-q", "-W", str(work), str(out)], env, work)
    return out


def test_sphinx_myst_nb_build_with_the_profile_line(tmp_path: Path) -> None:
    """myst-nb executes the tour while building (as Jupyter Book does) and puts each
    output's text/html into the page: the custom MIME type has no place there."""
    work = copy_tour(tmp_path)
    page = (sphinx_build(work, tool_env(profile(tmp_path, CONFIG_LINE))) / "tour.html").read_text()
    assert "UsageError" not in page
    assert page.count('class="redpill-fallback') >= 5
    assert MIME not in page


def test_sphinx_myst_nb_build_without_the_line_fails_clearly(tmp_path: Path) -> None:
    """Without the line the build stops (myst-nb's execution error names the notebook;
    the cell's UsageError is in the traceback file Sphinx saves): no site is published
    with tables where the diagrams should be."""
    work = copy_tour(tmp_path)
    sphinx_project(work)
    result = subprocess.run(
        [tool("sphinx-build"), "-b", "html", "-q", str(work), str(work / "_build")],
        env=tool_env(profile(tmp_path)),
        cwd=work,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode != 0
    assert "ExecutionError" in result.stderr and "tour.ipynb" in result.stderr
    assert not (work / "_build" / "tour.html").exists()
