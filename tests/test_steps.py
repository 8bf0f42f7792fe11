"""``%%redpill --steps``: a snapshot after every top-level statement, through a real kernel
(and the pure recorder, for the interpreters without ipykernel)."""

from __future__ import annotations

import re
import sys
from typing import Any

import pytest
from helpers import Kernel

from redpill.interp import CURRENT
from redpill.names import id_snapshot
from redpill.options import Options
from redpill.steps import StepRecorder, cell_statements, freed_objects, run_statements

#: An int that is not immortal: free-threaded 3.13 makes code constants immortal once a
#: second thread runs, so there it is made at run time.
N = "int('1042')" if CURRENT.free_threaded else "1042"
THREE = f"%%redpill --steps\na = {N}\nb = a\ndel a\n"


def refcounts(p: dict[str, Any], name: str) -> list[int | None]:
    """The refcount of the object ``name`` holds after each step (None: not bound)."""
    out: list[int | None] = []
    for st in p["steps"]:
        (addr,) = [b["object"] for b in st["names"] if b["name"] == name] or [None]
        refs = {r["address"]: r for r in st["objects"]}
        out.append(refs[addr]["refcount"] if addr else None)
    return out


def step_entry(p: dict[str, Any], k: int, address: str) -> dict[str, Any]:
    """Step ``k``'s object at ``address``: the shared entry merged with the step's values."""
    (ref,) = [r for r in p["steps"][k]["objects"] if r["address"] == address]
    (base,) = [
        o for o in p["step_objects"] if o["address"] == address and o["version"] == ref["version"]
    ]
    merged = {**base, **{k: v for k, v in ref.items() if k != "fields"}}
    changed = {f["name"]: f for f in ref.get("fields", [])}
    merged["fields"] = [{**f, **changed.get(f["name"], {})} for f in base.get("fields", [])]
    return merged


# ------------------------------------------------------------------------------ pure
def test_recorder_without_ipython(validate: Any) -> None:
    src = f"a = {N}\nb = a\ndel a\n"
    ns: dict[str, Any] = {}
    rec = StepRecorder(id_snapshot(ns), Options(), source=src, transformed=src)
    run_statements(rec, cell_statements(src) or [], ns)
    p = {"schema_version": 1, **rec.to_payload()}
    assert [s["lines"] for s in p["steps"]] == [[1, 1], [2, 2], [3, 3]]
    assert refcounts(p, "b") == [None, 2, 1]
    assert refcounts(p, "a") == [1, 2, None]
    assert p["steps"][2]["deleted"] == ["a"]
    assert len(p["step_objects"]) == 1  # one int, stored once


def test_recorder_exception_keeps_earlier_steps() -> None:
    src = "x = [1]\nraise KeyError('k')\ny = 2\n"
    ns: dict[str, Any] = {}
    rec = StepRecorder(id_snapshot(ns), Options(), source=src, transformed=src)
    with pytest.raises(KeyError):
        run_statements(rec, cell_statements(src) or [], ns)
    assert [s.get("error") for s in rec.steps] == [None, "KeyError"]
    assert "y" not in ns


def test_freed_needs_every_reference_accounted_for() -> None:
    prev = {
        "0x10": {"holders": [{"name": "a"}], "unexplained": 0, "immortal": False},
        "0x20": {"holders": [{"object": "0x10", "via": "[0]"}], "unexplained": 0},
        "0x30": {"holders": [{"name": "c"}], "unexplained": 1},  # someone else holds it
        "0x40": {"holders": [{"name": "d"}], "unexplained": 0},  # still bound (by e)
    }
    assert freed_objects(prev, {}, {"0x40": ["e"]}) == ["0x10", "0x20"]


# ------------------------------------------------------------------------------ kernel
@pytest.mark.kernel
def test_refcount_timeline(kernel: Kernel, validate: Any) -> None:
    ex = kernel.ok(THREE)
    p = validate(ex.payload)
    assert p["source"] == THREE
    assert [s["lines"] for s in p["steps"]] == [[2, 2], [3, 3], [4, 4]]
    assert [s["columns"] for s in p["steps"]] == [[0, len(f"a = {N}")], [0, 5], [0, 5]]
    assert refcounts(p, "a") == [1, 2, None]
    assert refcounts(p, "b") == [None, 2, 1]
    assert [s["deleted"] for s in p["steps"]] == [[], [], ["a"]]
    addr = p["steps"][0]["names"][0]["object"]
    assert p["steps"][0]["new"] == [addr]
    assert [s["refcount_changes"] for s in p["steps"][1:]] == [
        [{"address": addr, "before": 1, "after": 2}],
        [{"address": addr, "before": 2, "after": 1}],
    ]
    # the int is stored once; the steps carry only its counts (and the changed header)
    assert [(o["address"], o["version"]) for o in p["step_objects"]] == [(addr, 0)]
    e = step_entry(p, 1, addr)
    header = [f for f in e["fields"] if f["name"] in ("ob_refcnt", "ob_ref_local")]
    assert header and e["refcount"] == 2
    # the final state is the top-level picture, as without --steps
    assert [b["name"] for b in p["names"]] == ["b"]
    (final,) = p["objects"]
    assert final["address"] == addr and final["refcount"] == 1
    # and the truth, independently
    assert kernel.value("__import__('sys').getrefcount(b) - 1") == 1
    assert kernel.value("'a' in globals()") is False


