"""The lean recorder of line steps (:mod:`redpill.capture`): each object state read once,
the counts of each step as the picture-per-step recorder gives them, nothing kept.

The picture-per-step recorder still runs where the namespace is not a plain ``dict``
(a ``dict`` subclass here): it is the reference the lean recorder is compared with."""

from __future__ import annotations

import gc
import sys
import sysconfig
import weakref
from typing import Any

from redpill.capture import LeanSteps
from redpill.frames import FrameStepper
from redpill.interp import CURRENT
from redpill.kinds import small_int_range
from redpill.memory import read_bytes
from redpill.names import id_snapshot
from redpill.options import Options
from redpill.payload import ObjectNode, patch_header_bytes
from redpill.steps import StepRecorder, cell_statements, run_statements
from redpill.structs import facts

#: CPython 3.13 free-threaded (it immortalizes functions when a second thread starts).
FREE_THREADED_3_13 = (
    sys.version_info[:2] == (3, 13) and sysconfig.get_config_var("Py_GIL_DISABLED") == 1
)

FACT = (
    "def fact(n):\n"
    "    box = [n]\n"
    "    if n <= 1:\n"
    "        return 1\n"
    "    return n * fact(n - 1)\n"
    "r = fact(4)\n"
    "s = 0\n"
    "for i in range(3):\n"
    "    s += i * 1000\n"
)


class Namespace(dict):  # type: ignore[type-arg]
    """A namespace that is not a plain dict: its cell is drawn by a picture per step."""


def record(src: str, ns: dict[str, Any], **kw: Any) -> dict[str, Any]:
    rec = StepRecorder(id_snapshot(ns), Options(), source=src, transformed=src, **kw)
    run_statements(rec, cell_statements(src) or [], ns)
    return {"schema_version": 1, **rec.to_payload()}


def merged(p: dict[str, Any], k: int) -> list[dict[str, Any]]:
    table = {(o["address"], o["version"]): o for o in p["step_objects"]}
    return [{**table[(r["address"], r["version"])], **r} for r in p["steps"][k]["objects"]]


def shown(o: dict[str, Any]) -> str:
    """An object's value as drawn (a function's repr holds its address: its type instead)."""
    return o["type"] if o["kind"] in ("function", "class", "module") else str(o.get("repr"))


def count(o: dict[str, Any]) -> int | None:
    """The program's references (a small int's, shared by the whole interpreter, is not
    the same from one run to the next before 3.12: left out)."""
    return None if (o.get("int") or {}).get("small_int_cached") else int(o["refcount"])


def counts_by_binding(p: dict[str, Any]) -> list[list[tuple[str, str, int | None]]]:
    """Per step: (who binds it, its value, its program's refcount) for each named object."""
    out = []
    for k, step in enumerate(p["steps"]):
        objs = {o["address"]: o for o in merged(p, k)}
        row = [
            (b["name"], shown(objs[b["object"]]), count(objs[b["object"]])) for b in step["names"]
        ]
        for f in step["frames"]:
            row += [
                (
                    f"{f['call']}:{b['name']}",
                    shown(objs[b["object"]]),
                    count(objs[b["object"]]),
                )
                for b in f["names"]
            ]
        out.append(sorted(row))
    return out


def test_the_lean_recorder_runs_for_a_plain_namespace() -> None:
    rec = StepRecorder({}, Options(), source="x = 1\n", transformed="x = 1\n")
    assert FrameStepper(rec, {}, []).lean is not None
    assert FrameStepper(rec, Namespace(), []).lean is None


def test_counts_per_step_as_the_picture_per_step_recorder(validate: Any) -> None:
    lean = record(FACT, {})
    per_step = record(FACT, Namespace())
    validate(
        {**lean, "interpreter": CURRENT.as_payload(), "names": [], "deleted": [], "objects": []}
    )
    assert [s["lines"] for s in lean["steps"]] == [s["lines"] for s in per_step["steps"]]
    assert [s["event"] for s in lean["steps"]] == [s["event"] for s in per_step["steps"]]
    assert counts_by_binding(lean) == counts_by_binding(per_step)
    # the same objects stored as often (a version per state, not per step)
    assert len(lean["step_objects"]) == len(per_step["step_objects"])
    assert [len(s["objects"]) for s in lean["steps"]] == [
        len(s["objects"]) for s in per_step["steps"]
    ]


