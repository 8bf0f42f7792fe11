"""Hostile and huge objects through the pure collector: no exception, no hang, no user code,
a small payload, and a namespace left exactly as it was."""

from __future__ import annotations

import json
import sys
import threading
from typing import Any

import pytest
from cellrun import run_cell

import redpill

CALLED: list[str] = []


class Hostile:
    """Every hook raises and records that it was called."""

    def __getattribute__(self, name: str) -> Any:
        CALLED.append(f"getattribute {name}")
        raise RuntimeError("no getattribute")

    def __getattr__(self, name: str) -> Any:
        CALLED.append(f"getattr {name}")
        raise RuntimeError("no getattr")

    def __repr__(self) -> str:
        CALLED.append("repr")
        raise RuntimeError("no repr")

    def __eq__(self, other: object) -> bool:
        CALLED.append("eq")
        raise RuntimeError("no eq")

    def __hash__(self) -> int:
        return 1  # needed to build the dict below; never called by redpill

    def __sizeof__(self) -> int:
        CALLED.append("sizeof")
        return 10**12

    def __len__(self) -> int:
        CALLED.append("len")
        return -1

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        CALLED.append("class")
        return int

    @property
    def __dict__(self) -> Any:  # type: ignore[override]
        CALLED.append("dict")
        raise RuntimeError("no dict")


class Meta(type):
    def __getattribute__(cls, name: str) -> Any:
        CALLED.append(f"meta {name}")
        raise RuntimeError("no class attributes")

    def __repr__(cls) -> str:
        CALLED.append("meta repr")
        raise RuntimeError


class WithMeta(metaclass=Meta):
    pass


class LyingList(list):  # type: ignore[type-arg]
    def __iter__(self) -> Any:
        CALLED.append("list iter")
        raise RuntimeError

    def __len__(self) -> int:
        CALLED.append("list len")
        return 10**9

    def __getitem__(self, i: Any) -> Any:
        CALLED.append("list getitem")
        raise RuntimeError


class LyingDict(dict):  # type: ignore[type-arg]
    def items(self) -> Any:  # type: ignore[override]
        CALLED.append("dict items")
        raise RuntimeError

    def __iter__(self) -> Any:
        CALLED.append("dict iter")
        raise RuntimeError

    def keys(self) -> Any:  # type: ignore[override]
        CALLED.append("dict keys")
        raise RuntimeError


class LyingStr(str):
    def __repr__(self) -> str:
        CALLED.append("str repr")
        raise RuntimeError

    def __len__(self) -> int:
        CALLED.append("str len")
        return 0

    def __getitem__(self, i: Any) -> Any:
        CALLED.append("str getitem")
        raise RuntimeError


def check(p: dict[str, Any], validate: Any, limit: int = 1_000_000) -> int:
    validate(p)
    text = json.dumps(p, allow_nan=False)
    assert len(text) < limit
    return len(text)


def test_hostile_objects_call_no_user_code(validate: Any) -> None:
    CALLED.clear()
    ns: dict[str, Any] = {
        "Hostile": Hostile,
        "WithMeta": WithMeta,
        "LyingList": LyingList,
        "LyingDict": LyingDict,
        "LyingStr": LyingStr,
    }
    src = (
        "h = Hostile()\n"
        "m = WithMeta()\n"
        "k = WithMeta\n"
        "ll = LyingList([1, 2, h])\n"
        "ld = LyingDict({'a': h, h: 2})\n"
        "ls = LyingStr('lying')\n"
        "mix = [h, m, ll, ld, ls, {h}, (h, h)]\n"
    )
    p = run_cell(ns, src, depth=3)
    check(p, validate)
    assert CALLED == []
    by = {o["address"]: o for o in p["objects"]}
    names = {b["name"]: by[b["object"]] for b in p["names"]}
    assert names["h"]["type"] == "Hostile"  # the real type, not the lying __class__
    assert names["h"]["repr"].startswith("<Hostile at 0x")
    assert names["ll"]["items_total"] == 3
    assert names["ld"]["dict"]["used"] == 2
    assert names["ls"]["str"]["text"] == "lying"
    assert names["h"]["size"] == object.__sizeof__(ns["h"])


def test_huge_list_gives_a_small_bundle(validate: Any) -> None:
    ns: dict[str, Any] = {}
    p = run_cell(ns, "big = list(range(10**6))")
    size = check(p, validate, 200_000)
    (big,) = [o for o in p["objects"] if o["type"] == "list"]
    assert big["items_total"] == 10**6
    assert len(big["items"]) == 50
    assert size < 200_000


def test_huge_dict_and_set(validate: Any) -> None:
    ns: dict[str, Any] = {}
    p = run_cell(ns, "d = {i: str(i) for i in range(200_000)}\ns = set(range(200_000))")
    check(p, validate, 300_000)
    for o in p["objects"]:
        if o["type"] == "dict":
            assert len(o["dict"]["entries"]) == 50 and o["dict"]["used"] == 200_000


def test_huge_string_and_bytes(validate: Any) -> None:
    ns: dict[str, Any] = {}
    p = run_cell(ns, "s = 'é' * 10**7\nb = b'x' * 10**7\nu = '😀' * 10**6")
    check(p, validate, 50_000)
    by = {o["type"]: o for o in p["objects"]}
    assert by["str"]["str"]["text_truncated"] is True
    assert by["bytes"]["bytes"]["truncated"] is True


