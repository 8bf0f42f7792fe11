"""``%%redpill --steps`` line by line: the events of the cell's own code become steps
with the active calls' frames (pure Python: no IPython import).

A :class:`FrameStepper` listens to an event source (:mod:`redpill.tracer`) and feeds
a :class:`~redpill.steps.StepRecorder`.  A step is recorded

* after each executed line of the cell's code (event ``line``: a frame's previous
  line is complete when its next line starts, or when it returns),
* when a call of a function defined in the cell begins (``call``: its arguments
  are bound), returns or yields (``return``, with the returned value drawn),
* when an exception is raised in cell code (``exception``, once per frame it
  passes through while it unwinds).

Each top-level statement runs as a code object of its own (IPython compiles them one
by one): its frame is the global frame (the step's names), never a box of its own.
The frames listed are the calls of cell code on the stack, outermost first, plus
the generators and coroutines of the cell that exist but are suspended (found from
their frames when they start: one ``gc.get_referrers`` per generator; kept as weak
references, so they die as without the magic).

The stepper keeps no strong reference to a user object between two events.  Past the
cap the source is stopped at the next line event (the cell then runs at full speed)
and ``step_counts`` says that more lines ran than were counted.  Whatever fails
while a step is read ends the recording with a note; an interrupt still reaches the
user's code (it is raised again).
"""

from __future__ import annotations

import ast
import gc
import sys
import threading
import types
import weakref
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .capture import LeanSteps
from .failures import forget_frames
from .kinds import exception_name
from .steps import Span, StepRecorder
from .structs import facts
from .text import TEXT_CHARS, shown
from .tracer import Source, is_generator_code, make_source

#: Reading ``frame.f_locals`` fills a dict the frame keeps (one more reference to each
#: local, subtracted from the counts) before 3.13 (structs.LOCALS_SNAPSHOT).
LOCALS_SNAPSHOT = facts().locals_snapshot
#: Most suspended generators looked for (each costs one pass over the heap).
MAX_GENERATORS = 50
#: Most frames listed in one step (the schema's bound), innermost kept.
MAX_FRAMES = 1000

#: Why a cell was stepped statement by statement.
STATEMENTS_NOTE = "stepped statement by statement: " + (
    "every sys.monitoring tool id redpill may take (4, 3) is in use"
    if facts().line_events == "sys.monitoring"
    else "another trace function (a debugger, coverage) is set"
)

_CO_COROUTINE = 0x80


