"""Where ``--steps`` gets its events: the lines, calls, returns and exceptions of the
cell's own code, and nothing else (pure Python: no IPython import).

On CPython 3.12+ :class:`MonitoringSource` uses ``sys.monitoring`` (PEP 669) with a
tool id of its own (the first free one of :data:`TOOL_IDS`, so a debugger, coverage
or a profiler holding another id goes on working): the local events LINE, JUMP,
PY_START, PY_RESUME, PY_RETURN and PY_YIELD are switched on for the cell's code
objects only (each top-level statement's code and every code object nested in its
constants: functions, lambdas, comprehensions, generators, class bodies), so library
code runs without a line callback.  LINE comes when a line starts; a loop on one line
(``for x in xs: total += x``, a comprehension, inlined since 3.12) jumps back to the
line it is on, which is no new line: JUMP tells those iterations (each a line step, as
``sys.settrace`` tells them on 3.11), and every other jump's location is disabled the
first time it is seen.  RAISE cannot be a local event; its callback returns
at once for code that is not the cell's (whether an exception was caught is told by
the cell's end: every exception but the one the cell raised was).  When the
recording stops (the cap, the end of the cell, an error, an interrupt) every event is
switched off, the callbacks are unregistered and the tool id is freed.

On 3.11 :class:`SettraceSource` sets a trace function that returns a local trace
function only for frames running the cell's code objects (other frames get no line
events); ``sys.settrace(None)`` at the stop ends all tracing at once.

Both call the same four methods of a :class:`Listener` (the step recorder) with the
frame that caused the event; a listener returns False when it wants no more events.
"""

from __future__ import annotations

import dis
import sys
import types
import weakref
from collections.abc import Iterator
from typing import Any, Protocol

from .structs import facts

#: The sys.monitoring tool ids redpill may take, in order (0-2 and 5 are the debugger's,
#: coverage's, the profiler's and the optimizer's by convention).
TOOL_IDS = (4, 3)
TOOL_NAME = "redpill --steps"

#: CO_GENERATOR, CO_COROUTINE, CO_ITERABLE_COROUTINE, CO_ASYNC_GENERATOR
_GENERATOR_FLAGS = 0x20 | 0x80 | 0x100 | 0x200
_YIELD = {dis.opmap[n] for n in ("YIELD_VALUE",) if n in dis.opmap}


class Listener(Protocol):
    """What the event sources call (each returns False to stop the recording)."""

    def on_call(self, frame: types.FrameType) -> bool: ...
    def on_line(self, frame: types.FrameType, line: int) -> bool: ...
    def on_return(self, frame: types.FrameType, box: list[object], *, yielded: bool) -> bool:
        """``box`` holds the returned (or yielded) value: the listener takes it out."""
        ...

    def on_raise(self, frame: types.FrameType, exc: BaseException) -> bool: ...


def nested_codes(code: types.CodeType) -> Iterator[types.CodeType]:
    """``code`` and every code object in its constants, at any depth."""
    todo = [code]
    while todo:
        c = todo.pop()
        yield c
        todo.extend(k for k in c.co_consts if isinstance(k, types.CodeType))


def offset_lines(code: types.CodeType) -> dict[int, int | None]:
    """The line of each instruction offset of ``code``."""
    return {o: line for start, end, line in code.co_lines() for o in range(start, end, 2)}


def is_generator_code(code: types.CodeType) -> bool:
    """True for the code of a generator, coroutine or async generator."""
    return bool(code.co_flags & _GENERATOR_FLAGS)


