"""Refcounts and holders, checked against sys.getrefcount (pure collector, no kernel)."""

from __future__ import annotations

import gc
import sys
from typing import Any

import pytest
from cellrun import expected_refcounts, run_cell

import redpill
from redpill.interp import CURRENT
from redpill.refs import calibrate, read_refcount

FREE_THREADED = CURRENT.free_threaded
IMMORTAL_INTERNED = (
    "interned strings are immortal here (CPython 3.12+): their count never changes,"
    " so there is no count to compare"
)


def objects(p: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["address"]: o for o in p["objects"]}


def named(p: dict[str, Any], name: str) -> dict[str, Any]:
    (b,) = [b for b in p["names"] if b["name"] == name]
    return objects(p)[b["object"]]


def test_calibration_is_one() -> None:
    assert calibrate() == 1


def test_read_refcount_by_address() -> None:
    # (values computed outside the asserts: pytest's assertion rewriting keeps temporaries)
    box = [object()]
    address = id(box[0])
    one = read_refcount(address).raw
    box.append(box[0])
    two = read_refcount(address).raw
    assert (one, two) == (1, 2)


CASES = [
    ("a = object()\nb = a", {"a": 2}),
    ("x = object()\nlst = [x, x]", {"x": 3, "lst": 1}),
    ("x = object()\nd = {'k': x}\nt = (x,)", {"x": 3, "d": 1, "t": 1}),
    ("x = [1.5]\ny = [x, [x]]", {"x": 3}),
    ("class K: pass\nk = K()\nk.attr = object()\nz = k.attr", {"z": 2, "k": 1}),
    ("s = ''.join(['ab', 'cd'])\npair = (s, s)", {"s": 3}),
    ("big = 10 ** int('30')\nalias = big", {"big": 2}),
    ("f = 2.5 * float('3')\nfs = {f: f}", {"f": 3}),
]


@pytest.mark.parametrize(("src", "expected"), CASES, ids=[c[0].split("\n")[0] for c in CASES])
def test_refcounts(src: str, expected: dict[str, int], validate: Any) -> None:
    ns: dict[str, Any] = {}
    p = validate(run_cell(ns, src))
    for name, count in expected.items():
        assert named(p, name)["refcount"] == count, name
    # every drawn mortal object agrees with sys.getrefcount
    objs = objects(p)
    truth = expected_refcounts(ns, list(objs))
    for a, e in objs.items():
        if e["immortal"] or a not in truth:
            continue
        if e.get("kind") in ("int", "str", "float") and e.get("unexplained"):
            continue  # shared with code constants or interpreter caches
        if FREE_THREADED and e.get("kind") in ("class", "function", "module"):
            continue  # deferred refcounting: Py_REFCNT includes a bias redpill removes
        assert e["refcount"] == truth[a], (e["type"], e.get("repr"))


def test_holders_name_the_slots() -> None:
    ns: dict[str, Any] = {}
    p = run_cell(ns, "x = object()\nlst = [x, 1, x]\nd = {'key': x}")
    x = named(p, "x")
    hs = x["holders"]
    assert {"name": "x"} in hs
    (lst_h,) = [h for h in hs if h.get("object") == hex(id(ns["lst"]))]
    assert lst_h["count"] == 2 and "[0]" in lst_h["via"] and "[2]" in lst_h["via"]
    (d_h,) = [h for h in hs if h.get("object") == hex(id(ns["d"]))]
    assert d_h["via"] == "['key']"
    assert x["unexplained"] == 0


def test_heap_pass_finds_hidden_containers() -> None:
    ns: dict[str, Any] = {}
    p = run_cell(ns, "x = object()\nhidden = [[x]]", names=("x",), depth=0)
    x = named(p, "x")
    assert x["refcount"] == 2
    inner = hex(id(ns["hidden"][0]))
    assert {"object": inner, "type": "list", "via": "[0]"} in x["holders"]
    assert x["unexplained"] == 0


def test_unexplained_counts_invisible_references() -> None:
    ns: dict[str, Any] = {}
    p1 = run_cell(ns, "x = object()")
    assert named(p1, "x")["unexplained"] == 0
    local = ns["x"]  # a local variable of this running frame: invisible to gc
    p2 = run_cell(ns, "y = x", names=("x",))
    assert named(p2, "x")["refcount"] == 3
    assert named(p2, "x")["unexplained"] == 1
    del local