def test_the_frames_running_a_function_hold_it() -> None:
    p = record(FACT, {})
    deepest = max(range(len(p["steps"])), key=lambda k: len(p["steps"][k]["frames"]))
    step = p["steps"][deepest]
    fact = next(o for o in merged(p, deepest) if o.get("kind") == "function")
    frames = [h for h in fact["holders"] if h.get("via") == "f_funcobj"]
    assert len(step["frames"]) == 4
    if FREE_THREADED_3_13 and fact["immortal"]:
        # CPython 3.13t makes every function immortal once a second thread has started (an
        # earlier test of the session may have started one): then it is drawn as immortal,
        # and its count explains nothing
        assert fact["refcount"] == fact["refcount_raw"] and not frames
        return
    # the name fact, and each active call of it
    assert fact["refcount"] == 1 + len(step["frames"]) == 5
    assert len(frames) == 4 and fact["unexplained"] == 0


def test_a_mutated_list_shows_each_steps_contents(validate: Any) -> None:
    src = "xs = [1001]\nxs.append(1002)\nxs[0] = 1003\nys = xs\nxs.clear()\n"
    p = record(src, {})
    addr = p["steps"][0]["names"][0]["object"]
    contents = []
    for k in range(len(p["steps"])):
        objs = {o["address"]: o for o in merged(p, k)}
        contents.append([objs[a]["repr"] for a in objs[addr]["items"]])
    assert contents == [["1001"], ["1001", "1002"], ["1003", "1002"], ["1003", "1002"], []]
    versions = [o["version"] for o in p["step_objects"] if o["address"] == addr]
    assert versions == [0, 1, 2, 3]  # ``ys = xs`` changes its count, not its contents
    refcounts = [o["refcount"] for k in range(5) for o in merged(p, k) if o["address"] == addr]
    assert refcounts == [1, 1, 1, 2, 2]


def test_nothing_is_kept_after_the_cell() -> None:
    src = (
        "class K:\n    pass\n"
        "k = K()\nks = [k, (k, 1)]\n"
        "def f(v):\n    w = [v]\n    return w\n"
        "out = f(k)\n"
    )
    ns: dict[str, Any] = {}
    p = record(src, ns)
    assert p["steps"]
    probe = weakref.ref(ns["k"])
    for name in ("k", "ks", "out", "K", "f"):
        del ns[name]
    gc.collect()
    assert probe() is None  # neither the recorder nor the state cache holds it


def test_an_address_taken_again_is_read_again() -> None:
    # each float is freed when the next is made; a new one often takes its address
    src = "v = 0.5\nfor j in range(6):\n    v = v + 1.25\n"
    p = record(src, {})
    for k, step in enumerate(p["steps"]):
        objs = {o["address"]: o for o in merged(p, k)}
        (b,) = [b for b in step["names"] if b["name"] == "v"]
        shown = float(objs[b["object"]]["repr"])
        assert shown in {0.5 + 1.25 * n for n in range(7)}
    last = p["steps"][-1]
    objs = {o["address"]: o for o in merged(p, len(p["steps"]) - 1)}
    (b,) = [b for b in last["names"] if b["name"] == "v"]
    assert objs[b["object"]]["repr"] == repr(0.5 + 1.25 * 6)


def test_lean_steps_are_created_per_cell() -> None:
    rec = StepRecorder({}, Options(), source="", transformed="")
    lean = LeanSteps(rec)
    assert lean.known == {} and lean.cost >= 1


def as_counted(entry: dict[str, Any], o: object, head: bytes | None = None) -> dict[str, Any]:
    e = {**entry, "fields": [dict(f) for f in entry["fields"]], "memory": dict(entry["memory"])}
    patch_header_bytes(e, read_bytes(id(o), facts().header.sizeof) if head is None else head)
    return e