class _Tee:
    """Copies what is written to a stream while it is let through unchanged."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.stream: Any = None

    def install(self) -> None:
        stream = sys.stdout
        try:
            inner = stream.write
            parts = self.parts
            tee = self

            def write(s: Any) -> Any:
                if type(s) is str and tee.size < TEXT_CHARS:
                    parts.append(s)
                    tee.size += len(s)
                return inner(s)

            stream.write = write
        except Exception:  # a stream without instance attributes: no copy
            return
        self.stream = stream

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        self.size = 0
        return shown(text, TEXT_CHARS) if len(text) > TEXT_CHARS else text

    def remove(self) -> None:
        stream, self.stream = self.stream, None
        if stream is not None:
            try:
                del stream.write
            except Exception:
                pass


def _message(exc: BaseException) -> str:
    """An exception's message, without running user code (a builtin exception whose
    arguments are plain strings and numbers; otherwise empty)."""
    if type(exc).__module__ != "builtins":
        return ""
    args = exc.args
    if not all(type(a) in (str, int, float, bool) or a is None for a in args):
        return ""
    try:
        text = str(exc) if type(exc) is not KeyError else repr(args[0]) if args else ""
    except Exception:
        return ""
    return shown(text, 2000)


class FrameStepper:
    """The listener of one ``--steps`` cell: turns events into the recorder's steps."""

    def __init__(
        self,
        recorder: StepRecorder,
        namespace: Mapping[str, object],
        nodes: Sequence[ast.AST],
        transient: Mapping[int, int] | None = None,
    ) -> None:
        self.rec = recorder
        self.ns = namespace
        self.transient = transient
        #: id of a top-level statement's code -> (weak reference to it, the statement)
        self.top: dict[int, tuple[weakref.ref[types.CodeType], ast.AST | None]] = {}
        #: id of an active frame -> (its call number, id of its code)
        self.calls: dict[int, tuple[int, int]] = {}
        self.pending: dict[int, int | None] = {}
        self.gens: dict[int, tuple[weakref.ref[Any], int]] = {}
        self.generators_looked_for = 0
        #: id of a code object run by a listed frame -> (a weak reference to it, the names
        #: of the locals drawn, the function's name as shown)
        self.code_facts: dict[int, tuple[weakref.ref[types.CodeType], tuple[str, ...], str]] = {}
        self.next_call = 1
        self.executed = 0
        self.exact = True
        self.raised: list[tuple[dict[str, Any], int]] = []
        self.thread = threading.get_ident()
        self.tee = _Tee()
        self.source: Source | None = make_source(self)
        self.running = False
        #: a top-level statement's last line, recorded once its code is done (at the next
        #: event, or at the end): its code object (and its constants) gone, as after it ran
        self.deferred: Span | None = None
        self.nodes = nodes
        #: the lean recorder of the steps (a namespace that is not a plain dict is drawn
        #: by a picture per step)
        self.lean: LeanSteps | None = LeanSteps(recorder) if type(namespace) is dict else None

    @property
    def kind(self) -> str:
        """Which event source runs (``sys.monitoring``/``sys.settrace``), or ``none``."""
        return self.source.kind if self.source is not None else "none"

    # -- life cycle
    def start(self) -> bool:
        """Start the source; False when no source can run here (the caller falls back
        to a step per top-level statement, and the recorder's notes say why)."""
        if self.source is None:
            self.rec.notes.append(STATEMENTS_NOTE)
            return False
        # every name the cell binds, from the start (read before any event is on: a tree
        # too deep to walk ends in a RecursionError, which no callback should see)
        for node in self.nodes:
            self.rec.visit(node)
        self.nodes = ()
        self.tee.install()
        try:
            ok = self.source.start()
        except BaseException:
            self.tee.remove()
            raise
        if not ok:
            self.tee.remove()
            self.rec.forget_names()  # statement by statement reads them one by one
            self.rec.notes.append(STATEMENTS_NOTE)
            return False
        self.running = True
        return True

    def add_top(self, code: types.CodeType, node: ast.AST | None) -> None:
        """A top-level statement's code object (its frame is the global frame)."""
        top = self.top
        key = id(code)
        top[key] = (weakref.ref(code, lambda _r: top.pop(key, None)), node)
        if self.source is not None:
            self.source.add(code)

    def stop(self) -> None:
        """No more events (idempotent; every event is switched off, the stream restored)."""
        self.running = False
        try:
            if self.source is not None:
                self.source.stop()
        finally:
            self.tee.remove()

    def finish(self, error: BaseException | None) -> None:
        """Stop, record the last statement's step, then say which exceptions were caught:
        all but the one the cell raised."""
        self.stop()
        self._flush()
        bad = id(error) if error is not None else None
        for step, exc_id in self.raised:
            step["exception"]["caught"] = exc_id != bad
        if error is not None and self.rec.steps:
            self.rec.steps[-1]["error"] = exception_name(error)
        self.rec.counts = (self.executed, self.exact)
        self.raised.clear()
        self.gens.clear()
        # nothing of the cell outlives it here (the statements, the source's closures)
        self.top.clear()
        self.code_facts.clear()
        self.calls.clear()
        self.pending.clear()
        self.source = None
        self.lean = None

    # -- events (the tracer's Listener)
    def _mine(self) -> bool:
        return self.running and threading.get_ident() == self.thread

    def on_line(self, frame: types.FrameType, line: int) -> bool:
        if not self._mine():
            return self.running
        if self.rec.full:
            self.exact = False  # a line ran that is not recorded
            return False
        self.executed += 1
        self._flush()
        key = id(frame)
        previous = self.pending.get(key)
        self.pending[key] = line
        if previous is None:
            return True
        return self._step("line", frame, previous, top=self._is_top(frame.f_code))

    def on_call(self, frame: types.FrameType) -> bool:
        if not self._mine():
            return self.running
        code = frame.f_code
        if self._is_top(code):
            self.pending[id(frame)] = None
            return True
        self._flush()
        known = self.calls.get(id(frame))
        if known is not None and known[1] == id(code):
            return True  # a generator resumed (3.11 reports it as a call)
        self._new_call(frame)
        if is_generator_code(code):
            self._remember_generator(frame)
        return self._step("call", frame, frame.f_lineno)

    def on_return(self, frame: types.FrameType, box: list[object], *, yielded: bool) -> bool:
        if not self._mine():
            box.clear()
            return self.running
        key = id(frame)
        line = self.pending.get(key)
        if yielded and frame.f_code.co_flags & _CO_COROUTINE:
            box.clear()
            return True  # an await suspends the coroutine: its line goes on afterwards
        self.pending[key] = None
        if self._is_top(frame.f_code):
            box.clear()
            if yielded or line is None:
                return True
            self._flush()
            node = self.top.get(id(frame.f_code), (None, None))[1]
            span = self.rec.span_of(node) if node is not None else None
            self.deferred = (
                span if span is not None and span.first == span.last == line else Span(line, line)
            )
            return True
        self._flush()
        ok = self._step("return", frame, line or frame.f_lineno, value=box)
        if not yielded:
            self.calls.pop(key, None)
            self.pending.pop(key, None)
        return ok

    def on_raise(self, frame: types.FrameType, exc: BaseException) -> bool:
        if not self._mine():
            return self.running
        self._flush()
        key = id(frame)
        self.pending[key] = None
        return self._step("exception", frame, frame.f_lineno, exc=exc)

    def _flush(self) -> None:
        span, self.deferred = self.deferred, None
        if span is not None:
            self._step("line", None, span.first, top=True, span=span)

    # -- calls and generators
    def _is_top(self, code: types.CodeType) -> bool:
        entry = self.top.get(id(code))
        return entry is not None and entry[0]() is code

    def _new_call(self, frame: types.FrameType) -> int:
        n = self.next_call
        self.next_call += 1
        self.calls[id(frame)] = (n, id(frame.f_code))
        self.pending[id(frame)] = None
        return n

    def _call_of(self, frame: types.FrameType) -> int:
        known = self.calls.get(id(frame))
        if known is not None and known[1] == id(frame.f_code):
            return known[0]
        return self._new_call(frame)

    def _remember_generator(self, frame: types.FrameType) -> None:
        if self.generators_looked_for >= MAX_GENERATORS:
            return
        self.generators_looked_for += 1
        want = (types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType)
        for r in gc.get_referrers(frame):
            if isinstance(r, want) and _frame_of(r) is frame:
                try:
                    self.gens[self._call_of(frame)] = (weakref.ref(r), id(frame.f_code))
                except TypeError:
                    pass
                break
        del r

    def _code_facts(self, code: types.CodeType) -> tuple[tuple[str, ...], str]:
        """The locals drawn of a frame running ``code`` (its variables and cells, once
        each, but the hidden names) and the function's name as shown, worked out once per
        code object (held weakly: it goes as without the magic)."""
        known = self.code_facts.get(id(code))
        if known is not None and known[0]() is code:
            return known[1], known[2]
        hidden = self.rec.hide_names
        wanted = tuple(
            n for n in dict.fromkeys(code.co_varnames + code.co_cellvars) if n not in hidden
        )
        function = shown(code.co_qualname, 2000)
        self.code_facts[id(code)] = (weakref.ref(code), wanted, function)
        return wanted, function

    def _suspended(self, running: Iterable[types.FrameType]) -> list[types.FrameType]:
        out: list[types.FrameType] = []
        live = {id(f) for f in running}
        for call, (ref, code) in list(self.gens.items()):
            g = ref()
            f = _frame_of(g) if g is not None else None
            del g
            if f is None or id(f.f_code) != code:
                del self.gens[call]
                continue
            if id(f) not in live:
                out.append(f)
            del f
        return out

    # -- one step
    def _step(
        self,
        event: str,
        frame: types.FrameType | None,
        line: int,
        *,
        top: bool = False,
        value: list[object] | None = None,
        exc: BaseException | None = None,
        span: Span | None = None,
    ) -> bool:
        rec = self.rec
        if rec.full:
            if value:
                value.clear()
            return True  # the next line event stops the source
        try:
            self._record(event, frame, line, top, value, exc, span)
        except KeyboardInterrupt:
            rec.stop(f"step {len(rec.steps) + 1} was interrupted; the rest ran without snapshots")
            self.running = False
            raise
        except BaseException as e:  # the user's cell must never be hurt by ours
            rec.stop(
                f"step {len(rec.steps) + 1} could not be read ({exception_name(e)}: "
                f"{shown(str(e), 500)}); the rest of the cell ran without snapshots"
            )
            forget_frames(e)
            del e
            return False
        return True

    def _record(
        self,
        event: str,
        frame: types.FrameType | None,
        line: int,
        top: bool,
        value: list[object] | None,
        exc: BaseException | None,
        span: Span | None,
    ) -> None:
        codes: Any = self.source.codes if self.source is not None else ()
        stack: list[types.FrameType] = []
        f: types.FrameType | None = frame
        while f is not None:
            code = f.f_code
            if self._is_top(code):
                break  # the global frame: below it, only what runs the cell (IPython)
            if code in codes:
                stack.append(f)
            f = f.f_back
        del f
        stack.reverse()
        listed = [(s, "suspended") for s in self._suspended(stack)]
        listed += [(s, "active") for s in stack]
        del stack
        listed = listed[-MAX_FRAMES:]
        own: Counter[int] = Counter()
        frames: list[tuple[int, str, list[tuple[str, object]]]] = []
        heads: list[dict[str, Any]] = []
        running: list[tuple[int, types.CodeType]] = []
        mine: list[object] = [frames]  # the containers of ours that hold the step's objects
        for fr, state in listed:  # (fr is not an object drawn: it may outlive the loop)
            code = fr.f_code
            call = self._call_of(fr)
            wanted, function = self._code_facts(code)
            loc = fr.f_locals
            items = [(n, loc[n]) for n in wanted if n in loc]
            snapshot = LOCALS_SNAPSHOT and type(loc) is dict
            if snapshot:
                mine.append(loc)
            del loc
            running.append((id(fr), code))
            mine.append(items)
            mine.extend(items)
            held = 2 if snapshot else 1  # (the frame's own locals dict holds them too)
            for pair in items:
                own[id(pair[1])] += held
            frames.append((call, code.co_qualname, items))
            head: dict[str, Any] = {
                "call": call,
                "function": function,
                "line": max(1, line if fr is frame else fr.f_lineno or 1),
            }
            if state == "suspended":
                head["state"] = "suspended"
            heads.append(head)
        del listed
        unnamed: list[object] = []
        ret = None
        if value:  # the returned object, moved out of its box: ``unnamed`` holds it alone
            unnamed.append(value.pop())
            ret = hex(id(unnamed[0]))
            own[id(unnamed[0])] += 1
        del value
        step_head: dict[str, Any] = {"event": event, "frames": heads}
        if ret is not None and heads and not top:
            heads[-1]["return"] = ret
        out = self.tee.take()
        if out:
            step_head["stdout"] = out
        if exc is not None:
            step_head["exception"] = {"type": exception_name(exc), "message": _message(exc)}
            exc_id = id(exc)
        del exc
        if span is None:
            span = Span(line, line)
        del frame
        mine.append(unnamed)
        if self.lean is not None:
            step = self.lean.record(
                self.ns,  # type: ignore[arg-type]
                span,
                head=step_head,
                frames=frames,
                unnamed=unnamed,
                own_refs=own,
                transient=self.transient,
                running=running,
                exclude=mine,
            )
        else:
            step = self.rec.record_frames(
                self.ns,
                span,
                head=step_head,
                frames=frames,
                unnamed=unnamed,
                own_refs=own,
                transient=self.transient,
            )
        mine.clear()
        frames.clear()
        unnamed.clear()
        if event == "exception" and step is not None:
            self.raised.append((step, exc_id))


def _frame_of(g: object) -> types.FrameType | None:
    for attr in ("gi_frame", "cr_frame", "ag_frame"):
        f = getattr(g, attr, None) if type(g).__module__ == "builtins" else None
        if f is not None:
            return f  # type: ignore[no-any-return]
    return None
