"""Collect what one cell bound (pure Python: no IPython import).

The IPython layer (:mod:`redpill.magic`) calls :func:`before_cell` just before
the cell runs and :func:`after_cell` just after; this module turns the id
snapshots and the cell source into a payload and a display bundle.

The instructors' options (:class:`~redpill.options.InstructorOptions`) add: the
``--steps`` timeline (a :class:`~redpill.steps.StepRecorder` the IPython layer feeds between
statements), ``--diff`` against the previous snapshot (a
:class:`~redpill.diff.History` the IPython layer keeps per kernel),
``--quiz`` questions, names hidden from the picture (``hide_names``) and
required fields the front end should not show (``hidden_fields``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from .budget import OUTPUT_BUDGET, fallback_size, fewer_details, measure, sendable, upper_bound
from .diff import History, diff
from .failures import failure_note, forget_frames
from .fallbacks import MASKABLE, bundle, bundle_and_bound
from .kinds import exception_name
from .names import (
    StaticBindings,
    filter_names,
    id_snapshot,
    is_bookkeeping,
    resolve,
    static_bindings,
)
from .options import InstructorOptions, Options
from .payload import MIME, build_payload, empty_payload
from .quiz import MAX_QUESTIONS, frame_questions, questions
from .refs import gc_paused
from .steps import StepRecorder


@dataclass
class Pending:
    """State between the start and the end of one %%redpill cell (ids only)."""

    raw_cell: str
    source: str  # the cell body, Python (after IPython's transforms) if known
    opts: Options
    before: dict[str, int] = field(default_factory=dict)
    extra: InstructorOptions = field(default_factory=InstructorOptions)
    recorder: StepRecorder | None = None
    #: the bindings read from IPython's own parse of the cell, when the IPython layer
    #: saw it (only names are kept, never the tree: its constants would change counts)
    static: StaticBindings | None = None


def before_cell(
    namespace: Mapping[str, object],
    raw_cell: str,
    source: str,
    opts: Options,
    extra: InstructorOptions | None = None,
    *,
    display_source: str | None = None,
    hidden: Collection[str] = (),
) -> Pending:
    """Remember the namespace's ids before the cell runs.

    With ``extra.steps`` a step recorder is made: ``display_source`` is the cell
    as the user wrote it, whose line numbers match ``source`` (the magic's first
    line blanked, as the transformer does).
    """
    extra = extra or InstructorOptions()
    before = id_snapshot(namespace)
    pending = Pending(raw_cell, source, opts, before, extra)
    if extra.steps:
        pending.recorder = StepRecorder(
            before,
            opts,
            max_steps=extra.max_steps,
            hidden=hidden,
            hide_names=extra.hide_names,
            source=display_source if display_source is not None else source,
            transformed=source,
        )
    return pending


def after_cell(
    pending: Pending,
    namespace: Mapping[str, object],
    *,
    source: str | None = None,
    error: BaseException | None = None,
    hidden: Collection[str] = (),
    history: History | None = None,
) -> dict[str, object]:
    """The display bundle for the cell; never raises (an internal error becomes a note).

    ``history`` (the kernel's previous snapshot) is used by ``--diff``; then it
    keeps this cell's payload (a cell without ``--diff`` drops the previous one first).
    No exception of the collector's escapes, not even ``SystemExit``; a
    ``KeyboardInterrupt`` (the user interrupted while the objects were read) ends
    the collection with a note.  Either way the frames of the failed collection are
    cleared, so nothing it read is kept alive by a traceback.
    """
    with gc_paused():
        if history is not None and not pending.extra.diff:
            history.forget()
        try:
            payload = collect(
                pending, namespace, source=source, error=error, hidden=hidden, history=history
            )
        except BaseException as exc:  # the user's own result must never be hidden by ours
            payload = empty_payload(
                failure_note(exc), exception_name(error) if error is not None else None
            )
            forget_frames(exc)
            del exc
        else:
            if history is not None:
                try:
                    history.remember(payload)
                except BaseException:  # digest() only reads the payload
                    history.last = None
        try:
            return bounded_bundle(sendable(payload))
        except BaseException as exc:
            forget_frames(exc)
            return bundle(empty_payload(failure_note(exc)))


def bounded_bundle(payload: dict[str, object]) -> dict[str, object]:
    """The display bundle of ``payload``, within :data:`~redpill.budget.OUTPUT_BUDGET`
    bytes: measured exactly only when a cheap upper bound is over it; then with fewer
    details; at last, a picture of nothing that says why."""
    out, bound = bundle_and_bound(payload)
    fallbacks = fallback_size(out, MIME)
    # the JSON the live diagram packed bounds the payload for free; else a cheap marshal bound
    if bound is None:
        bound = upper_bound(payload, OUTPUT_BUDGET - fallbacks)
    if bound is not None and bound + fallbacks <= OUTPUT_BUDGET:
        return out
    size = measure(out, MIME)
    if size <= OUTPUT_BUDGET:
        return out
    fewer_details(payload)  # type: ignore[arg-type]
    out = bundle(payload)
    size = measure(out, MIME)
    if size <= OUTPUT_BUDGET:
        return out
    error = payload.get("error")
    return bundle(
        empty_payload(
            f"this picture would take {size:,} bytes, over the budget of one output "
            f"({OUTPUT_BUDGET:,}): draw fewer names (%%redpill a b ...) or lower "
            "--max-objects, --max-items, --max-bytes or --max-text",
            error if isinstance(error, str) else None,
        )
    )


def collect(
    pending: Pending,
    namespace: Mapping[str, object],
    *,
    source: str | None = None,
    error: BaseException | None = None,
    hidden: Collection[str] = (),
    history: History | None = None,
) -> dict[str, object]:
    """The payload for the cell ``pending`` describes, reading ``namespace`` after it ran (may
    raise: :func:`after_cell` is the caller that never does)."""
    after = id_snapshot(namespace)
    if source is None and pending.static is not None:
        static = pending.static
    else:
        static = static_bindings(source if source is not None else pending.source)
    cell = resolve(static, pending.before, after, error=error is not None, hidden=hidden)
    extra = pending.extra
    notes: list[str] = []
    if static.syntax_error:
        notes.append("the cell could not be parsed; names were found by the namespace diff only")
    elif static.too_deep:
        notes.append(
            "the cell's expressions are nested too deeply to walk; names were found by the "
            "namespace diff only"
        )
    wanted = pending.opts.names
    names = filter_names(cell, wanted, after)
    if wanted:
        notes.extend(_filter_notes(cell.names, wanted, names, after))
    hide_names = extra.hide_names
    if hide_names:
        names = [n for n in names if n not in hide_names]
    # --diff: the previous snapshot's names are drawn again (after the cell's own)
    carried: list[str] = []
    previous = history.last if history is not None and extra.diff else None
    if extra.diff and previous is not None:
        carried = [
            n
            for n in previous.names
            if n in after and n not in names and n not in hide_names and not is_bookkeeping(n)
        ]
    payload = build_payload(
        namespace,
        names + carried,
        pending.opts,
        deleted=[n for n in cell.deleted if n not in hide_names],
        rebound=cell.rebound,
        error=exception_name(error) if error is not None else None,
        notes=notes,
        held=(after, pending, static, cell, names, carried, hidden, hide_names, previous),
        literals=static.literals,
    )
    all_bindings: list[dict[str, object]] = payload["names"]  # type: ignore[assignment]
    own = set(names)
    payload["names"] = [b for b in all_bindings if b["name"] in own]
    carried_bindings = [b for b in all_bindings if b["name"] not in own]
    if hide_names:
        _drop_hidden_holders(payload, hide_names)
    out_notes: list[str] = list(payload.get("notes") or [])  # type: ignore[call-overload]
    truncated: dict[str, int] = dict(payload.get("truncated") or {})  # type: ignore[call-overload]
    recorder = pending.recorder
    if recorder is not None:
        recorded = recorder.to_payload()
        for key in ("births", "declarations"):  # the steps' objects and the final ones'
            if key in recorded and key in payload:
                recorded[key] = {**recorded[key], **payload[key]}  # type: ignore[dict-item]
        payload.update(recorded)
        out_notes.extend(recorder.notes)
        counts = payload.get("step_counts")
        if isinstance(counts, dict) and not counts.get("exact"):
            # the cap, or the steps' size budget before it (its own note says so)
            why = (
                f"the cap (--max-steps {extra.max_steps})"
                if counts["recorded"] >= extra.max_steps
                else "the last recorded step"
            )
            out_notes.append(
                f"{counts['recorded']} steps recorded (calls and returns are steps too), then "
                f"the cell ran on at full speed after {why}: more than {counts['executed']} "
                "lines executed"
            )
        if recorder.unrecorded:
            truncated["steps"] = recorder.unrecorded
            out_notes.append(
                f"{recorder.unrecorded} statement{'s' if recorder.unrecorded != 1 else ''} ran "
                f"after the last recorded step without a snapshot (--max-steps "
                f"{extra.max_steps})"
            )
    if extra.diff:
        bound: dict[str, list[str]] = {}
        for n, i in after.items():
            bound.setdefault(hex(i), []).append(n)
        known = {n: hex(after[n]) for n in (previous.names if previous else ()) if n in after}
        payload["diff"] = diff(previous, payload, carried_bindings, bound, known)
    if extra.quiz:
        qs, dropped = questions(payload, extra.quiz, MAX_QUESTIONS)
        more, dropped_more = frame_questions(payload, extra.quiz, MAX_QUESTIONS)
        room = max(0, MAX_QUESTIONS - len(qs))
        qs += more[:room]
        dropped += dropped_more + len(more[room:])
        for k, q in enumerate(qs, start=1):
            q["id"] = f"q{k}"
        payload["quiz"] = qs
        if dropped:
            truncated["quiz"] = dropped
            out_notes.append(f"{dropped} more questions left out (at most {MAX_QUESTIONS})")
        if not qs:
            out_notes.append("no question applies to the objects this cell bound")
    hidden_fields = [f for f in MASKABLE if f in pending.opts.hide]
    if hidden_fields:
        payload["hidden_fields"] = hidden_fields
    if truncated:
        payload["truncated"] = truncated
    if out_notes:
        payload["notes"] = out_notes
    options = payload.get("options")
    if isinstance(options, dict):
        options.update(extra.as_payload())
    return payload


def _filter_notes(
    bound: Collection[str], wanted: Collection[str], drawn: Collection[str], after: Collection[str]
) -> list[str]:
    """Notes on a names filter (its lists of names end here, before counts are read)."""
    notes = []
    skipped = [n for n in bound if n not in drawn]
    if skipped:
        notes.append("not drawn (filter): " + ", ".join(skipped))
    missing = [n for n in wanted if n not in after]
    if missing:
        notes.append("not bound: " + ", ".join(missing))
    return notes


def _drop_hidden_holders(payload: dict[str, object], hide_names: Collection[str]) -> None:
    """Hidden names are not shown as holders either (their references still count)."""
    for o in payload.get("objects", []):  # type: ignore[attr-defined]
        hs = o.get("holders")
        if isinstance(hs, list):
            o["holders"] = [h for h in hs if h.get("name") not in hide_names]
