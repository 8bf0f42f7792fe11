"""The wheel is what users install: it must carry the prebuilt labextension
(no Node.js on their side), and a fresh environment must list it as enabled."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARE = "jupyterlab_redpill-{version}.data/data/share/jupyter/labextensions/jupyterlab-redpill/"

pytestmark = pytest.mark.packaging


def _version() -> str:
    return json.loads((ROOT / "package.json").read_text())["version"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (ROOT / "redpill" / "labextension" / "package.json").exists():
        pytest.fail("the labextension is not built: run scripts/setup.sh (npm run build:prod)")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            out,
            ROOT,
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("jupyterlab_redpill-*.whl")
    return built


def test_wheel_carries_the_prebuilt_labextension(wheel: Path) -> None:
    share = SHARE.format(version=_version())
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        package = json.loads(zf.read(share + "package.json"))
        install = json.loads(zf.read(share + "install.json"))
    assert package["name"] == "jupyterlab-redpill"
    build = package["jupyterlab"]["_build"]
    assert build["load"].startswith("static/remoteEntry.")
    assert share + build["load"] in names
    assert build["extension"] == "./extension"
    assert build["mimeExtension"] == "./mimeExtension"
    assert share + "schemas/jupyterlab-redpill/plugin.json" in names
    # The payload contract is not a settings schema: it must not reach the Settings Editor.
    assert not any(re.search(r"schemas/.*payload", n) for n in names)
    assert install["packageName"] == "jupyterlab-redpill"
    assert "redpill/__init__.py" in names
    # The live diagram's drawing code (built, git-ignored), read by redpill/live.py.
    assert {"redpill/live.py", "redpill/static/live.js", "redpill/static/live.pack"} <= names


def test_fresh_environment_lists_the_extension_enabled(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "jupyterlab==4.6.4", wheel],
        check=True,
        capture_output=True,
    )
    listing = subprocess.run(
        [env_dir / "bin" / "jupyter", "labextension", "list"],
        check=True,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "PYTHON"))},
    )
    text = listing.stdout + listing.stderr
    line = next((ln for ln in text.splitlines() if "jupyterlab-redpill" in ln), "")
    assert re.search(r"jupyterlab-redpill v\S+ .*enabled.*OK", line), text
    assert str(env_dir) in text  # found in the fresh environment, not elsewhere
    # The installed kernel side writes the live diagram from the wheel's own pack.
    probe = subprocess.run(
        [
            python,
            "-c",
            "import redpill, redpill.live as l; print(redpill.__file__); "
            "print(l.available()); print(l.live_html({'schema_version': 1}, 'T'))",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    where, available, html = probe.stdout.splitlines()
    assert where.startswith(str(env_dir)) and available == "True"
    assert "<!--redpill-code redpillLive_" in html and "<script>" in html