def test_an_int_read_by_analogy_is_read_as_itself() -> None:
    """An int made from the template of its shape equals the reading of the int itself."""
    lean = LeanSteps(StepRecorder({}, Options(), source="", transformed=""))
    values = [100_000, -100_000, 2**30 - 1, 2**30, -(2**30), 2**45 + 7, 2**60 + 5, -(2**61), 10**30]
    values += [2**479 + 3, 2**480 + 3]  # 16 digits (the fields' cap), 17 (no template)
    made = 0
    for v in values:
        other = (abs(v) ^ 2) * (1 if v > 0 else -1)  # the same number of digits
        for o in (other, v):  # the template first
            fp = lean._fingerprint(o, int, [])
            node = ObjectNode(id(o), 0, "", None, 0, {})
            if o is other:
                lean._int_template(lean._read(o, node, fp, [])[0], fp)
                continue
            by_analogy = lean._int_by_analogy(o, node, fp)
            read = lean._read(o, node, fp, [])[0]
            if v.bit_length() > 30 * 16 or not lean.analogy:  # (not on free-threaded builds)
                assert by_analogy is None
                continue
            assert by_analogy is not None, v
            # (the header is shown as it is when the step's count is read: the same for both)
            assert as_counted(by_analogy.entry, o) == as_counted(read.entry, o), v
            made += 1
    assert made == (10 if lean.analogy else 0)


def test_a_small_int_read_by_analogy_is_read_as_itself() -> None:
    """Each int of the small-int cache made from the template of a cached int of its shape
    equals its own reading; a template of the cache's makes no other int, and another
    int's template no int of the cache."""
    lean = LeanSteps(StepRecorder({}, Options(), source="", transformed=""))
    lo, hi = small_int_range()
    made = 0
    for v in range(lo, hi + 1):
        o = int(str(v))  # (the cache's own object)
        fp = lean._fingerprint(o, int, [])
        node = ObjectNode(id(o), 0, "", None, 0, {})
        by_analogy = lean._int_by_analogy(o, node, fp)
        read = lean._read(o, node, fp, [])[0]
        assert (read.entry["int"] or {}).get("small_int_cached")
        if by_analogy is not None:
            # (a small int's count moves as the readings refer to it: one header for both)
            head = read_bytes(id(o), facts().header.sizeof)
            assert as_counted(by_analogy.entry, o, head) == as_counted(read.entry, o, head), v
            made += 1
        lean._int_template(read, fp)
    # (one template per shape: the negatives, zero and the positives of one digit)
    assert made >= (hi - lo + 1) - 3 if lean.analogy else made == 0
    big = hi + 1000  # the shape of a positive small int, not the cache's
    fp = lean._fingerprint(big, int, [])
    k = lean._int_by_analogy(big, ObjectNode(id(big), 0, "", None, 0, {}), fp)
    assert k is None or not k.entry["int"]["small_int_cached"]
    # an int of the cache is never made from the template of a big int of its shape
    other = LeanSteps(StepRecorder({}, Options(), source="", transformed=""))
    fp = other._fingerprint(big, int, [])
    other._int_template(other._read(big, ObjectNode(id(big), 0, "", None, 0, {}), fp, [])[0], fp)
    seven = int("7")
    fp = other._fingerprint(seven, int, [])
    assert other._int_by_analogy(seven, ObjectNode(id(seven), 0, "", None, 0, {}), fp) is None


def test_names_are_looked_up_only_where_every_key_is_a_str(monkeypatch: Any) -> None:
    """A lookup by name compares the namespace's keys with the name: only exact strs may
    be compared (a key of the user's could run its ``__eq__``): a namespace with another
    key is walked instead."""
    import redpill.capture as capture

    looked_up: list[int] = []
    lookup = capture._roots

    def counting(*args: Any) -> Any:
        looked_up.append(1)
        return lookup(*args)

    monkeypatch.setattr(capture, "_roots", counting)
    plain = record("x = [1]\ny = x\n", {})
    assert looked_up and plain["steps"]
    looked_up.clear()
    ns: dict[Any, Any] = {("a", "key"): "of the user's"}
    walked = record("x = [1]\ny = x\n", ns)
    assert not looked_up
    assert [[b["name"] for b in s["names"]] for s in walked["steps"]] == [
        [b["name"] for b in s["names"]] for s in plain["steps"]
    ]