@pytest.mark.kernel
def test_statements_on_one_line(kernel: Kernel, validate: Any) -> None:
    line = f"c = {N}; d = c; del c"
    p = validate(kernel.ok(f"%%redpill --steps\n{line}").payload)
    assert [s["lines"] for s in p["steps"]] == [[2, 2]] * 3
    starts = [0, line.index("d ="), line.index("del")]
    ends = [line.index(";"), line.rindex(";"), len(line)]
    assert [s["columns"] for s in p["steps"]] == [list(x) for x in zip(starts, ends, strict=True)]
    assert refcounts(p, "d") == [None, 2, 1]


@pytest.mark.kernel
def test_exception_stops_at_its_step(kernel: Kernel, validate: Any) -> None:
    ex = kernel.execute(
        "%%redpill --steps\nbefore_err = [1]\nraise ValueError('boom')\nnever = 2\n"
    )
    assert ex.status == "error"
    (err,) = ex.errors
    assert err["ename"] == "ValueError"
    tb = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(err["traceback"]))
    assert re.search(r"-*> ?3 raise ValueError", tb), tb
    p = validate(ex.payload)
    assert [(s["lines"], s.get("error")) for s in p["steps"]] == [
        ([2, 2], None),
        ([3, 3], "ValueError"),
    ]
    assert p["error"] == "ValueError"
    assert kernel.value("'never' in globals()") is False


@pytest.mark.kernel
def test_ipython_runs_the_cell_as_usual(kernel: Kernel, validate: Any) -> None:
    kernel.ok("import asyncio")
    cell = (
        "%%redpill --steps\n"
        "import math\n"
        "got = await asyncio.sleep(0, result=[7])\n"
        "%time timed = [8]\n"
        "!echo steps-shell-hi\n"
        "got\n"
    )
    ex = kernel.ok(cell)
    p = validate(ex.payload)
    assert "steps-shell-hi" in ex.stdout
    (res,) = ex.results
    assert res["data"]["text/plain"] == "[7]"
    assert kernel.value(f"Out[{res['execution_count']}] is got") is True
    assert [s["lines"] for s in p["steps"]] == [[2, 2], [3, 3], [4, 4], [5, 5], [6, 6]]
    assert [b["name"] for b in p["steps"][2]["names"]] == ["math", "got", "timed"]
    assert "columns" not in p["steps"][2]  # IPython rewrote the %time line
    # the cell-cutting wrapper is gone afterwards, and plain cells are untouched
    assert kernel.value("'run_ast_nodes' in vars(get_ipython())") is False
    plain = kernel.ok("1 + 1")
    assert not plain.payloads and plain.results


@pytest.mark.kernel
def test_interactivity_all(kernel: Kernel) -> None:
    kernel.ok("get_ipython().ast_node_interactivity = 'all'")
    try:
        ex = kernel.ok("%%redpill --steps\nxi = 1\nxi + 1\nxi + 2")
        assert [r["data"]["text/plain"] for r in ex.results] == ["2", "3"]
        assert len(ex.payload["steps"]) == 3
    finally:
        kernel.ok("get_ipython().ast_node_interactivity = 'last_expr'")


@pytest.mark.kernel
def test_loops_are_stepped_line_by_line(kernel: Kernel) -> None:
    ex = kernel.ok(
        "%%redpill --steps\nimport sys\ntraced = sys.gettrace()\n"
        "total = 0\nfor i in range(100000):\n    total += i\n"
    )
    p = ex.payload
    lines = [s["lines"][0] for s in p["steps"]]
    assert lines[:6] == [2, 3, 4, 5, 6, 5]  # into the loop, up to the cap
    # up to the cap, or to the size budget of the steps (the note says which)
    assert len(lines) == p["options"]["max_steps"] or any("size budget" in n for n in p["notes"])
    assert kernel.value("total") == sum(range(100000))
    # 3.12+: sys.monitoring (no trace function, even while the cell runs); none afterwards
    assert kernel.value("traced is None") is (sys.version_info >= (3, 12))
    assert kernel.value("__import__('sys').gettrace() is None") is True


