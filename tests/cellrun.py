"""Run the pure collector the way the magic does, on a plain dict namespace (no IPython)."""

from __future__ import annotations

import sys
from typing import Any

from redpill.cell import before_cell, collect
from redpill.options import Options


def run_cell(ns: dict[str, Any], src: str, **opts: Any) -> dict[str, Any]:
    """exec ``src`` in ``ns`` between the two halves of the collector; returns the payload."""
    pending = before_cell(ns, src, src, Options(**opts))
    error: BaseException | None = None
    try:
        exec(compile(src, "<cell>", "exec"), ns)
    except Exception as exc:
        error = exc
    try:
        return collect(pending, ns, error=error)
    finally:
        del error


def walk(ns: dict[str, Any]) -> dict[int, Any]:
    """id -> object for everything reachable from the namespace values (2 levels)."""
    out: dict[int, Any] = {}
    todo = [v for k, v in ns.items() if k != "__builtins__"]
    for _level in range(3):
        nxt = []
        for o in todo:
            if id(o) in out:
                continue
            out[id(o)] = o
            tp = type(o)
            if tp in (list, tuple, set, frozenset):
                nxt.extend(o)
            elif tp is dict:
                nxt.extend(o.keys())
                nxt.extend(o.values())
            elif hasattr(o, "__dict__") and not isinstance(o, type):
                nxt.extend(vars(o).values())
        todo = nxt
    return out


def _counts(objs: dict[int, Any], addresses: list[int]) -> dict[int, int]:
    out = {}
    for a in addresses:
        o = objs.get(a)
        if o is not None:
            out[a] = sys.getrefcount(o)
    return out


def expected_refcounts(ns: dict[str, Any], addresses: list[str]) -> dict[str, int]:
    """sys.getrefcount minus what this measurement itself adds (the walk map's reference,
    the local, the argument — calibrated on a fresh object, since 3.14 borrows some)."""
    probe: dict[int, Any] = {0: object()}
    overhead = _counts(probe, [0])[0] - 1  # the probe is held by its dict only
    objs = walk(ns)
    got = _counts(objs, [int(a, 16) for a in addresses])
    return {hex(a): n - overhead - 1 for a, n in got.items()}  # - 1: the walk map
