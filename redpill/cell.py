"""Collect what one cell bound (pure Python: no IPython import).

The IPython layer (:mod:`redpill.magic`) calls :func:`before_cell` just before
the cell runs and :func:`after_cell` just after; this module turns the id
snapshots and the cell source into a payload and a display bundle.
"""

from __future__ import annotations

import traceback
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from .fallbacks import bundle
from .kinds import Options
from .names import filter_names, id_snapshot, resolve, static_bindings
from .payload import build_payload, empty_payload


@dataclass
class Pending:
    """State between the start and the end of one %%redpill cell (ids only)."""

    raw_cell: str
    source: str  # the cell body, Python (after IPython's transforms) if known
    opts: Options
    before: dict[str, int] = field(default_factory=dict)


def before_cell(
    namespace: Mapping[str, object], raw_cell: str, source: str, opts: Options
) -> Pending:
    return Pending(raw_cell, source, opts, id_snapshot(namespace))


def after_cell(
    pending: Pending,
    namespace: Mapping[str, object],
    *,
    source: str | None = None,
    error: BaseException | None = None,
    hidden: Collection[str] = (),
) -> dict[str, object]:
    """The display bundle for the cell; never raises (an internal error becomes a note)."""
    try:
        payload = collect(pending, namespace, source=source, error=error, hidden=hidden)
    except Exception as exc:  # the user's own result must never be hidden by ours
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        payload = empty_payload(
            f"redpill could not read this cell's objects ({detail}). "
            "The cell itself ran normally. Please report this.",
            type(error).__name__ if error is not None else None,
        )
    return bundle(payload)


def collect(
    pending: Pending,
    namespace: Mapping[str, object],
    *,
    source: str | None = None,
    error: BaseException | None = None,
    hidden: Collection[str] = (),
) -> dict[str, object]:
    after = id_snapshot(namespace)
    static = static_bindings(source if source is not None else pending.source)
    cell = resolve(static, pending.before, after, error=error is not None, hidden=hidden)
    notes: list[str] = []
    if static.syntax_error:
        notes.append("the cell could not be parsed; names were found by the namespace diff only")
    wanted = pending.opts.names
    names = filter_names(cell, wanted, after)
    if wanted:
        skipped = [n for n in cell.names if n not in names]
        if skipped:
            notes.append("not drawn (filter): " + ", ".join(skipped))
        missing = [n for n in wanted if n not in after]
        if missing:
            notes.append("not bound: " + ", ".join(missing))
    return build_payload(
        namespace,
        names,
        pending.opts,
        deleted=cell.deleted,
        rebound=cell.rebound,
        error=type(error).__name__ if error is not None else None,
        notes=notes,
    )
