"""``%%redpill --steps``: the recorder of the steps (pure Python).

Line by line (the default): :mod:`redpill.frames` turns the events of the cell's
own code into steps, each with the active calls' frames and their locals, recorded by
:class:`redpill.capture.LeanSteps` (each object state read once) or, for a namespace
that is not a plain ``dict``, by :meth:`StepRecorder.record_frames` (a picture per step).
Statement by statement (where no event source can run): the IPython layer
(:mod:`redpill.magic`) runs the cell's top-level statements one at a time through
IPython's own ``run_ast_nodes`` and calls :meth:`StepRecorder.record` between two
statements.  The recorder keeps no
reference to any user object: only ids, strings and numbers.

Snapshots share objects.  ``step_objects`` stores each object once per
*version* (a new version only when its contents change, or when a new object
takes the address of one freed earlier in the cell); each step lists the
objects drawn after it as small references ``{address, version}`` plus what
changes from step to step without changing the object itself: the refcount,
the holders, the unexplained count, the raw memory and the C fields whose
values differ from the stored version (``ob_refcnt``, GC links ...).
"""

from __future__ import annotations

import ast
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .compact import sent_chars, step_written
from .failures import forget_frames
from .kinds import exception_name
from .names import (
    Binder,
    StaticBindings,
    filter_names,
    id_snapshot,
    implicit_dunder,
    is_bookkeeping,
    resolve,
)
from .options import MAX_STEPS, Options
from .payload import FrameLocals, build_payload
from .text import shown

#: Bundle budget for the steps (characters of JSON; estimated for line steps); later
#: steps are not recorded.
STEPS_BUDGET = 600_000
#: How many times a cell's steps over :data:`STEPS_BUDGET` by their running estimate are
#: measured as they would be sent (the estimate counts stored versions whole, and they are
#: sent as differences): while the measure leaves :data:`BUDGET_ROOM` of the budget free,
#: the estimate starts again from it and the recording goes on.
BUDGET_MEASURES = 4
#: The part of :data:`STEPS_BUDGET` a measure must leave free for the recording to go on.
BUDGET_ROOM = 0.1
#: Characters of the cell source carried in the payload.
MAX_SOURCE = 20_000

#: Object keys that change without the object changing (kept per step, not per version).
VOLATILE_KEYS = frozenset(
    {
        "refcount",
        "refcount_raw",
        "refcount_local",
        "refcount_shared",
        "holders",
        "unexplained",
        "memory",
        "fields",
    }
)


@dataclass(frozen=True)
class Span:
    """Where a statement is in the cell source: 1-based lines, 0-based character columns."""

    first: int
    last: int
    start: int | None = None
    end: int | None = None


def statement_span(node: ast.AST, source_lines: Sequence[str] | None = None) -> Span:
    """The lines of ``node``; columns too when ``source_lines`` (the text the node was
    parsed from) is given (``ast`` columns are UTF-8 byte offsets)."""
    first = int(getattr(node, "lineno", 1) or 1)
    last = int(getattr(node, "end_lineno", first) or first)
    start = end = None
    col = getattr(node, "col_offset", None)
    end_col = getattr(node, "end_col_offset", None)
    if source_lines is not None and col is not None and end_col is not None:
        try:
            start = _char_column(source_lines[first - 1], col)
            end = _char_column(source_lines[last - 1], end_col)
        except IndexError:
            start = end = None
    return Span(first, max(first, last), start, end)


def _char_column(line: str, byte_offset: int) -> int:
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))


#: ``json.dumps(x, default=str)``, one encoder for every step (the same text, made faster).
_SIZE_ENCODER = json.JSONEncoder(default=str)
#: ``json.dumps(x, sort_keys=True, default=str)``, for the keys that identify a version.
_KEY_ENCODER = json.JSONEncoder(sort_keys=True, default=str)


def normal_entry(entry: Mapping[str, Any], skip: str | None = None) -> str:
    """The part of an object entry that identifies a version (volatile keys removed, and
    ``skip``)."""
    return _KEY_ENCODER.encode(
        {k: v for k, v in entry.items() if k not in VOLATILE_KEYS and k != skip}
    )