class Source:
    """An event source for one cell: :meth:`add` the cell's code objects as they are
    compiled, :meth:`start`, and :meth:`stop` (idempotent) when the cell ends."""

    kind = "none"

    def __init__(self, listener: Listener) -> None:
        self.listener: Listener = listener
        #: the cell's code objects, held weakly (a statement's code and its constants go
        #: when IPython lets them go, as without the magic)
        self.codes: weakref.WeakSet[types.CodeType] = weakref.WeakSet()
        self.active = False

    def add(self, code: types.CodeType) -> None:
        """Step through ``code`` and the code objects nested in it."""
        new = [c for c in nested_codes(code) if c not in self.codes]
        self.codes.update(new)
        if self.active:
            self._enable(new)

    def _enable(self, codes: list[types.CodeType]) -> None:
        pass

    def start(self) -> bool:
        """Begin delivering events; False if this source cannot run here."""
        return False

    def stop(self) -> None:
        """Deliver no more events and free what was taken (safe to call twice)."""
        self.active = False
        self.forget()

    def forget(self) -> None:
        """Let go of the listener (a callback still in flight gets a silent one)."""
        self.listener = _SILENT


class MonitoringSource(Source):
    """``sys.monitoring`` (3.12+), local events on the cell's code objects only."""

    kind = "sys.monitoring"

    def __init__(self, listener: Listener) -> None:
        super().__init__(listener)
        self.tool: int | None = None

    @staticmethod
    def available() -> bool:
        """True where ``sys.monitoring`` exists and one of :data:`TOOL_IDS` is free."""
        mon = getattr(sys, "monitoring", None)
        return mon is not None and any(mon.get_tool(t) is None for t in TOOL_IDS)

    def start(self) -> bool:
        mon = getattr(sys, "monitoring", None)
        if mon is None:
            return False
        for t in TOOL_IDS:
            if mon.get_tool(t) is None:
                try:
                    mon.use_tool_id(t, TOOL_NAME)
                except ValueError:  # taken meanwhile
                    continue
                self.tool = t
                break
        else:
            return False
        ev = mon.events
        tool = self.tool
        disable = mon.DISABLE
        codes = self.codes
        getframe = sys._getframe

        def line(code: types.CodeType, lineno: int) -> object:
            if code not in codes or not self.active:
                return disable
            if not self.listener.on_line(getframe(1), lineno):
                self.stop()
            return None

        lines_of: weakref.WeakKeyDictionary[types.CodeType, dict[int, int | None]]
        lines_of = weakref.WeakKeyDictionary()

        def jump(code: types.CodeType, offset: int, to: int) -> object:
            if to >= offset or code not in codes or not self.active:
                return disable  # (forward, or not the cell's: a LINE event tells it)
            table = lines_of.get(code)
            if table is None:
                table = lines_of[code] = offset_lines(code)
            lineno = table.get(to)
            if lineno is None or lineno != table.get(offset):
                return disable  # back to another line: it starts again (LINE)
            if not self.listener.on_line(getframe(1), lineno):
                self.stop()
            return None

        def start(code: types.CodeType, offset: int) -> object:
            if code not in codes or not self.active:
                return disable
            if not self.listener.on_call(getframe(1)):
                self.stop()
            return None

        def resume(code: types.CodeType, offset: int) -> object:
            return None

        def ret(code: types.CodeType, offset: int, value: object) -> object:
            if code not in codes or not self.active:
                return disable
            box = [value]  # the listener takes it: this frame holds no reference then
            del value
            if not self.listener.on_return(getframe(1), box, yielded=False):
                self.stop()
            return None

        def yld(code: types.CodeType, offset: int, value: object) -> object:
            if code not in codes or not self.active:
                return disable
            box = [value]
            del value
            if not self.listener.on_return(getframe(1), box, yielded=True):
                self.stop()
            return None

        def raised(code: types.CodeType, offset: int, exc: BaseException) -> None:
            if code in codes and self.active and not self.listener.on_raise(getframe(1), exc):
                self.stop()

        mon.register_callback(tool, ev.LINE, line)
        mon.register_callback(tool, ev.JUMP, jump)
        mon.register_callback(tool, ev.PY_START, start)
        mon.register_callback(tool, ev.PY_RESUME, resume)
        mon.register_callback(tool, ev.PY_RETURN, ret)
        mon.register_callback(tool, ev.PY_YIELD, yld)
        mon.register_callback(tool, ev.RAISE, raised)
        self._local = ev.LINE | ev.JUMP | ev.PY_START | ev.PY_RETURN | ev.PY_YIELD
        mon.set_events(tool, ev.RAISE)
        self.active = True
        self._enable(list(self.codes))
        return True

    def _enable(self, codes: list[types.CodeType]) -> None:
        mon = sys.monitoring
        assert self.tool is not None
        for c in codes:
            mon.set_local_events(self.tool, c, self._local)

    def stop(self) -> None:
        was, self.active = self.active, False
        tool, self.tool = self.tool, None
        if tool is None:
            return
        mon = sys.monitoring
        try:
            mon.set_events(tool, 0)
            for c in list(self.codes):
                mon.set_local_events(tool, c, 0)
            ev = mon.events
            for e in (
                ev.LINE,
                ev.JUMP,
                ev.PY_START,
                ev.PY_RESUME,
                ev.PY_RETURN,
                ev.PY_YIELD,
                ev.RAISE,
            ):
                mon.register_callback(tool, e, None)
        finally:
            mon.free_tool_id(tool)
            self.forget()
        del was