def test_immortal_objects() -> None:
    ns: dict[str, Any] = {}
    p = run_cell(ns, "n = None\nt = True\nsmall = 7")
    for name in ("n", "t", "small"):
        e = named(p, name)
        if redpill.interp.CURRENT.minor >= 12:
            assert e["immortal"] is True
            assert "unexplained" not in e
        else:
            assert e["immortal"] is False


def test_no_leaks_and_no_namespace_change() -> None:
    ns: dict[str, Any] = {}
    exec("x = object()\nlst = [x, {'a': x}]\nclass K: pass\nk = K()\nk.v = lst", ns)
    before_ids = {k: id(v) for k, v in ns.items()}
    before_counts = {k: sys.getrefcount(v) for k, v in ns.items() if k != "__builtins__"}
    for _ in range(3):
        run_cell(ns, "pass", names=("x", "lst", "k"), depth=3)
    gc.collect()
    assert {k: id(v) for k, v in ns.items()} == before_ids
    after = {k: sys.getrefcount(v) for k, v in ns.items() if k != "__builtins__"}
    assert after == before_counts


def test_api_inspect_refcount_matches_getrefcount() -> None:
    x = object()
    lst = [x, x]
    # the local x, and lst twice
    assert redpill.inspect(x).refcount == 3
    assert sys.getrefcount(x) - 1 == 3 or sys.version_info >= (3, 14)
    del lst


def test_snapshot_same_object_and_payload(validate: Any) -> None:
    a = [1]
    b = a
    c = [1]
    s = redpill.snapshot(a=a, b=b, c=c)
    assert s.same_object("a", "b")
    assert not s.same_object("a", "c")
    assert s["a"].refcount == 2  # the locals a and b
    validate(s.to_payload())


# A drawn str or int can be the very object the collector's own bookkeeping holds:
# interned names (``label = "age"`` next to a variable ``age``), a class's name, dict
# keys of redpill's own entries.  Those references are the collector's, not the program's.
SHARED_CASES = [
    ("age = 42\nlabel = 'age'", ("label",), "label"),
    ("K = type(''.join(['Qz', 'Kls']), (), {})\nk = K()\ns = K.__qualname__", ("k", "s"), "s"),
    ("person = {'name': 1, 'nm': 2}\nkey = 'nm'", ("person", "key"), "key"),
]


@pytest.mark.parametrize(("src", "names", "target"), SHARED_CASES, ids=["name", "type", "key"])
def test_strings_the_collector_also_holds(
    src: str, names: tuple[str, ...], target: str, validate: Any
) -> None:
    from redpill.refs import own_references

    ns: dict[str, Any] = {}
    p = validate(run_cell(ns, src, names=names))
    e = named(p, target)
    if e["immortal"]:
        pytest.skip(
            f"{target!r} is immortal here (CPython 3.12+ makes interned strings immortal):"
            " its count never changes, so there is no count to compare"
        )
    # the truth, minus the references the finished payload itself now holds
    truth = expected_refcounts(ns, [e["address"]])[e["address"]]
    in_payload, _ = own_references([p], [int(e["address"], 16)])
    assert e["refcount"] == truth - in_payload.get(int(e["address"], 16), 0)
    # no holder is one of the collector's own containers (the namespace's key is real)
    drawn = {o["address"] for o in p["objects"]} | {hex(id(ns))}
    assert not [h for h in e["holders"] if "object" in h and h["object"] not in drawn]
    assert e["unexplained"] >= 0


def test_a_name_string_is_held_by_the_namespace_as_a_key(validate: Any) -> None:
    """``label = "age"`` next to a variable ``age``: the namespace dict's key is that
    very string (both are interned), and is reported as its holder."""
    ns: dict[str, Any] = {}
    p = validate(run_cell(ns, "age = 42\nlabel = 'age'", names=("label",)))
    e = named(p, "label")
    key = {"object": hex(id(ns)), "type": "dict", "via": "key 'age' (the namespace)"}
    assert key in e["holders"]
    assert {"name": "label"} in e["holders"]
    if not e["immortal"]:  # (other code may hold the interned 'age' too: not less than 0)
        assert e["unexplained"] >= 0


def test_api_subtracts_its_own_keys() -> None:
    ns: dict[str, Any] = {}
    exec("age = 1\nlabel = 'age'", ns)
    label = ns["label"]
    if redpill.inspect(label).immortal:
        pytest.skip(IMMORTAL_INTERNED)
    truth = sys.getrefcount(label) - 1  # minus the argument
    count = redpill.snapshot(age=label).refcount("age")  # the keyword is the same 'age'
    assert count == truth