def _children(entry: Mapping[str, Any]) -> set[str] | None:
    """Addresses an entry says it holds; None when the entry is not a complete list."""
    out: set[str] = set()
    items = entry.get("items")
    if isinstance(items, list):
        if None in items:
            return None
        total = entry.get("items_total")
        if isinstance(total, int) and total > len(items):
            return None
        out.update(a for a in items if isinstance(a, str))
    d = entry.get("dict")
    if isinstance(d, Mapping):
        for e in d.get("entries", []):
            for k in ("key", "value"):
                if e.get(k) is None:
                    return None
                out.add(e[k])
        if len(d.get("entries", [])) < int(d.get("used", 0)):
            return None
    inst = entry.get("instance")
    if isinstance(inst, Mapping):
        for a in inst.get("attributes", []):
            if a.get("value") is None:
                return None
            out.add(a["value"])
    if not out and items is None and d is None and inst is None:
        return None  # nothing known about what it holds
    return out


def freed_objects(
    previous: Mapping[str, Mapping[str, Any]],
    present: Mapping[str, Mapping[str, Any]],
    bound: Mapping[str, Collection[str]],
) -> list[str]:
    """Addresses of ``previous`` entries whose every reference is known to be gone.

    ``previous``/``present``: object entries (address -> entry) before and now;
    ``bound``: address -> the names that bind it now (whole namespace).  An
    object counts as freed when it is no longer drawn, was not immortal, all its
    references were explained (``unexplained == 0``) and each holder has let go:
    a name that no longer binds it, a container drawn now without it, or a
    container that is freed itself.  CPython frees an object the moment its
    count reaches zero, so these objects are gone (a reference taken where
    redpill cannot see, e.g. by C code, would make this wrong: the renderer
    says "freed as far as redpill can see").
    """
    candidates: dict[str, Mapping[str, Any]] = {
        a: e
        for a, e in previous.items()
        if a not in present
        and not e.get("immortal")
        and e.get("unexplained") == 0
        and not bound.get(a)
    }
    freed: set[str] = set()
    changed = True
    while changed:
        changed = False
        for a, e in candidates.items():
            if a in freed:
                continue
            ok = True
            for h in e.get("holders", []):
                if "name" in h:
                    continue  # not bound any more (checked above)
                c = h.get("object")
                if c in freed:
                    continue
                if c in present:
                    kids = _children(present[c])
                    if kids is not None and a not in kids:
                        continue
                ok = False
                break
            if ok:
                freed.add(a)
                changed = True
    return [a for a in previous if a in freed]


@dataclass
class Version:
    """One stored version of an object across the steps: its entry, and what identifies it."""

    entry: dict[str, Any]
    #: what identifies the version (:func:`normal_entry`), made when first compared
    known_key: str | None = None

    @property
    def key(self) -> str:
        """The normal form of the stored entry (its ``version`` number left out)."""
        if self.known_key is None:
            self.known_key = normal_entry(self.entry, skip="version")
        return self.known_key


