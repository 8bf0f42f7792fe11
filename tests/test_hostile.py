"""Hostile input through the pure collector and the Python API (every interpreter of the
matrix, 3.14 and 3.15 included): no user code runs while objects are read, and a cell
read by redpill leaves exactly what the same cell leaves without it."""

from __future__ import annotations

import gc
import json
import sys
import weakref
from typing import Any, ClassVar

import pytest
from cellrun import run_cell
from hostile_corpus import BEHAVIOURS, CASES, definitions

import redpill
from redpill.budget import OUTPUT_BUDGET
from redpill.cell import after_cell, before_cell
from redpill.options import Options
from redpill.payload import MIME


def _plain_run(behaviour: str, src: str) -> dict[str, Any]:
    ns: dict[str, Any] = {}
    exec(definitions(behaviour), ns)
    exec(compile(src, "<cell>", "exec"), ns)
    return ns


def _redpill_run(behaviour: str, src: str, validate: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    ns: dict[str, Any] = {}
    exec(definitions(behaviour), ns)
    p = run_cell(ns, src, depth=3)
    validate(p)
    json.dumps(p, ensure_ascii=False).encode("utf-8")  # sendable as it is
    return ns, p


def _visible(ns: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """What the user can see of the names a case bound, read without calling a hook:
    the exact type and the reference count."""
    return {
        n: (type.__dict__["__qualname__"].__get__(type(ns[n])), sys.getrefcount(ns[n]))
        for n in names
    }


@pytest.mark.parametrize("behaviour", BEHAVIOURS)
@pytest.mark.parametrize("case", list(CASES))
def test_hostile_corpus_with_and_without_redpill(behaviour: str, case: str, validate: Any) -> None:
    src = CASES[case]
    plain = _plain_run(behaviour, src)
    assert plain["LOG"] == [], "the case's own source must not call a hook"
    ns, p = _redpill_run(behaviour, src, validate)
    # (only plain data below: an assertion message must not repr a hostile object)
    bound = [n for n in plain if n not in _plain_run(behaviour, "pass")]
    log_with, log_without = list(ns["LOG"]), list(plain["LOG"])
    assert log_with == log_without  # redpill ran no hook of the user's
    names_with, names_without = sorted(ns), sorted(plain)
    assert names_with == names_without  # the namespace holds the same names
    seen_with, seen_without = _visible(ns, bound), _visible(plain, bound)
    assert seen_with == seen_without  # of the same types and counts
    drawn = {b["name"] for b in p["names"]}
    assert drawn == set(bound)
    assert not any("could not read" in n for n in p.get("notes", []))
    # nothing of redpill's keeps them alive: they go when their names do, as without it
    alive_with, alive_without = (
        _alive_after_clearing(ns, bound),
        _alive_after_clearing(plain, bound),
    )
    assert alive_with == alive_without


def _alive_after_clearing(ns: dict[str, Any], names: list[str]) -> set[str]:
    """The ``names`` whose objects outlive the namespace (weakrefs still set after
    ``ns.clear()`` and a collection)."""
    refs = {}
    for n in names:
        try:
            refs[n] = weakref.ref(ns[n])
        except TypeError:
            continue
    ns.clear()
    gc.collect()
    return {n for n, r in refs.items() if r() is not None}


class _ArmedKey:
    """A namespace key whose hash equals a name's; once armed, comparing it exits."""

    armed = False
    calls = 0

    def __init__(self, name: str) -> None:
        self.h = hash(name)

    def __hash__(self) -> int:
        return self.h

    def __eq__(self, other: object) -> bool:
        if not _ArmedKey.armed:
            return False
        _ArmedKey.calls += 1
        raise SystemExit("a hostile key was compared")


@pytest.mark.parametrize("where", ["namespace", "class dict", "module dict", "slots"])
def test_hostile_keys_are_never_compared(where: str, validate: Any) -> None:
    import types

    ns: dict[str, Any] = {"ArmedKey": _ArmedKey, "types": types}
    _ArmedKey.armed = False
    _ArmedKey.calls = 0
    setup = {
        "namespace": "globals()[ArmedKey('x')] = 0\n",
        "class dict": "class C:\n    locals()[ArmedKey('__module__')] = 1\n",
        "module dict": "mod = types.ModuleType('m')\nmod.__dict__[ArmedKey('__file__')] = 1\n",
        "slots": "class S:\n    __slots__ = ('a',)\n    locals()[ArmedKey('a')] = 2\n",
    }[where]
    exec(setup, ns)
    body = {
        "namespace": "x = 1042",
        "class dict": "x = C()\nk = C",
        "module dict": "x = mod",
        "slots": "x = S()\nx.a = 5",
    }[where]
    try:
        p = run_cell(ns, body + "\nArmedKey.armed = True")
    finally:
        armed_calls = _ArmedKey.calls
        _ArmedKey.armed = False
    validate(p)
    assert armed_calls == 0
    assert "x" in {b["name"] for b in p["names"]}


def _getrefcount_overhead() -> int:
    """What ``sys.getrefcount(local)`` adds to the count (1, or 0 where the interpreter
    borrows the argument: CPython 3.14+), measured on an object one local holds."""
    probe = object()
    return sys.getrefcount(probe) - 1


def test_api_refcount_of_the_callers_globals() -> None:
    g = globals()
    over = _getrefcount_overhead()
    snap = redpill.snapshot(g=g)
    notes = " ".join(snap.to_payload().get("notes", []))
    if snap["g"].immortal or "deferred reference counting" in notes:
        pytest.skip(
            "this free-threaded build made the module's globals immortal or counts them "
            "with deferred reference counting: there is no exact count to compare (the "
            "picture says so)"
        )
    assert redpill.inspect(g).refcount == sys.getrefcount(g) - over
    assert snap.refcount("g") == sys.getrefcount(g) - over


def _collector_running() -> bool:
    f = sys._getframe(1)
    while f is not None:
        if f.f_code.co_filename.endswith("redpill/payload.py"):  # reading the counts
            return True
        f = f.f_back  # type: ignore[assignment]
    return False


class _Finalized:
    """Cyclic garbage whose finalizer records whether redpill was reading at the time."""

    seen: ClassVar[list[bool]] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        _Finalized.seen.append(_collector_running())


@pytest.mark.parametrize("call", ["inspect", "snapshot"])
def test_api_runs_no_finalizer_while_it_reads(call: str) -> None:
    _Finalized.seen = []
    old = gc.get_threshold()
    gc.collect()
    gc.disable()
    try:
        for _ in range(200):
            _Finalized()  # garbage the next collection pass will find
        gc.set_threshold(1)  # any allocation may start that pass
        gc.enable()
        target = [1042, "x"]
        if call == "inspect":
            view = redpill.inspect(target)
        else:
            view = redpill.snapshot(t=target)["t"]
        assert gc.isenabled()  # restored
        gc.collect()
    finally:
        gc.set_threshold(*old)
        gc.enable()
    assert view.refcount == 1
    assert _Finalized.seen, "the garbage was collected"
    assert not any(_Finalized.seen)  # never while redpill was reading


def test_keyboard_interrupt_while_reading_keeps_nothing(
    monkeypatch: pytest.MonkeyPatch, validate: Any
) -> None:
    # Stands in for the user's interrupt (SIGINT) arriving while the objects are read.
    import redpill.payload as payload

    def interrupt(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(payload, "decode_refcount", interrupt)

    class Big:
        pass

    ns: dict[str, Any] = {}
    pending = before_cell(ns, "big = Big()", "big = Big()", Options())
    ns["big"] = Big()
    watch = weakref.ref(ns["big"])
    bundle = after_cell(pending, ns)
    p = validate(bundle[MIME])
    assert "interrupted" in " ".join(p["notes"])
    del ns["big"]
    assert watch() is None


def test_system_exit_while_reading_becomes_a_note(
    monkeypatch: pytest.MonkeyPatch, validate: Any
) -> None:
    import redpill.payload as payload

    def exit_now(*args: Any, **kwargs: Any) -> Any:
        raise SystemExit(3)

    monkeypatch.setattr(payload, "_read_objects", exit_now)
    ns: dict[str, Any] = {}
    pending = before_cell(ns, "x = 1", "x = 1", Options())
    ns["x"] = 1
    p = validate(after_cell(pending, ns)[MIME])
    assert "could not read" in p["notes"][0] and "SystemExit" in p["notes"][0]


def _bundle_of(src: str) -> dict[str, Any]:
    """The display bundle of ``src`` run as a cell in a namespace of its own."""
    ns: dict[str, Any] = {}
    pending = before_cell(ns, src, src, Options())
    exec(src, ns)
    return after_cell(pending, ns)


@pytest.mark.parametrize(
    "src",
    [
        "s = 'a\\ud800b'",
        "globals()['\\udc00name'] = 1",
        "class C:\n    pass\nc = C()\nsetattr(c, '\\udfff', 2)",
        "d = {'\\ud801': 3}",
        "import types\nm = types.ModuleType('\\ud802', '\\ud803 doc')",
    ],
)
def test_every_string_sent_is_encodable(src: str, validate: Any) -> None:
    bundle = _bundle_of(src)
    text = json.dumps(bundle, ensure_ascii=False)
    text.encode("utf-8")  # the message can be sent
    validate(bundle[MIME])
    assert bundle[MIME]["names"], "the picture was drawn"


@pytest.mark.parametrize(
    "src",
    [
        "K = type('K', (), {'__module__': 'm' * 10**6})\nk = K()",
        "globals()['n' * 10**6] = 1042",
        "shared = object()\nfor i in range(10**5):\n    globals()[f'v{i}'] = shared",
        # 100 objects, each held by 60 names of 195 characters
        "objs = [[i] for i in range(100)]\n"
        "for j in range(60):\n"
        "    for i in range(100):\n"
        "        globals()['h' * 190 + f'{j}_{i}'] = objs[i]",
        "s = '\\x00' * 10**6",
        "d = {('k' * 5000 + str(i)): i for i in range(200)}",
    ],
)
def test_one_output_stays_within_the_budget(src: str, validate: Any) -> None:
    bundle = _bundle_of(src)
    validate(bundle[MIME])
    size = len(json.dumps(bundle, ensure_ascii=False))
    assert size < 1_000_000
    assert size <= OUTPUT_BUDGET + 10_000


def test_huge_arguments_are_lowered_to_the_bounds(validate: Any) -> None:
    ns: dict[str, Any] = {}
    p = run_cell(
        ns,
        "x = ['a' * 10**6] * 3\nb = bytes(10**6)",
        max_text=10**9,
        max_items=10**9,
        max_objects=10**9,
        depth=10**6,
        max_bytes=10**9,
    )
    validate(p)
    opts = p["options"]
    assert opts["max_text"] <= 10_000 and opts["max_items"] <= 10_000
    assert opts["max_objects"] <= 10_000 and opts["depth"] <= 100
    assert opts["max_bytes"] == 65_536
    assert max(len(o["memory"]["hex"]) for o in p["objects"] if "memory" in o) == 2 * 65_536


def test_a_class_with_thousands_of_slots_is_read_in_part(validate: Any) -> None:
    ns: dict[str, Any] = {}
    src = (
        "Many = type('Many', (), {'__slots__': tuple(f's{i}' for i in range(20_000))})\nm = Many()"
    )
    p = validate(run_cell(ns, src, max_items=50))
    (m,) = [o for o in p["objects"] if o["type"] == "Many"]
    assert len(m["instance"]["attributes"]) == 50
    assert any("20,000 __slots__ members, the first 50 read" in n for n in p["notes"])
    assert len(json.dumps(p)) < 200_000
    # at the largest --max-items, the C fields stay within the schema's bound too
    q = validate(run_cell(ns, "m2 = Many()", max_items=10**9))
    (m2,) = [o for o in q["objects"] if o["type"] == "Many"]
    assert len(m2["instance"]["attributes"]) == 10_000
    assert len(m2["fields"]) <= 1_000
