"""``%%redpill --steps`` line by line: every executed line of the cell's own code, with
the frames of the calls it makes (sys.monitoring on 3.12+, sys.settrace on 3.11),
through a real kernel, and the pure recorder where no ipykernel runs (3.14, 3.15)."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from helpers import MIME, Kernel

from redpill.interp import CURRENT
from redpill.names import id_snapshot
from redpill.options import Options
from redpill.steps import StepRecorder, cell_statements, run_statements
from redpill.structs import facts

MONITORING = sys.version_info >= (3, 12)

FACT = (
    "def fact(n):\n"
    "    box = [n]\n"
    "    if n <= 1:\n"
    "        return 1\n"
    "    return n * fact(n - 1)\n"
    "r = fact(4)\n"
)


def merged(p: dict[str, Any], k: int) -> dict[str, dict[str, Any]]:
    """Step ``k``'s objects by address: the stored version merged with the step's values."""
    table = {(o["address"], o["version"]): o for o in p["step_objects"]}
    return {
        r["address"]: {**table[(r["address"], r["version"])], **r} for r in p["steps"][k]["objects"]
    }


def local(p: dict[str, Any], k: int, frame: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The object a frame's local ``name`` holds at step ``k`` (None: unbound)."""
    objs = merged(p, k)
    for b in frame["names"]:
        if b["name"] == name:
            return objs[b["object"]]
    return None


def global_value(p: dict[str, Any], k: int, name: str) -> str | None:
    objs = merged(p, k)
    for b in p["steps"][k]["names"]:
        if b["name"] == name:
            return objs[b["object"]].get("repr")
    return None


def depths(p: dict[str, Any]) -> list[int]:
    return [len([f for f in s["frames"] if f.get("state") != "suspended"]) for s in p["steps"]]


def check_recursion(p: dict[str, Any]) -> None:
    """fact(4): 1 -> 4 -> 1 frames, each with its own n and box, boxes held by one frame."""
    d = depths(p)
    top = d.index(4)
    assert d[top:].count(4) >= 1 and max(d) == 4
    # up one call at a time, then down one return at a time
    rising = [x for i, x in enumerate(d[: top + 1]) if i == 0 or x != d[i - 1]]
    falling = [x for i, x in enumerate(d[top:]) if i == 0 or x != d[top + i - 1]]
    assert rising == [0, 1, 2, 3, 4] and falling == [4, 3, 2, 1, 0], d
    for k, s in enumerate(p["steps"]):
        calls = [f["call"] for f in s["frames"]]
        assert calls == sorted(calls) and len(set(calls)) == len(calls)
        for depth, f in enumerate(s["frames"]):
            assert f["function"] == "fact"
            n = local(p, k, f, "n")
            assert n is not None and n["repr"] == str(4 - depth)  # the arguments are bound
            box = local(p, k, f, "box")
            if box is not None:  # a fresh list: the frame's local is its only reference
                assert box["refcount"] == 1, (k, f, box)
                assert box["holders"] == [{"frame": f["call"], "function": "fact", "name": "box"}]
                assert box["unexplained"] == 0
    # a frame keeps its call number while it is active; returns carry the value
    returns = [s for s in p["steps"] if s["event"] == "return"]
    assert len(returns) == 4
    values = []
    for s in returns:
        k = p["steps"].index(s)
        values.append(merged(p, k)[s["frames"][-1]["return"]]["repr"])
    assert values == ["1", "2", "6", "24"]
    assert global_value(p, len(p["steps"]) - 1, "r") == "24"


