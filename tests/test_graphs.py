"""Hypothesis: random object graphs (shared items, cycles, hashable keys) through the pure
collector.  Every drawn object's refcount must equal sys.getrefcount's account, its
holders must explain all of it, and items must be the real items' addresses."""

from __future__ import annotations

import gc
import json
import sys
from typing import Any

import pytest
from cellrun import run_cell

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

KINDS = [
    "list", "tuple", "dict", "set", "frozenset", "inst", "slots", "slots+dict",
    "float", "str", "surrogate str", "bytes", "bigint",
]  # fmt: skip


class Node:
    pass


class SlotNode:
    __slots__ = ("a0", "a1", "a2", "a3", "back")


class SlotDictNode:
    __slots__ = ("__dict__", "a0")


def _hashable(x: object) -> bool:
    try:
        hash(x)
    except TypeError:
        return False
    return True


def build(spec: list[tuple[str, list[int]]], extra: list[tuple[int, int]]) -> list[object]:
    nodes: list[object] = []
    for i, (kind, refs) in enumerate(spec):
        kids = [nodes[j % i] for j in refs] if i else []
        hashable = [k for k in kids if _hashable(k)]
        obj: object
        if kind == "list":
            obj = list(kids)
        elif kind == "tuple":
            obj = tuple(kids) if kids else (float(i) + 0.5,)
        elif kind == "dict":
            obj = {f"k{n}_{i}": k for n, k in enumerate(kids)}
            for k in hashable[:1]:
                obj[k] = i  # type: ignore[index]
        elif kind == "set":
            obj = set(hashable)
        elif kind == "frozenset":
            obj = frozenset(hashable) if hashable else frozenset([f"{i}-{i}"])
        elif kind == "inst":
            obj = Node()
            for n, k in enumerate(kids):
                setattr(obj, f"a{n}", k)
        elif kind == "slots":
            obj = SlotNode()
            for n, k in enumerate(kids):
                setattr(obj, f"a{n}", k)
        elif kind == "slots+dict":
            obj = SlotDictNode()
            for n, k in enumerate(kids):
                setattr(obj, f"a{n}", k)  # a0 in its slot, the rest in its __dict__
        elif kind == "surrogate str":
            obj = "".join(["\ud800", str(i), "\udfff"])
        elif kind == "bytes":
            obj = bytes([i % 256]) * (i + 2)
        elif kind == "float":
            obj = float(f"{i}.25")
        elif kind == "str":
            obj = "".join(["s", str(i), "x"])
        else:
            obj = 2**70 + i
        nodes.append(obj)
    for a, b in extra:  # back edges: cycles
        src, dst = nodes[a % len(nodes)], nodes[b % len(nodes)]
        if type(src) is list:
            src.append(dst)
        elif type(src) is dict:
            src[f"back{b}"] = dst
        elif type(src) in (Node, SlotNode, SlotDictNode):
            src.back = dst  # type: ignore[attr-defined]
    return nodes


graphs = st.tuples(
    st.lists(
        st.tuples(st.sampled_from(KINDS), st.lists(st.integers(0, 30), max_size=4)),
        min_size=1,
        max_size=9,
    ),
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=4),
    st.lists(st.integers(0, 30), min_size=1, max_size=4),
)


def _overhead() -> int:
    cal = [object()]
    return next(sys.getrefcount(n) for n in cal) - 1


def expected(nodes: list[object]) -> dict[int, int]:
    over = _overhead()
    return {id(n): sys.getrefcount(n) - over for n in nodes}


def invisible_references(nodes: list[object]) -> dict[int, int]:
    """References from containers the collector cannot see (untracked: the GC does not see them)."""
    out: dict[int, int] = {}
    # an instance's own __dict__ (a slot of SlotDictNode) is a container too
    dicts = [vars(n) for n in nodes if type(n) is SlotDictNode]
    for d in dicts:
        if not gc.is_tracked(d):
            for v in d.values():
                out[id(v)] = out.get(id(v), 0) + 1
    for n in nodes:
        if type(n) in (tuple, dict, frozenset, set, list) and not gc.is_tracked(n):
            kids = list(n.items()) if type(n) is dict else list(n)  # type: ignore[attr-defined]
            for k in kids:
                for x in k if type(n) is dict else (k,):
                    out[id(x)] = out.get(id(x), 0) + 1
    return out


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(graphs)
def test_random_graphs(validate: Any, g: Any) -> None:
    spec, extra, named = g
    ns: dict[str, Any] = {}
    nodes = build(spec, extra)
    for n, idx in enumerate(named):
        ns[f"v{n}"] = nodes[idx % len(nodes)]
    ns["keep_all"] = nodes  # every node stays alive, held by a (not drawn) list
    gc.collect()
    truth = expected(nodes)
    ids = set(truth)
    invisible = invisible_references(nodes)
    items_truth = {
        id(n): [hex(id(x)) for x in (n if type(n) in (list, tuple) else [])] for n in nodes
    }
    p = run_cell(
        ns,
        "pass",
        names=tuple(f"v{n}" for n in range(len(named))),
        depth=12,
        max_objects=1000,
        max_items=1000,
    )
    validate(p)
    json.dumps(p, ensure_ascii=False).encode("utf-8")  # every string can be sent
    for b in p["names"]:
        assert b["object"] == hex(id(ns[b["name"]]))
    for o in p["objects"]:
        a = int(o["address"], 16)
        if a not in ids:
            continue  # ints used as dict values, interned keys ...
        assert o["refcount"] == truth[a], o
        assert 0 <= o["unexplained"] <= invisible.get(a, 0), o
        if o["kind"] in ("list", "tuple"):
            assert o["items"] == items_truth[a]
    drawn = {o["address"] for o in p["objects"]}
    for o in p["objects"]:
        for it in o.get("items", []):
            assert it is None or it in drawn