@pytest.mark.kernel
def test_shared_objects_and_versions(kernel: Kernel, validate: Any) -> None:
    p = validate(
        kernel.ok("%%redpill --steps\nxs = [1042]\nxs.append(2042)\nys = xs\ndel xs, ys").payload
    )
    addr = p["steps"][0]["names"][0]["object"]
    versions = [o["version"] for o in p["step_objects"] if o["address"] == addr]
    assert versions == [0, 1]  # changed once (the append), not per step
    assert [r["version"] for s in p["steps"][:3] for r in s["objects"] if r["address"] == addr] == [
        0,
        1,
        1,
    ]
    # each object entry appears once per version: nothing is repeated per step
    keys = [(o["address"], o["version"]) for o in p["step_objects"]]
    assert len(keys) == len(set(keys))
    assert addr in p["steps"][3]["freed"]
    assert p["steps"][3]["deleted"] == ["xs", "ys"]


@pytest.mark.kernel
def test_max_steps(kernel: Kernel, validate: Any) -> None:
    p = validate(
        kernel.ok("%%redpill --steps --max-steps 2\ns1 = 1\ns2 = 2\ns3 = 3\ns4 = 4").payload
    )
    assert len(p["steps"]) == 2
    counts = p["step_counts"]
    assert counts["recorded"] == 2 and counts["exact"] is False and counts["executed"] >= 2
    assert [b["name"] for b in p["names"]] == ["s1", "s2", "s3", "s4"]
    assert kernel.value("s4") == 4


@pytest.mark.kernel
def test_huge_max_steps_is_lowered_to_its_bound(kernel: Kernel, validate: Any) -> None:
    p = validate(kernel.ok("%%redpill --steps --max-steps 99999999999\nbig_cap = 1").payload)
    assert p["options"]["max_steps"] == 10_000


@pytest.mark.kernel
def test_direct_call_steps(kernel: Kernel, validate: Any) -> None:
    body = f"e = {N}\\nf = e\\ndel e"
    ex = kernel.ok(f'get_ipython().run_cell_magic("redpill", "--steps", "{body}")')
    p = validate(ex.payload)
    assert [s["lines"] for s in p["steps"]] == [[1, 1], [2, 2], [3, 3]]
    assert refcounts(p, "f") == [None, 2, 1]


@pytest.mark.kernel
def test_hostile_objects_in_steps(kernel: Kernel, validate: Any) -> None:
    from test_kernel_magic import HOSTILE

    kernel.ok(HOSTILE)
    ex = kernel.ok("%%redpill --steps\nhh = Hostile()\nhl = [hh, hh]\ndel hh")
    p = validate(ex.payload)
    assert len(p["steps"]) == 3
    assert "RuntimeError" not in ex.stderr
    assert kernel.value("len(hl)") == 2


@pytest.mark.kernel
def test_namespace_same_as_without_the_magic(kernel: Kernel) -> None:
    body = "nm1 = [1, 2]\nnm2 = {'k': nm1}\ndel nm1\nnm3 = nm2['k']\n"
    probe = "sorted((k, type(v).__name__, repr(v)) for k, v in globals().items() if k[:2] == 'nm')"
    kernel.ok(body)
    plain = kernel.value(probe)
    kernel.ok("del nm2, nm3")
    kernel.ok("%%redpill --steps\n" + body)
    assert kernel.value(probe) == plain
    assert kernel.value("__import__('sys').getrefcount(nm3) - 1") == 2


@pytest.mark.kernel
def test_syntax_error_and_bad_arguments(kernel: Kernel) -> None:
    ex = kernel.execute("%%redpill --steps\nok_before = 1\nbroken = (")
    assert ex.status == "error" and not ex.payloads
    assert kernel.value("'ok_before' in globals()") is False
    assert kernel.value("'run_ast_nodes' in vars(get_ipython())") is False
    ex = kernel.execute("%%redpill --steps --max-steps 0\nnot_run_steps = 1")
    assert ex.status == "error" and not ex.payloads
    assert kernel.value("'not_run_steps' in globals()") is False


def test_steps_do_not_count_the_collectors_names(kernel: Kernel) -> None:
    """``label = "step_age"`` next to a variable ``step_age``: the interned string is
    also held by the recorder's name lists, which are not the program's references."""
    ex = kernel.ok('%%redpill --steps\nstep_age = 1\nstep_label = "step_age"')
    p = ex.payload
    (final,) = [o for o in p["objects"] if o.get("repr") == "'step_age'"]
    if final["immortal"]:
        pytest.skip(
            "interned strings are immortal here (CPython 3.12+): their count never changes,"
            " so there is no count to compare"
        )
    # the kernel's last snapshot (kept for --diff) names step_age too: drop it, then count
    kernel.ok("get_ipython().magics_manager.registry['RedpillMagics'].history.forget()")
    truth = kernel.value("__import__('sys').getrefcount(step_label) - 1")
    assert final["refcount"] == truth
    assert refcounts(p, "step_label")[-1] == truth