# ------------------------------------------------------------------------------ pure
def record(src: str, ns: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
    ns = {} if ns is None else ns
    rec = StepRecorder(id_snapshot(ns), Options(), source=src, transformed=src, **kw)
    run_statements(rec, cell_statements(src) or [], ns)
    return {"schema_version": 1, **rec.to_payload()}


def test_recursion_without_ipython(validate: Any) -> None:
    ns: dict[str, Any] = {}
    p = record(FACT, ns)
    validate({**p, "interpreter": CURRENT.as_payload(), "names": [], "deleted": [], "objects": []})
    check_recursion({**p, "steps": p["steps"]})
    assert ns["r"] == 24
    assert p["step_counts"]["exact"] is True
    assert sys.gettrace() is None
    if MONITORING:
        assert all(sys.monitoring.get_tool(t) is None for t in (3, 4))


def test_cap_without_ipython() -> None:
    ns: dict[str, Any] = {}
    p = record("s = 0\nfor i in range(1000):\n    s += i\n", ns, max_steps=7)
    assert len(p["steps"]) == 7
    assert p["step_counts"]["recorded"] == 7 and p["step_counts"]["exact"] is False
    assert ns["s"] == sum(range(1000)) and ns["i"] == 999  # the cap never stops the cell
    assert sys.gettrace() is None


def test_a_loop_on_one_line_is_a_step_per_iteration() -> None:
    # a loop or a comprehension on one line jumps back to the line it is on: each
    # iteration is a step (3.11's trace function tells them; 3.12+ by JUMP events)
    ns: dict[str, Any] = {}
    p = record("s = 0\nfor k in range(4): s += k * 1000\nq = [x * 1000 for x in range(3)]\n", ns)
    on = {n: [k for k, st in enumerate(p["steps"]) if st["lines"][0] == n] for n in (2, 3)}
    assert len(on[2]) >= 4 and len(on[3]) >= 3
    seen = [global_value(p, k, "s") for k in on[2]]
    assert [v for v in dict.fromkeys(seen) if v is not None][-4:] == ["0", "1000", "3000", "6000"]
    assert global_value(p, len(p["steps"]) - 1, "q") is not None
    assert ns["s"] == 6000 and ns["q"] == [0, 1000, 2000]


def test_the_size_budget_is_measured_as_the_steps_are_sent(monkeypatch: Any) -> None:
    # the running estimate counts each stored version whole, and they are sent as
    # differences: where it says the budget is reached, the steps are measured as they
    # would be sent, and the recording goes on while the measure leaves room
    import redpill.steps as steps_module
    from redpill.compact import sent_chars

    src = "s = 0\nfor i in range(3000):\n    s += i * 1000\n"
    budget = 40_000
    monkeypatch.setattr(steps_module, "STEPS_BUDGET", budget)

    def run(measures: int) -> tuple[dict[str, Any], list[str]]:
        monkeypatch.setattr(steps_module, "BUDGET_MEASURES", measures)
        ns: dict[str, Any] = {}
        rec = StepRecorder(id_snapshot(ns), Options(), source=src, transformed=src)
        run_statements(rec, cell_statements(src) or [], ns)
        assert ns["s"] == sum(range(3000)) * 1000  # the budget never stops the cell
        return rec.to_payload(), rec.notes

    (estimated, said), (measured, told) = run(0), run(4)
    for notes in (said, told):
        assert any("the steps reached the size budget" in n for n in notes)
    assert len(measured["steps"]) > len(estimated["steps"])
    sent = sent_chars(measured["steps"], measured["step_objects"])
    assert budget * (1 - steps_module.BUDGET_ROOM) < sent <= budget * 1.1
    assert sent_chars(estimated["steps"], estimated["step_objects"]) < sent


def test_returned_and_suspended_objects_count_the_programs_references() -> None:
    src = (
        "def mk():\n    return [1]\n"
        "def gen():\n    item = [2]\n    yield item\n"
        "v = mk()\ng = gen()\nw = next(g)\nlast = 0\n"
    )
    p = record(src)
    (ret, yld) = [k for k, s in enumerate(p["steps"]) if s["event"] == "return"]
    # held by the returning frame's stack alone; the yielded list by the local ``item``
    # too (3.14+ pushes a local onto the stack as a borrowed reference, not counted)
    loaded = 0 if facts().borrowed_references else 1
    for k, program in ((ret, 1), (yld, 1 + loaded)):
        o = merged(p, k)[p["steps"][k]["frames"][-1]["return"]]
        assert o["refcount"] == program, o
    # after the yield: the suspended frame's local and the name w hold the list
    k = len(p["steps"]) - 1
    (f,) = p["steps"][k]["frames"]
    assert f["state"] == "suspended"
    item = local(p, k, f, "item")
    assert item is not None and item["refcount"] == 2 and item["unexplained"] == 0
    assert {json.dumps(h, sort_keys=True) for h in item["holders"]} == {
        json.dumps({"frame": f["call"], "function": "gen", "name": "item"}, sort_keys=True),
        json.dumps({"name": "w"}),
    }


# ------------------------------------------------------------------------------ kernel
@pytest.mark.kernel
def test_recursive_factorial(kernel: Kernel, validate: Any) -> None:
    ex = kernel.ok("%%redpill --steps\n" + FACT)
    p = validate(ex.payload)
    # line numbers of the cell (the %%redpill line is line 1): shifted by one
    check_recursion(p)
    assert {s["event"] for s in p["steps"]} == {"line", "call", "return"}
    for s in p["steps"]:
        for f in s["frames"]:
            assert 2 <= f["line"] <= 6
    assert kernel.value("r") == 24


@pytest.mark.kernel
def test_loop_rebinds_i_line_by_line(kernel: Kernel, validate: Any) -> None:
    p = validate(
        kernel.ok("%%redpill --steps\ntot = 0\nfor i in range(3):\n    tot += i\n").payload
    )
    lines = [s["lines"][0] for s in p["steps"]]
    assert lines == [2, 3, 4, 3, 4, 3, 4, 3]
    seen_i = [global_value(p, k, "i") for k in range(len(p["steps"]))]
    assert seen_i == [None, "0", "0", "1", "1", "2", "2", "2"]
    seen_tot = [global_value(p, k, "tot") for k in range(len(p["steps"]))]
    assert seen_tot == ["0", "0", "0", "0", "1", "1", "3", "3"]
    assert all(s["event"] == "line" and s["frames"] == [] for s in p["steps"])
    assert p["step_counts"] == {"recorded": 8, "executed": 8, "exact": True}


@pytest.mark.kernel
def test_generator_shows_its_suspended_frame(kernel: Kernel, validate: Any) -> None:
    cell = (
        "%%redpill --steps\n"
        "def squares(k):\n"
        "    for j in range(k):\n"
        "        yield j * 1000 + 7\n"
        "g = squares(3)\n"
        "first = next(g)\n"
        "second = next(g)\n"
    )
    p = validate(kernel.ok(cell).payload)
    after_first = [k for k, s in enumerate(p["steps"]) if s["lines"] == [6, 6]]
    (k,) = after_first
    (f,) = p["steps"][k]["frames"]
    assert f["state"] == "suspended" and f["function"] == "squares"
    assert local(p, k, f, "j")["repr"] == "0"  # type: ignore[index]
    # the yield is a return step of the active frame, with the yielded list
    yields = [s for s in p["steps"] if s["event"] == "return"]
    assert [merged(p, p["steps"].index(s))[s["frames"][-1]["return"]]["repr"] for s in yields] == [
        "7",
        "1007",
    ]
    # the same call number while suspended and resumed
    calls = {f["call"] for s in p["steps"] for f in s["frames"]}
    assert calls == {f["call"]}
    assert kernel.value("second") == 1007


@pytest.mark.kernel
def test_exception_unwinds_the_frames(kernel: Kernel, validate: Any) -> None:
    cell = (
        "%%redpill --steps\n"
        "def inner(x):\n"
        "    raise ValueError(f'bad {x}')\n"
        "def outer(y):\n"
        "    return inner(y)\n"
        "try:\n"
        "    outer(5)\n"
        "except ValueError as err:\n"
        "    msg = str(err)\n"
    )
    p = validate(kernel.ok(cell).payload)
    raised = [s for s in p["steps"] if s["event"] == "exception"]
    assert [[f["function"] for f in s["frames"]] for s in raised] == [
        ["outer", "inner"],
        ["outer"],
        [],
    ]
    assert [s["lines"][0] for s in raised] == [3, 5, 7]
    assert all(
        s["exception"] == {"type": "ValueError", "message": "bad 5", "caught": True} for s in raised
    )
    last = p["steps"][-1]
    assert last["frames"] == [] and global_value(p, len(p["steps"]) - 1, "msg") == "'bad 5'"
    assert kernel.value("msg") == "bad 5"


@pytest.mark.kernel
def test_uncaught_exception(kernel: Kernel, validate: Any) -> None:
    cell = (
        "%%redpill --steps\ndef boom():\n    raise KeyError('k')\nbefore = 1\nboom()\nafter = 2\n"
    )
    ex = kernel.execute(cell)
    assert ex.status == "error" and ex.errors[0]["ename"] == "KeyError"
    p = validate(ex.payload)
    raised = [s for s in p["steps"] if s["event"] == "exception"]
    assert [len(s["frames"]) for s in raised] == [1, 0]
    assert all(s["exception"]["caught"] is False for s in raised)
    assert p["steps"][-1]["error"] == "KeyError" and p["error"] == "KeyError"
    assert kernel.value("'after' in globals()") is False


@pytest.mark.kernel
def test_stdout_per_step_and_library_code_not_stepped(kernel: Kernel, validate: Any) -> None:
    cell = (
        "%%redpill --steps\n"
        "import json\n"
        "def shout(word):\n"
        "    print(word.upper())\n"
        "    return word\n"
        "text = json.dumps({'k': 1}, default=lambda o: o)\n"
        "keys = sorted(['b', 'a'], key=lambda s: shout(s))\n"
        "print('done')\n"
    )
    ex = kernel.ok(cell)
    assert ex.stdout == "B\nA\ndone\n"  # the user sees what a plain run prints
    p = validate(ex.payload)
    printed = [s.get("stdout") for s in p["steps"] if s.get("stdout")]
    assert printed == ["B\n", "A\n", "done\n"]
    functions = {f["function"] for s in p["steps"] for f in s["frames"]}
    assert functions == {"shout", "<lambda>"}  # never json's or sorted's own code
    assert all(2 <= s["lines"][0] <= 8 for s in p["steps"])


PLAIN_RUN_CELLS = {
    "loops": "lp_a = []\nfor lp_i in range(4):\n    if lp_i % 2:\n        continue\n"
    "    lp_a.append(lp_i)\nwhile lp_a:\n    lp_b = lp_a.pop()\n",
    "recursion": "def rc_f(n):\n    return n if n < 2 else rc_f(n - 1) + rc_f(n - 2)\n"
    "rc_v = rc_f(7)\nprint(rc_v)\n",
    "generators": "def gn_g(n):\n    for x in range(n):\n        yield x * 2\n"
    "gn_l = list(gn_g(4))\ngn_s = sum(y for y in gn_g(3))\ngn_c = [z + 1 for z in gn_l]\n",
    "caught": "def ct_f():\n    try:\n        1 / 0\n    except ZeroDivisionError as e:\n"
    "        return type(e).__name__\nct_v = ct_f()\n",
    "del": "dl_a = [1]\ndl_b = dl_a\ndel dl_a\ndef dl_f():\n    x = 1\n    del x\n    return 2\n"
    "dl_v = dl_f()\n",
    "global-nonlocal": "gl_n = 0\ndef gl_f():\n    global gl_n\n    gl_n += 1\n"
    "    def inner():\n        nonlocal k\n        k += 10\n    k = 1\n    inner()\n"
    "    return k\ngl_v = gl_f()\n",
    "await": "import asyncio\nasync def aw_f(x):\n    await asyncio.sleep(0)\n    return x + 1\n"
    "aw_v = await aw_f(1)\nprint(aw_v)\n",
    "class": "class Cl_P:\n    def __init__(self, v):\n        self.v = v\n"
    "    def double(self):\n        return Cl_P(self.v * 2)\ncl_p = Cl_P(3).double()\n",
}

PROBE = (
    "sorted((k, type(v).__name__, repr(v) if not callable(v) else '') for k, v in "
    "globals().items() if k[:3] in {prefixes})"
)


@pytest.mark.kernel
@pytest.mark.parametrize("case", sorted(PLAIN_RUN_CELLS))
def test_same_as_a_plain_run(kernel: Kernel, validate: Any, case: str) -> None:
    body = PLAIN_RUN_CELLS[case]
    prefix = body[:3]
    probe = PROBE.format(prefixes=repr({prefix}))
    plain = kernel.ok(body)
    plain_ns = kernel.value(probe)
    kernel.ok(f"for _k in [k for k in globals() if k[:3] == {prefix!r}]: del globals()[_k]")
    stepped = kernel.ok("%%redpill --steps\n" + body)
    assert stepped.stdout == plain.stdout
    assert kernel.value(probe) == plain_ns
    p = validate(stepped.payload)
    # line by line, not one step per top-level statement
    assert len(p["steps"]) > len(cell_statements(body) or [])
    assert kernel.value("__import__('sys').gettrace() is None") is True


@pytest.mark.kernel
def test_uncaught_error_same_as_plain_run(kernel: Kernel) -> None:
    body = "def ue_f(d):\n    return d['missing']\nue_a = 1\nue_f({})\nue_b = 2\n"
    plain = kernel.execute(body)
    kernel.ok("del ue_a, ue_f")
    stepped = kernel.execute("%%redpill --steps\n" + body)
    assert (
        [e["ename"] for e in stepped.errors] == [e["ename"] for e in plain.errors] == ["KeyError"]
    )
    assert kernel.value("sorted(k for k in globals() if k[:3] == 'ue_')") == ["ue_a", "ue_f"]


@pytest.mark.kernel
def test_the_size_budget_before_the_cap_is_said(kernel: Kernel, validate: Any) -> None:
    # each step makes 40 new ints, each stored as a version of its own: the steps' size
    # budget ends the recording long before the cap of 300; the note says where it
    # stopped, not "the cap"
    ex = kernel.ok(
        "%%redpill --steps\nfor k in range(1000):\n    t = list(range(k * 1000, k * 1000 + 40))\n"
        "f = 6765\n"
    )
    p = validate(ex.payload)
    counts = p["step_counts"]
    assert counts["exact"] is False and counts["recorded"] == len(p["steps"]) < 300
    notes = " ".join(p["notes"])
    assert "the steps reached the size budget" in notes
    assert (
        f"{counts['recorded']} steps recorded (calls and returns are steps too), then the cell "
        "ran on at full speed after the last recorded step: more than" in notes
    )
    assert kernel.value("f") == 6765 and kernel.value("t[-1]") == 999_039


@pytest.mark.kernel
def test_cap_limits_what_is_recorded_not_what_runs(kernel: Kernel, validate: Any) -> None:
    ex = kernel.ok(
        "%%redpill --steps --max-steps 10\nimport sys\ncs = 0\nfor ci in range(5000):\n"
        "    cs += ci\n"
        "left_on = sys.gettrace() is not None or (sys.version_info >= (3, 12) and any("
        "sys.monitoring.get_tool(t) is not None for t in (3, 4)))\n"
    )
    p = validate(ex.payload)
    assert len(p["steps"]) == 10
    counts = p["step_counts"]
    assert counts["recorded"] == 10 and counts["exact"] is False and counts["executed"] >= 10
    assert (
        "10 steps recorded (calls and returns are steps too), then the cell ran on at "
        "full speed after the cap (--max-steps 10): more than" in " ".join(p["notes"])
    )
    assert "more than" in ex.bundles[0]["text/plain"]
    assert kernel.value("cs") == sum(range(5000)) and kernel.value("ci") == 4999
    assert kernel.value("left_on") is False  # freed at the cap, while the cell still ran
    if MONITORING:
        assert kernel.value("[sys.monitoring.get_tool(t) for t in (3, 4)]") == [None, None]
    else:
        assert kernel.value("__import__('sys').gettrace() is None") is True


@pytest.mark.kernel
def test_three_hundred_steps_stay_under_a_megabyte(kernel: Kernel, validate: Any) -> None:
    ex = kernel.ok(
        "%%redpill --steps --max-steps 300\nmb_s = 0\nmb_l = []\nfor mb_i in range(1000):\n"
        "    mb_s += mb_i\n    mb_l.append(mb_s)\n"
    )
    p = validate(ex.payload)
    assert len(p["steps"]) == 300 or any("size budget" in n for n in p.get("notes", []))
    assert len(json.dumps(ex.bundles[0])) < 1_000_000


@pytest.mark.kernel
@pytest.mark.skipif(not MONITORING, reason="sys.monitoring is CPython 3.12+")
def test_coexists_with_another_monitoring_tool(kernel: Kernel, validate: Any) -> None:
    kernel.ok(
        "import sys as _ms\n"
        "_ms.monitoring.use_tool_id(_ms.monitoring.COVERAGE_ID, 'test coverage')\n"
        "other_lines = []\n"
        "_ms.monitoring.register_callback(_ms.monitoring.COVERAGE_ID, _ms.monitoring.events.LINE,"
        " lambda code, line: other_lines.append(line) if code.co_name == 'co_f' else None)\n"
        "_ms.monitoring.set_events(_ms.monitoring.COVERAGE_ID, _ms.monitoring.events.LINE)\n"
    )
    try:
        p = validate(
            kernel.ok(
                "%%redpill --steps\ndef co_f(x):\n    y = x + 1\n    return y\nco_v = co_f(1)\n"
            ).payload
        )
        assert [f["function"] for s in p["steps"] for f in s["frames"]][:1] == ["co_f"]
        assert kernel.value("other_lines") == [3, 4]  # the other tool saw co_f's lines too
        assert kernel.value("_ms.monitoring.get_tool(_ms.monitoring.COVERAGE_ID)") == (
            "test coverage"
        )
    finally:
        kernel.ok(
            "_ms.monitoring.set_events(_ms.monitoring.COVERAGE_ID, 0)\n"
            "_ms.monitoring.register_callback(_ms.monitoring.COVERAGE_ID,"
            " _ms.monitoring.events.LINE, None)\n"
            "_ms.monitoring.free_tool_id(_ms.monitoring.COVERAGE_ID)\n"
        )


@pytest.mark.kernel
@pytest.mark.skipif(not MONITORING, reason="sys.monitoring is CPython 3.12+")
def test_every_tool_id_taken_steps_by_statement(kernel: Kernel, validate: Any) -> None:
    kernel.ok("import sys as _mt\nfor _t in (3, 4): _mt.monitoring.use_tool_id(_t, 'other')")
    try:
        p = validate(
            kernel.ok("%%redpill --steps\ndef tk_f():\n    return 1\ntk_v = tk_f()\n").payload
        )
        assert [s["lines"] for s in p["steps"]] == [[2, 3], [4, 4]]
        assert any("tool id" in n for n in p["notes"])
        assert kernel.value("[_mt.monitoring.get_tool(t) for t in (3, 4)]") == ["other"] * 2
    finally:
        kernel.ok("for _t in (3, 4): _mt.monitoring.free_tool_id(_t)")


@pytest.mark.kernel
def test_hidden_names_are_not_drawn_in_frames(kernel: Kernel, validate: Any) -> None:
    kernel.ok("%redpill_config hide_names=secret")
    try:
        p = validate(
            kernel.ok(
                "%%redpill --steps\ndef hn_f(secret):\n    shown = secret + 1\n    return shown\n"
                "hn_v = hn_f(1)\n"
            ).payload
        )
        names = {b["name"] for s in p["steps"] for f in s["frames"] for b in f["names"]}
        assert names == {"shown"}
    finally:
        kernel.ok("%redpill_config reset")


@pytest.mark.kernel
@pytest.mark.skipif(MONITORING, reason="3.11: steps through sys.settrace")
def test_another_trace_function_is_left_alone(kernel: Kernel, validate: Any) -> None:
    kernel.ok(
        "import sys as _ts\nseen_calls = []\n"
        "def _other(frame, event, arg):\n"
        "    if frame.f_code.co_name == 'tr_f': seen_calls.append(event)\n"
        "    return None\n"
        "_ts.settrace(_other)\n"
    )
    try:
        p = validate(
            kernel.ok("%%redpill --steps\ndef tr_f():\n    return 1\ntr_v = tr_f()\n").payload
        )
        # no second trace function: a step per top-level statement, the other one kept
        assert [s["lines"] for s in p["steps"]] == [[2, 3], [4, 4]]
        assert "call" in kernel.value("seen_calls")
        assert any("another trace function" in n for n in p["notes"])
        assert kernel.value("_ts.gettrace() is _other") is True
    finally:
        kernel.ok("_ts.settrace(None)")


@pytest.mark.kernel
def test_quiz_about_a_frame(kernel: Kernel, validate: Any) -> None:
    ex = kernel.ok(
        "%%redpill --steps --quiz refcount\n"
        "def qz_f(n):\n    qz_box = [n]\n    if n:\n        return qz_f(n - 1)\n    return 0\n"
        "qz_v = qz_f(2)\n"
    )
    p = validate(ex.payload)
    framed = [q for q in p["quiz"] if "frame" in q]
    assert framed, p["quiz"]
    for q in framed:
        st = p["steps"][q["step"]]
        (f,) = [f for f in st["frames"] if f["call"] == q["frame"]]
        obj = local(p, q["step"], f, q["name"])
        assert obj is not None and obj["address"] == q["object"]
        assert q["answer"] == obj["refcount"]
        assert f"frame {q['frame']}" in q["prompt"]
    assert [q["id"] for q in p["quiz"]] == [f"q{k}" for k in range(1, len(p["quiz"]) + 1)]


@pytest.mark.kernel
def test_fallbacks_describe_the_final_step(kernel: Kernel) -> None:
    ex = kernel.ok("%%redpill --steps\n" + FACT)
    text = ex.bundles[0]["text/plain"]
    n = len(ex.payload["steps"])
    assert f"steps: {n} recorded, of " in text
    assert f"final step (step {n}, line 7, line)" in text
    html = ex.bundles[0]["text/html"]
    assert f"steps: {n} recorded" in html and MIME in ex.bundles[0]


@pytest.mark.kernel
def test_interrupt_frees_every_event(kernel: Kernel) -> None:
    """A real SIGINT (the kernel manager's interrupt) while the cell loops past the cap."""
    import time

    kc = kernel.kc
    msg_id = kc.execute("%%redpill --steps --max-steps 5\nspin = 0\nwhile True:\n    spin += 1\n")
    time.sleep(3)
    kernel.km.interrupt_kernel()
    deadline = time.monotonic() + 60
    reply = kc.get_shell_msg(timeout=60)
    while reply["parent_header"].get("msg_id") != msg_id and time.monotonic() < deadline:
        reply = kc.get_shell_msg(timeout=60)
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    assert kernel.value("spin > 5") is True  # it ran on at full speed after the cap
    assert kernel.value("__import__('sys').gettrace() is None") is True
    if MONITORING:
        tools = "[__import__('sys').monitoring.get_tool(t) for t in (3, 4)]"
        assert kernel.value(tools) == [None, None]
    # and the next stepped cell records again
    p = kernel.ok("%%redpill --steps\nafter_spin = spin + 1\n").payload
    assert p["step_counts"]["recorded"] == 1


@pytest.mark.kernel
def test_diff_with_frames(kernel: Kernel, validate: Any) -> None:
    kernel.ok("%%redpill\ndf_a = [1]")
    p = validate(
        kernel.ok(
            "%%redpill --steps --diff\ndef df_f(x):\n    return x + [2]\ndf_a = df_f(df_a)\n"
        ).payload
    )
    assert any(s["frames"] for s in p["steps"])
    changed = {n["name"]: n for n in p["diff"]["names"]}
    assert changed["df_a"]["change"] == "rebound"


def test_locals_past_the_object_cap_are_counted() -> None:
    src = "def many():\n    a, b, c, d = [1], [2], [3], [4]\n    return a\nm = many()\n"
    ns: dict[str, Any] = {}
    rec = StepRecorder(
        id_snapshot(ns), Options(max_objects=3), source=src, transformed=src, max_steps=50
    )
    run_statements(rec, cell_statements(src) or [], ns)
    full = [f for s in rec.steps for f in s["frames"] if f.get("truncated")]
    assert full and all(len(f["names"]) + f["truncated"] == 4 for f in full)