@dataclass
class StepRecorder:
    """Collects the steps of one ``--steps`` cell (ids, strings and numbers only)."""

    before: dict[str, int]
    opts: Options
    max_steps: int = MAX_STEPS
    hidden: Collection[str] = ()
    hide_names: Collection[str] = ()
    source: str | None = None
    transformed: str | None = None
    steps: list[dict[str, Any]] = field(default_factory=list)
    unrecorded: int = 0  # statements run after the cap, without a snapshot
    notes: list[str] = field(default_factory=list)
    _binder: Binder = field(default_factory=Binder)
    _versions: dict[str, list[Version]] = field(default_factory=dict)
    _prev_ids: dict[str, int] = field(default_factory=dict)
    _prev_entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    _seen: set[str] = field(default_factory=set)
    _freed: set[str] = field(default_factory=set)
    _size: int = 0
    _measures: int = 0
    _full: bool = False
    _raw_lines: list[str] = field(default_factory=list)
    _lines: list[str] = field(default_factory=list)
    #: line by line (``redpill.frames``): (line events counted, whether that is all of them)
    counts: tuple[int, bool] | None = None
    #: the C story's tables (births, declarations, c_source) of the objects the steps drew
    _c_story: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._prev_ids = dict(self.before)
        self._seen = {hex(i) for i in self.before.values()}
        self._raw_lines = (self.source or "").splitlines()
        self._lines = (self.transformed or "").splitlines()

    @property
    def full(self) -> bool:
        """True once no more steps will be recorded (cap or size budget reached)."""
        return self._full or len(self.steps) >= self.max_steps

    def over_budget(self) -> bool:
        """Whether the steps recorded so far are over :data:`STEPS_BUDGET`: by the running
        estimate, and where it says so, a few times per cell, by the characters they would
        be sent as (:func:`redpill.compact.sent_chars`), from which the estimate goes on."""
        if self._size <= STEPS_BUDGET:
            return False
        if self._measures >= BUDGET_MEASURES:
            return True
        self._measures += 1
        self._size = sent_chars(self.steps, self.table())
        return self._size > STEPS_BUDGET * (1 - BUDGET_ROOM)

    def stop(self, note: str) -> None:
        """Record no more steps, saying why (the statements go on running)."""
        self.notes.append(note)
        self._full = True

    def count_unrecorded(self, statements: int) -> None:
        """``statements`` ran without a snapshot (after the cap): counted for the note."""
        self.unrecorded += statements

    def record(
        self,
        namespace: Mapping[str, object],
        node: ast.AST,
        *,
        transient: Mapping[int, int] | None = None,
        error: BaseException | None = None,
    ) -> None:
        """Snapshot the namespace after ``node`` ran (``error``: it raised).

        Never raises, whatever fails (the user's statements go on as without the
        magic): a failure, or an interrupt while the step is read, ends the
        recording with a note, and the frames that read it are cleared.
        """
        try:
            self._binder.visit(node)
        except RecursionError:
            self._binder.out.too_deep = True
        if self.full:
            self.count_unrecorded(1)
            return
        try:
            self._record(namespace, node, transient, error)
        except BaseException as exc:  # the user's cell must never be hurt by ours
            what = (
                "was interrupted"
                if isinstance(exc, KeyboardInterrupt)
                else f"could not be read ({exception_name(exc)}: {shown(str(exc), 500)})"
            )
            self.stop(
                f"step {len(self.steps) + 1} {what}; the rest of the cell ran without snapshots"
            )
            forget_frames(exc)
            del exc

    def visit(self, node: ast.AST) -> None:
        """Read the names a top-level statement binds (line by line: all of them first)."""
        try:
            self._binder.visit(node)
        except RecursionError:
            self._binder.out.too_deep = True

    def forget_names(self) -> None:
        """Forget the names read so far (to read them again statement by statement)."""
        self._binder = Binder()

    def span_of(self, node: ast.AST) -> Span:
        """Where the top-level statement ``node`` is (columns where IPython kept the line)."""
        return self._span(node)

    def record_frames(
        self,
        namespace: Mapping[str, object],
        span: Span,
        *,
        head: Mapping[str, Any],
        frames: Sequence[FrameLocals],
        unnamed: Sequence[object],
        own_refs: Mapping[int, int],
        transient: Mapping[int, int] | None,
    ) -> dict[str, Any] | None:
        """One step of a line-by-line recording (:mod:`redpill.frames`): the namespace as
        the global frame, the active calls' locals, ``head``'s event, frames, stdout and
        exception.  May raise (the caller stops the recording); None once full."""
        if self.full:
            return None
        return self._record(
            namespace,
            None,
            transient,
            None,
            span=span,
            frames=frames,
            unnamed=unnamed,
            own_refs=own_refs,
            head=head,
        )

    def _span(self, node: ast.AST) -> Span:
        span = statement_span(node, self._lines or None)
        # columns are only true where IPython left the line as the user wrote it
        raw = self._raw_lines
        same = all(
            0 < i <= len(raw) and i <= len(self._lines) and raw[i - 1] == self._lines[i - 1]
            for i in range(span.first, span.last + 1)
        )
        if not same:
            span = Span(span.first, span.last)
        return span

    def _record(
        self,
        namespace: Mapping[str, object],
        node: ast.AST | None,
        transient: Mapping[int, int] | None,
        error: BaseException | None,
        *,
        span: Span | None = None,
        frames: Sequence[FrameLocals] = (),
        unnamed: Sequence[object] = (),
        own_refs: Mapping[int, int] | None = None,
        head: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        out = self._binder.out
        static = StaticBindings(
            list(out.ordered), list(out.conditional), list(out.deleted), out.syntax_error
        )
        after = id_snapshot(namespace)
        cell = resolve(static, self.before, after, error=error is not None, hidden=self.hidden)
        names = [n for n in filter_names(cell, self.opts.names, after) if n not in self.hide_names]
        prev = self._prev_ids
        rebound = {n for n in names if n in prev and prev[n] != after.get(n)}
        payload = build_payload(
            namespace,
            names,
            self.opts,
            rebound=rebound,
            transient=transient,
            held=(self, out, static, after, cell, head),
            frames=frames,
            unnamed=unnamed,
            own_refs=own_refs,
        )
        del namespace, frames, unnamed
        for key in ("births", "declarations", "c_source"):
            if key in payload:
                self._c_story.setdefault(key, {}).update(payload[key])  # type: ignore[arg-type]
        deleted = [
            n
            for n in prev
            if n not in after
            and not is_bookkeeping(n)
            and not implicit_dunder(n)
            and n not in self.hidden
            and n not in self.hide_names
        ]
        entries: dict[str, dict[str, Any]] = {
            e["address"]: e
            for e in payload["objects"]  # type: ignore[union-attr,attr-defined]
        }
        bound: dict[str, list[str]] = {}
        for n, i in after.items():
            bound.setdefault(hex(i), []).append(n)
        frame_names: dict[int, list[dict[str, Any]]] = payload.pop("frame_names", {})  # type: ignore[assignment]
        frame_truncated: dict[int, int] = payload.pop("frame_truncated", {})  # type: ignore[assignment]
        for call, bs in frame_names.items():
            for b in bs:
                bound.setdefault(b["object"], []).append(f"frame {call}: {b['name']}")
        freed = freed_objects(self._prev_entries, entries, bound)
        refs: list[dict[str, Any]] = []
        new: list[str] = []
        reused: list[str] = []
        changes: list[dict[str, Any]] = []
        for a, e in entries.items():
            reuse = a in self._freed
            if reuse:
                reused.append(a)
                self._freed.discard(a)
            if a not in self._seen or reuse:
                new.append(a)
            self._seen.add(a)
            refs.append(self._ref(a, e, force_new=reuse))
            p = self._prev_entries.get(a)
            if (
                p is not None
                and not reuse
                and p.get("refcount") != e.get("refcount")
                and not e.get("immortal")
                and not (e.get("int") or {}).get("small_int_cached")
            ):
                changes.append({"address": a, "before": p["refcount"], "after": e["refcount"]})
        self._freed.update(freed)
        if span is None:
            span = self._span(node) if node is not None else Span(1, 1)
        step: dict[str, Any] = {"lines": [span.first, span.last]}
        if span.start is not None and span.end is not None:
            step["columns"] = [span.start, span.end]
        step["names"] = payload["names"]
        step["deleted"] = deleted
        step["objects"] = refs
        step["new"] = new
        step["freed"] = freed
        if reused:
            step["reused"] = reused
        step["refcount_changes"] = changes
        if error is not None:
            step["error"] = exception_name(error)
        notes = payload.get("notes")
        if notes:
            step["notes"] = notes
        if "truncated" in payload:
            step["truncated"] = payload["truncated"]
        if head is not None:
            step.update(frames_of_step(head, frame_names, frame_truncated))
        # (counted as sent: what the step before holds unchanged, as its index there)
        previous = self.steps[-1] if self.steps else None
        self._size += len(_SIZE_ENCODER.encode(step_written(previous, step)))
        self.steps.append(step)
        self._prev_ids = after
        self._prev_entries = entries
        if self.over_budget():
            self._full = True
            self.notes.append(
                f"the steps reached the size budget ({STEPS_BUDGET} characters) after step "
                f"{len(self.steps)}; later statements ran without snapshots"
            )
        return step

    def _ref(self, address: str, e: dict[str, Any], *, force_new: bool) -> dict[str, Any]:
        """Store ``e`` in the shared table if it is a new version; return the step's reference."""
        versions = self._versions.setdefault(address, [])
        if force_new or not versions or versions[-1].key != (key := normal_entry(e)):
            stored = dict(e)
            stored["version"] = len(versions)
            versions.append(Version(stored, None if force_new or not versions else key))
            self._size += len(_SIZE_ENCODER.encode(stored))
        current = versions[-1]
        base = current.entry
        ref: dict[str, Any] = {"address": address, "version": len(versions) - 1}
        for k in ("refcount", "refcount_raw", "refcount_local", "refcount_shared", "unexplained"):
            if k in e:
                ref[k] = e[k]
        ref["holders"] = e.get("holders", [])
        if "memory" in e and e["memory"] != base.get("memory"):
            ref["memory"] = e["memory"]
        fields = e.get("fields")
        if isinstance(fields, list):
            stored_fields = {f.get("name"): f for f in base.get("fields", [])}
            delta = []
            for f in fields:
                b = stored_fields.get(f.get("name"))
                if b is None or b.get("value") != f.get("value") or b.get("note") != f.get("note"):
                    d = {"name": f["name"], "value": f["value"]}
                    if "note" in f:
                        d["note"] = f["note"]
                    delta.append(d)
            if delta:
                ref["fields"] = delta
        return ref

    def table(self) -> list[dict[str, Any]]:
        """Every stored object version (``step_objects``), in order of first appearance."""
        return [v.entry for vs in self._versions.values() for v in vs]

    def to_payload(self) -> dict[str, Any]:
        """The payload keys ``--steps`` adds: ``source``, ``steps``, ``step_objects``."""
        out: dict[str, Any] = {}
        if self.source is not None:
            src = self.source
            if len(src) > MAX_SOURCE:
                src = src[:MAX_SOURCE]
                self.notes.append(f"the cell source is cut to {MAX_SOURCE} characters")
            out["source"] = src
        out["steps"] = self.steps
        out["step_objects"] = self.table()
        if self.counts is not None:
            executed, exact = self.counts
            out["step_counts"] = {
                "recorded": len(self.steps),
                "executed": max(executed, 0),
                "exact": exact,
            }
        out.update(self._c_story)  # the final picture's own tables are merged over these
        return out


def cell_statements(source: str) -> list[ast.stmt] | None:
    """The top-level statements of ``source`` (Python), or None if it does not parse."""
    try:
        tree = compile(
            source, "<cell>", "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
        )
    except (SyntaxError, ValueError):
        return None
    return list(tree.body)  # type: ignore[attr-defined]


def run_statements(
    recorder: StepRecorder,
    statements: Iterable[ast.stmt],
    global_ns: dict[str, Any],
    local_ns: dict[str, Any] | None = None,
    filename: str = "<cell>",
    *,
    lines: bool = True,
) -> None:
    """Run ``statements`` one by one with ``exec`` (no IPython), recording each step:
    line by line where an event source can run (:mod:`redpill.frames`), else a step
    after each statement (``lines=False`` too).

    Used where IPython's machinery is not available (the pure tests, and a
    direct call of the magic).  Re-raises the first exception after recording
    its step.
    """
    from .frames import FrameStepper
    from .transient import ast_refs

    nodes = list(statements)
    ns = global_ns if local_ns is None else local_ns
    stepper = FrameStepper(recorder, ns, nodes, ast_refs(nodes)) if lines else None
    if stepper is not None and stepper.start():
        failed: BaseException | None = None
        try:
            for node in nodes:
                code = compile(ast.Module(body=[node], type_ignores=[]), filename, "exec")
                stepper.add_top(code, node)
                exec(code, global_ns, ns)
                del code
        except BaseException as exc:
            failed = exc
            raise
        finally:
            stepper.finish(failed)
            del failed, stepper
        return
    del stepper
    for node in nodes:
        code = compile(ast.Module(body=[node], type_ignores=[]), filename, "exec")
        error: BaseException | None = None
        try:
            exec(code, global_ns, ns)
        except BaseException as exc:
            error = exc
        del code
        recorder.record(ns, node, transient=ast_refs(nodes), error=error)
        if error is not None:
            try:
                raise error
            finally:
                del error


def frames_of_step(
    head: Mapping[str, Any],
    frame_names: Mapping[int, list[dict[str, Any]]],
    truncated: Mapping[int, int],
) -> dict[str, Any]:
    """``head``'s keys for the step, each frame given the bindings of its locals (and how
    many the caps left out)."""
    out = dict(head)
    frames = []
    for h in head.get("frames", []):
        f = {**h, "names": frame_names.get(h["call"], [])}
        if truncated.get(h["call"]):
            f["truncated"] = truncated[h["call"]]
        frames.append(f)
    out["frames"] = frames
    return out
