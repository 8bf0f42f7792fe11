"""jupyterlab-redpill: see what CPython really holds in memory.

``%load_ext redpill`` registers the ``%%redpill`` cell magic (see
:mod:`redpill.magic`).  The collector itself is pure Python and never imports
IPython; instructors can use it directly::

    import redpill
    view = redpill.inspect(obj)        # address, refcount, type, fields, internals
    snap = redpill.snapshot(a=x, b=y)  # several objects at once
    snap.same_object("a", "b")
"""

from __future__ import annotations

import sys

if sys.version_info < (3, 11):  # noqa: UP036  # checked by test_old_python_gets_a_clear_error
    raise ImportError(
        "redpill needs CPython 3.11 or newer (this is Python "
        f"{sys.version_info.major}.{sys.version_info.minor}); "
        "its layout tables cover CPython 3.11-3.15."
    )

from typing import Any

from .api import ObjectView, Snapshot, inspect, snapshot


def _package_version() -> str:
    """The installed package's version (package.json's, through the wheel's metadata).

    A source checkout used without installing (``PYTHONPATH=.``) has no
    metadata: its ``package.json`` tells the version instead.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jupyterlab-redpill")
    except PackageNotFoundError:
        import json
        from pathlib import Path

        package = Path(__file__).resolve().parent.parent / "package.json"
        try:
            return str(json.loads(package.read_text(encoding="utf-8"))["version"])
        except (OSError, ValueError, KeyError):
            return "0+unknown"


__version__ = _package_version()

__all__ = [
    "ObjectView",
    "Snapshot",
    "__version__",
    "inspect",
    "load_ipython_extension",
    "snapshot",
    "unload_ipython_extension",
]


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext redpill``: register ``%%redpill`` in this IPython shell."""
    from .magic import load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext redpill``: remove ``%%redpill`` and everything it wired into the shell."""
    from .magic import unload

    unload(ipython)


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyterlab-redpill"}]