# Pyodide itself crashes (JavaScript stack overflow) freeing a list nested 10^4 deep,
# with or without redpill; 5,000 levels still outnumber its recursion limit.
DEEP = 5_000 if sys.platform == "emscripten" else 100_000


def test_recursive_and_deep_containers(validate: Any) -> None:
    ns: dict[str, Any] = {}
    src = (
        "r = []\nr.append(r)\n"
        "d = {}\nd['self'] = d\n"
        "deep = []\ncur = deep\n"
        f"for _ in range({DEEP}):\n    nxt = []\n    cur.append(nxt)\n    cur = nxt\n"
    )
    p = run_cell(ns, src, depth=50)
    check(p, validate)
    (r,) = [o for o in p["objects"] if o["address"] == hex(id(ns["r"]))]
    assert r["items"] == [r["address"]]
    assert r["refcount"] == 2  # the name and itself
    assert {"object": r["address"], "type": "list", "via": "[0]"} in r["holders"]


def test_caps(validate: Any) -> None:
    ns: dict[str, Any] = {}
    src = "\n".join(f"v{i} = [{i}.5]" for i in range(30))
    p = run_cell(ns, src, max_objects=10, max_items=2, max_bytes=8)
    check(p, validate)
    assert len(p["objects"]) == 10
    assert p["truncated"]["names"] == 20
    for o in p["objects"]:
        assert len(o["memory"]["hex"]) <= 16


def test_many_items_truncated_objects(validate: Any) -> None:
    ns: dict[str, Any] = {}
    p = run_cell(ns, "xs = [[i] for i in range(10)]", max_objects=4, depth=2)
    check(p, validate)
    assert p["truncated"]["objects"] >= 1
    xs = p["objects"][0]
    assert xs["items"][:3] == [o["address"] for o in p["objects"][1:4]]
    assert xs["items"][3] is None


@pytest.mark.skipif(
    sys.platform == "emscripten", reason="Pyodide (Emscripten) cannot start threads"
)
def test_mutating_thread_does_not_crash(validate: Any) -> None:
    ns: dict[str, Any] = {}
    exec("shared = list(range(1000))\nsd = {i: i for i in range(1000)}", ns)
    stop = threading.Event()

    def mutate() -> None:
        lst, d = ns["shared"], ns["sd"]
        i = 0
        while not stop.is_set():
            lst.append(i)
            lst.pop(0)
            d[i % 2000] = i
            d.pop((i + 1000) % 2000, None)
            i += 1

    th = threading.Thread(target=mutate)
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    th.start()
    try:
        for _ in range(10):
            p = run_cell(ns, "pass", names=("shared", "sd"), depth=1)
            validate(p)
    finally:
        stop.set()
        th.join()
        sys.setswitchinterval(old)


def test_not_cpython_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from redpill import payload

    monkeypatch.setattr(payload, "unsupported_reason", lambda interp: "this is PyPy 7.3")
    p = payload.build_payload({"a": 1}, ["a"])
    assert p["objects"] == [] and p["notes"] == ["this is PyPy 7.3"]


def test_internal_error_becomes_a_note(monkeypatch: pytest.MonkeyPatch, validate: Any) -> None:
    from redpill import cell

    def boom(*a: Any, **k: Any) -> Any:
        raise ZeroDivisionError("inside redpill")

    monkeypatch.setattr(cell, "build_payload", boom)
    pending = cell.before_cell({}, "a = 1", "a = 1", redpill.options.Options())
    out = cell.after_cell(pending, {"a": 1})
    validate(out["application/vnd.redpill.v1+json"])
    assert "ZeroDivisionError" in out["text/plain"]


def test_hidden_holder_with_a_lying_class(validate: Any) -> None:
    CALLED.clear()
    ns: dict[str, Any] = {"Hostile": Hostile}
    p = run_cell(
        ns, "x = object()\nholder = Hostile()\nbox = [Hostile(), x]", names=("x",), depth=0
    )
    check(p, validate)
    assert CALLED == []
    (x,) = p["objects"]
    assert x["refcount"] == 2 and x["unexplained"] == 0


@pytest.mark.parametrize("enabled", [True, False])
def test_collection_pauses_gc_and_restores_it(
    enabled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No collection (and so no finalizer) runs while objects are read; the collector's
    on/off state is left as it was found."""
    import gc

    import redpill.cell as cell_module
    from redpill.options import Options

    seen: list[bool] = []
    real_collect = cell_module.collect

    def spy(*a: Any, **k: Any) -> dict[str, object]:
        seen.append(gc.isenabled())
        return real_collect(*a, **k)

    monkeypatch.setattr(cell_module, "collect", spy)
    ns: dict[str, object] = {}
    pending = cell_module.before_cell(ns, "x = [1]", "x = [1]", Options())
    exec("x = [1]", ns)
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        bundle = cell_module.after_cell(pending, ns)
        after = gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [False]  # paused while reading
    assert after is enabled  # restored as found
    assert "application/vnd.redpill.v1+json" in bundle
