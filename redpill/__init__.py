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

if sys.version_info < (3, 11):  # noqa: UP036  # checked by the 3.10 test
    raise ImportError(
        "redpill needs CPython 3.11 or newer (this is Python "
        f"{sys.version_info.major}.{sys.version_info.minor}); "
        "its layout tables cover CPython 3.11-3.15."
    )

from typing import Any

from .api import ObjectView, Snapshot, inspect, snapshot

__version__ = "0.1.0"

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