class SettraceSource(Source):
    """``sys.settrace`` (3.11): a local trace function on the cell's frames only."""

    kind = "sys.settrace"

    def __init__(self, listener: Listener) -> None:
        super().__init__(listener)
        self._raised: set[int] = set()  # ids of frames whose last event was an exception

    @staticmethod
    def available() -> bool:
        """True when no other trace function (a debugger, coverage) is set."""
        return sys.gettrace() is None

    def start(self) -> bool:
        if sys.gettrace() is not None:
            return False
        codes = self.codes
        raised = self._raised

        def local(frame: types.FrameType, event: str, arg: Any) -> Any:
            if not self.active:
                return None
            ok = True
            if event == "line":
                raised.discard(id(frame))
                ok = self.listener.on_line(frame, frame.f_lineno)
            elif event == "return":
                if id(frame) in raised:  # unwinding: the exception was its last event
                    raised.discard(id(frame))
                else:
                    box = [arg]  # the listener takes it: this frame holds no reference then
                    del arg
                    ok = self.listener.on_return(frame, box, yielded=_is_yield(frame))
            elif event == "exception":
                raised.add(id(frame))
                ok = self.listener.on_raise(frame, arg[1])
            if not ok:
                self.stop()
                return None
            return local

        def glob(frame: types.FrameType, event: str, arg: Any) -> Any:
            if event != "call" or frame.f_code not in codes or not self.active:
                return None
            if not self.listener.on_call(frame):
                self.stop()
                return None
            return local

        self.active = True
        self._glob: Any = glob
        sys.settrace(glob)
        return True

    def stop(self) -> None:
        if self.active:
            self.active = False
            if sys.gettrace() is self._glob:  # (the cell may have set one of its own)
                sys.settrace(None)
            self._glob = None
        self._raised.clear()
        self.forget()


class _Silent:
    """The listener of a stopped source: wants no events."""

    def on_call(self, frame: types.FrameType) -> bool:
        return False

    def on_line(self, frame: types.FrameType, line: int) -> bool:
        return False

    def on_return(self, frame: types.FrameType, box: list[object], *, yielded: bool) -> bool:
        box.clear()
        return False

    def on_raise(self, frame: types.FrameType, exc: BaseException) -> bool:
        return False


_SILENT: Listener = _Silent()


def _is_yield(frame: types.FrameType) -> bool:
    """True when a traced generator frame is leaving at a ``yield`` (3.11 'return' event)."""
    if not is_generator_code(frame.f_code):
        return False
    try:
        return frame.f_code.co_code[frame.f_lasti] in _YIELD
    except IndexError:
        return False


def make_source(listener: Listener) -> Source | None:
    """The event source for this interpreter, or None when none can run (every tool id
    taken, or another trace function set on 3.11)."""
    if facts().line_events == "sys.monitoring":
        return MonitoringSource(listener) if MonitoringSource.available() else None
    return SettraceSource(listener) if SettraceSource.available() else None