def test_the_census_counts_what_a_full_walk_counts(monkeypatch: Any) -> None:
    """At every step where the census is asked, what it counted as the records were made
    equals a count of every record (and of our tables) walked again from scratch."""
    import redpill.capture as capture

    leans: list[LeanSteps] = []
    made = capture.LeanSteps.__init__

    def keep(self: LeanSteps, rec: StepRecorder) -> None:
        made(self, rec)
        leans.append(self)

    held = capture._Census.held
    checked: list[bool] = []

    def compared(self: Any, targets: Any, roots: Any, name_maps: Any = ()) -> Any:
        out, walked = held(self, targets, roots, name_maps)
        lean = leans[-1]
        rec = lean.rec
        fresh = capture._Census()
        fresh.on = True
        for k in lean.kept:
            for part in (k.entry, k.fp, k.edges, k.proxies, k.notes):
                fresh.add(part)
        for step in rec.steps:
            fresh.add(step)
        for key, table in rec._c_story.items():
            if key == "c_source":
                fresh.add(table)
                continue
            for k, v in table.items():
                fresh.counts[id(k)] = fresh.counts.get(id(k), 0) + 1
                fresh.add(v)
        for vs in rec._versions.values():
            for v in vs:
                fresh.add(v.entry)
        everything = (roots, lean.tables, lean.kept, lean.retired)
        again, _ = held(fresh, targets, everything, name_maps)
        checked.append(out == again)
        return out, walked

    monkeypatch.setattr(capture.LeanSteps, "__init__", keep)
    monkeypatch.setattr(capture._Census, "held", compared)
    record(FACT + "t = 'a' * 3\nfor w in ['ab', 'b', t]:\n    u = w\n", {})
    if not checked:  # small ints and interned strs are immortal (3.12+): never asked
        assert sys.version_info >= (3, 12)
        return
    assert all(checked), checked.count(False)


def test_an_unchanged_object_keeps_its_reference() -> None:
    """An object whose state, header and holders are those of the step before is drawn
    by the very reference of that step (made once), and the payload says the same."""
    p = record("s = 0\nfor i in range(4):\n    s += i * 1000\n", {})
    shared = 0
    for before, after in zip(p["steps"], p["steps"][1:], strict=False):
        refs = {r["address"]: r for r in before["objects"]}
        shared += sum(r is refs.get(r["address"]) for r in after["objects"])
    # (s, unchanged while i moves on, at least)
    assert shared >= 3


MODULE = "import json\nn = 0\nfor k in range(6):\n    n += k * 1000\n    alias = json\n"


def holders_by_binding(p: dict[str, Any]) -> list[list[tuple[str, list[str]]]]:
    """Per step: each named object's holders (their payload forms, as text, sorted)."""
    out = []
    for k, step in enumerate(p["steps"]):
        objs = {o["address"]: o for o in merged(p, k)}
        out.append(
            sorted(
                (b["name"], sorted(map(repr, objs[b["object"]]["holders"]))) for b in step["names"]
            )
        )
    return out


def test_a_module_drawn_at_every_step_is_searched_for_once(monkeypatch: Any) -> None:
    # a module has more references than names and drawn containers explain: the heap is
    # searched for its holders; where its count and those holders stay the same, the
    # holders found at the step before are the ones drawn
    import redpill.capture as capture

    searched: list[int] = []
    real = capture.heap_pass

    def counting_heap_pass(objs: list[object], nodes: Any, need: list[int], *a: Any) -> None:
        searched.extend(nodes[k].address for k in need)
        real(objs, nodes, need, *a)

    monkeypatch.setattr(capture, "heap_pass", counting_heap_pass)
    lean = record(MODULE, {})
    monkeypatch.setattr(capture, "heap_pass", real)
    per_step = record(MODULE, Namespace())
    module = next(b["object"] for b in lean["steps"][-1]["names"] if b["name"] == "json")
    steps_drawing_it = sum(any(b["object"] == module for b in s["names"]) for s in lean["steps"])
    assert steps_drawing_it > 10
    times = searched.count(int(module, 16))
    entry = next(o for o in merged(lean, len(lean["steps"]) - 1) if o["address"] == module)
    if entry["immortal"]:
        # (3.13t defers a module's counting once a second thread has started, as an
        # earlier test may: drawn as immortal then, with nothing to search for)
        assert FREE_THREADED_3_13 and times == 0
    else:
        assert 1 <= times < steps_drawing_it // 2
    # what is drawn is what a search at every step finds
    assert counts_by_binding(lean) == counts_by_binding(per_step)
    assert holders_by_binding(lean) == holders_by_binding(per_step)
