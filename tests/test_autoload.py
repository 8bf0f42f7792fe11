"""The front end's autoload code (src/autoload.ts) through real kernels: it loads only the
installed redpill, never a ``redpill.py`` / ``redpill/`` planted in the kernel's working
directory (the notebook's folder, first on ``sys.path``), binds no name, prints nothing and
is idempotent.

The code is read out of the TypeScript source, where it is one ``String.raw`` literal (a
jest test checks that this literal is exactly what the front end sends).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import ROOT, Kernel, start_kernel, stop_kernel

pytestmark = pytest.mark.kernel

AUTOLOAD_TS = ROOT / "src" / "autoload.ts"


def autoload_code() -> str:
    source = AUTOLOAD_TS.read_text(encoding="utf-8")
    match = re.search(r"export const AUTOLOAD_CODE = String\.raw`([^`]*)`;", source)
    assert match, "AUTOLOAD_CODE must be one String.raw literal in src/autoload.ts"
    code = match.group(1)
    assert "${" not in code
    return code


PLANTED = """
import builtins, pathlib
builtins.__redpill_planted__ = True
pathlib.Path({marker!r}).write_text("the planted module ran")

def load_ipython_extension(ipython):
    builtins.__redpill_planted_loaded__ = True
"""


def plant(folder: Path, as_package: bool) -> Path:
    """A module named redpill in ``folder`` that leaves a marker file when imported."""
    marker = folder / "planted-ran.txt"
    code = PLANTED.format(marker=str(marker))
    if as_package:
        (folder / "redpill").mkdir()
        (folder / "redpill" / "__init__.py").write_text(code)
    else:
        (folder / "redpill.py").write_text(code)
    return marker


def like_a_notebook_kernel(k: Kernel) -> None:
    """The test kernels get this checkout on PYTHONPATH, ahead of everything; a notebook's
    kernel has the working directory ('') ahead of the installed packages. Put the checkout
    where an installed package is: right after ''."""
    root = str(ROOT)
    k.ok(
        "import sys as _s\n"
        f"_s.path[:] = [p for p in _s.path if p != {root!r}]\n"
        f"_s.path.insert(_s.path.index('') + 1, {root!r})"
    )


def user_names(k: Kernel) -> list[str]:
    return k.value("sorted(k for k in get_ipython().user_ns if not k.startswith('_'))")


def autoload(k: Kernel) -> None:
    """Send the code the way the front end does (silent, no history)."""
    ex = k.execute(autoload_code(), silent=True, store_history=False)
    assert ex.status == "ok", ex.errors
    assert ex.stdout == "" and ex.stderr == "", (ex.stdout, ex.stderr)
    assert ex.errors == [] and ex.bundles == []


@pytest.fixture(params=["module", "package"])
def planted(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Kernel, Path]]:
    marker = plant(tmp_path, as_package=request.param == "package")
    k = start_kernel(tmp_path)
    try:
        like_a_notebook_kernel(k)
        yield k, marker
    finally:
        stop_kernel(k)


def test_a_planted_redpill_in_the_working_directory_never_runs(
    planted: tuple[Kernel, Path],
) -> None:
    k, marker = planted
    # The premise: a plain import in this kernel would pick the planted module first.
    origin = k.value("__import__('importlib.util').util.find_spec('redpill').origin")
    assert Path(origin).parent in (marker.parent, marker.parent / "redpill"), origin
    before = user_names(k)

    autoload(k)

    assert not marker.exists(), "the planted redpill module was imported"
    assert k.value("hasattr(__import__('builtins'), '__redpill_planted__')") is False
    loaded_from = Path(k.value("__import__('sys').modules['redpill'].__file__")).resolve()
    assert loaded_from == (ROOT / "redpill" / "__init__.py").resolve()
    assert k.value("'redpill' in get_ipython().extension_manager.loaded") is True
    assert user_names(k) == before
    # The installed package's magic works.
    ex = k.ok("%%redpill\nanswer = 1042")
    assert ex.payload["names"][0]["name"] == "answer"
    # Idempotent: once more changes nothing and says nothing.
    state = (
        "[sorted(get_ipython().extension_manager.loaded), id(__import__('sys').modules['redpill'])]"
    )
    loaded = k.value(state)
    autoload(k)
    assert not marker.exists()
    assert k.value(state) == loaded


def test_nothing_but_the_working_directory_offers_redpill(tmp_path: Path) -> None:
    """No installed redpill (only the planted one is reachable): nothing is loaded, nothing
    is printed, the planted module does not run."""
    marker = plant(tmp_path, as_package=False)
    k = start_kernel(tmp_path)
    try:
        # Hide every other place a redpill could come from (the checkout on PYTHONPATH and
        # site-packages), keeping the working directory entries, then autoload.
        k.ok(
            "import sys as _s, os as _o\n"
            "_s.path[:] = [p for p in _s.path if 'site-packages' not in p\n"
            f"    and _o.path.realpath(p or '.') != {str(ROOT.resolve())!r}]"
        )
        assert k.value("__import__('importlib.util').util.find_spec('redpill').origin").startswith(
            str(tmp_path)
        )
        before = user_names(k)
        autoload(k)
        assert not marker.exists()
        assert k.value("'redpill' in __import__('sys').modules") is False
        assert k.value("'redpill' in get_ipython().extension_manager.loaded") is False
        assert user_names(k) == before
    finally:
        stop_kernel(k)


def test_a_redpill_imported_from_elsewhere_is_left_alone(tmp_path: Path) -> None:
    """The user imported their own redpill.py before the autoload ran (the setting turned on
    later): the autoload neither replaces it nor calls its load hook."""
    marker = plant(tmp_path, as_package=False)
    k = start_kernel(tmp_path)
    try:
        like_a_notebook_kernel(k)
        k.ok("import redpill as _mine")
        assert marker.exists()
        autoload(k)
        assert k.value("hasattr(__import__('builtins'), '__redpill_planted_loaded__')") is False
        assert k.value("'redpill' in get_ipython().extension_manager.loaded") is False
        assert k.value("__import__('sys').modules['redpill'] is _mine") is True
    finally:
        stop_kernel(k)
