"""Regression tests of the collector's edge cases (threads, huge and odd objects, slot
offsets, int limits, holders): each failed before its fix."""

from __future__ import annotations

import sys
import threading
import time
import types
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

import redpill
from redpill import kinds, refs, structs
from redpill.interp import CURRENT
from redpill.kinds import Ctx, read_object
from redpill.names import NAMESPACE_RETRIES, id_snapshot, ids_by_object
from redpill.options import Options

FREE_THREADED = CURRENT.free_threaded


# --------------------------------------------------------------------------------------------
# 1. no exception escapes the collector


class _L(list):  # type: ignore[type-arg]
    pass


def test_instance_dict_error_of_builtin_subclass_becomes_a_note(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("dictionary changed size during iteration")

    monkeypatch.setattr(kinds, "add_instance_dict", boom)
    ll = _L([1, 2])
    ll.a = 1  # type: ignore[attr-defined]
    r = read_object(ll, Ctx(Options()))
    assert r.kind == "list"
    assert any("dictionary changed size" in n for n in r.notes)


@pytest.mark.skipif(
    sys.platform == "emscripten", reason="Pyodide (Emscripten) cannot start threads"
)
def test_instance_dict_changed_by_another_thread_never_raises() -> None:
    ll = _L([1, 2])
    for i in range(60):
        setattr(ll, f"a{i}", i)
    stop = threading.Event()

    def mutate() -> None:
        i = 0
        while not stop.is_set():
            i += 1
            setattr(ll, f"b{i % 500}", i)
            try:
                delattr(ll, f"b{(i - 100) % 500}")
            except AttributeError:
                pass

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    t = threading.Thread(target=mutate)
    t.start()
    possible = {f"a{i}" for i in range(60)} | {f"b{i}" for i in range(500)}
    reads = 0
    try:
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < 1.0:
            payload = redpill.snapshot(ll=ll, _max_items=1000).to_payload()  # never raises
            (entry,) = [o for o in payload["objects"] if o["type"] == "_L"]
            attrs = {a["name"] for a in entry["instance"]["attributes"]}
            # each read shows attributes the object really had, none made up
            assert attrs <= possible, attrs - possible
            reads += 1
    finally:
        stop.set()
        t.join()
        sys.setswitchinterval(old)
    assert reads > 0


class _Flaky(Mapping[str, object]):
    """A mapping whose items() fails ``fails`` times, as if another thread changed it."""

    def __init__(self, data: dict[str, object], fails: int) -> None:
        self.data = data
        self.fails = fails

    def __getitem__(self, k: str) -> object:
        return self.data[k]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def items(self) -> Any:
        if self.fails:
            self.fails -= 1
            raise RuntimeError("dictionary changed size during iteration")
        return self.data.items()


def test_namespace_read_is_retried() -> None:
    x = object()
    ns = _Flaky({"x": x}, fails=2)
    assert id_snapshot(ns) == {"x": id(x)}
    by_id, note = ids_by_object(_Flaky({"x": x}, fails=2))
    assert by_id == {id(x): ["x"]} and note is None


def test_namespace_that_keeps_changing_degrades_with_a_note() -> None:
    ns = _Flaky({"x": 1}, fails=10**6)
    assert id_snapshot(ns) == {}
    by_id, note = ids_by_object(_Flaky({"x": 1}, fails=NAMESPACE_RETRIES))
    assert by_id == {} and note and "changed while it was read" in note


# --------------------------------------------------------------------------------------------
# 2. a drawn namespace dict and a name are the same reference


def test_drawn_namespace_dict_is_not_counted_twice() -> None:
    ns: dict[str, Any] = {}
    exec(
        "import redpill\nx = object()\ng = globals()\ns = redpill.snapshot(g=g, x=x)",
        ns,
    )
    v = ns["s"]["x"]
    assert v.refcount == 1
    assert [h.name for h in v.holders] == ["x"]
    assert v.unexplained == 0
    notes = ns["s"].payload.get("notes") or []
    assert not any("negative unexplained" in n for n in notes)


def test_borrowed_reference_note_only_on_314_plus() -> None:
    assert structs.facts().borrowed_references == (sys.version_info >= (3, 14))


# --------------------------------------------------------------------------------------------
# 3. the heap pass


def test_named_containers_can_spare_the_heap_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = refs.heap_referrers

    def counting(targets: Any, exclude: Any) -> list[object]:
        calls.append(len(targets))
        return real(targets, exclude)

    monkeypatch.setattr(refs, "heap_referrers", counting)
    targets = [object() for _ in range(40)]
    common = [*targets, None]  # one tracked list, bound to a name, holds them all
    ns = {"common": common, "big": list(range(refs.SLOT_SCAN_CAP + 1))}
    direct = refs.named_containers(ns, targets)
    assert [id(c) for c in direct] == [id(common)]  # big tracked lists are left to gc
    found = refs.find_holders(targets, {id(t): 1 for t in targets}, {id(targets)}, repr, direct)
    assert calls == []  # every reference explained: no heap pass at all
    by_holder = {id(r): slots for r, slots in found}
    assert by_holder[id(common)] == {id(t): [f"[{i}]"] for i, t in enumerate(targets)}
    # one unexplained reference more: ONE heap pass, for all targets together
    refs.find_holders(targets, {id(t): 2 for t in targets}, {id(targets)}, repr, direct)
    assert calls == [len(targets)]


def test_heap_pass_finds_every_holder() -> None:
    targets = [object() for _ in range(40)]
    holders = [[t] for t in targets]
    found = refs.find_holders(targets, {id(t): 1 for t in targets}, {id(targets)}, repr)
    got = {id(r) for r, _slots in found}
    assert {id(h) for h in holders} <= got


def test_slots_in_huge_container_is_bounded() -> None:
    t = object()
    big = [None] * (refs.SLOT_SCAN_CAP * 20) + [t]
    found = refs.slots_in(big, {id(t)}, repr)
    # past the cap, the C-level check found it: no Python loop over 200,000 items
    assert found == {id(t): [f"item (past the first {refs.SLOT_SCAN_CAP:,})"]}
    small = [None, t, t]
    assert refs.slots_in(small, {id(t)}, repr) == {id(t): ["[1]", "[2]"]}


@pytest.mark.skipif(
    sys.version_info < (3, 14),
    reason="only CPython 3.14+ keeps interned strings in a dict the GC can see: "
    "before, there is no such dict to find",
)
def test_interned_dict_found_by_identity_not_by_size() -> None:
    s = sys.intern("redpill_review_interned_" + str(id(object())))
    lookalike = {sys.intern(f"redpill_lookalike_{i}"): None for i in range(600)}
    lookalike[s] = s
    assert not refs.interned_dict_suspect(lookalike, s)
    assert refs._interned_dict_id() is not None


# --------------------------------------------------------------------------------------------
# 4. __slots__ offsets come from the member descriptors


class _S:
    __slots__ = ("a", "b", "c")


def test_slot_offsets_when_two_slots_hold_the_same_object() -> None:
    s = _S()
    s.a = s.b = "same"
    v = redpill.inspect(s)
    offsets = {f.name: f.offset for f in v.fields if f.note == "__slots__ member"}
    h = structs.facts().header.sizeof
    P = CURRENT.pointer_size
    assert offsets == {"a": h, "b": h + P}
    # ob_refcnt and ob_type, each pointer-sized (4 bytes each on 32-bit builds)
    assert h == (32 if FREE_THREADED else 2 * P)


def test_slot_offset_matches_the_descriptor() -> None:
    ctx = Ctx(Options())
    for i, name in enumerate(("a", "b", "c")):
        desc = _S.__dict__[name]
        assert kinds.slot_offset(desc, ctx) == structs.facts().header.sizeof + i * ctx.P
    assert kinds.slot_offset(object(), ctx) is None


# --------------------------------------------------------------------------------------------
# 5-7. ints: the API's value, other interpreters, the str-digits limit


def test_api_value_of_a_huge_int_is_exact() -> None:
    big = 10**1000
    assert redpill.inspect(big).int.value == big  # type: ignore[union-attr]
    assert redpill.inspect(-(2**200)).int.value == -(2**200)  # type: ignore[union-attr]
    # snapshot has only the payload's (cut) text: no value rather than a wrong one
    assert redpill.snapshot(b=big)["b"].int.value in (None, big)  # type: ignore[union-attr]


def test_not_cpython_raises_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.SimpleNamespace(**vars(sys.implementation))
    fake.name = "pypy"
    monkeypatch.setattr(sys, "implementation", fake)
    with pytest.raises(RuntimeError, match="needs CPython"):
        redpill.inspect(1)
    with pytest.raises(RuntimeError, match="needs CPython"):
        redpill.snapshot(a=1)


def test_int_under_lowered_str_digits_limit() -> None:
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)
    try:
        x = 10**700
        v = redpill.inspect(x)
        assert not any("could not read" in n for n in v.raw.get("notes") or [])
        assert v.int is not None and v.int.value == x
        assert v.raw["int"]["value"].startswith("0x")
        assert sys.get_int_max_str_digits() == 640  # global state untouched
        assert kinds.int_text(10**600, 67) == str(10**600)
    finally:
        sys.set_int_max_str_digits(old)


# --------------------------------------------------------------------------------------------
# lesser review items


def _run(src: str) -> dict[str, Any]:
    ns: dict[str, Any] = {}
    exec("import gc, redpill\n" + src, ns)
    return ns


def test_instance_reference_to_its_class_is_attributed() -> None:
    ns = _run("class C: pass\nc = C()\nc.x = 1\ns = redpill.snapshot(C=C, c=c)")
    hs = ns["s"]["C"].holders
    assert [h.via for h in hs if h.address == hex(id(ns["c"]))] == ["ob_type"]


@pytest.mark.parametrize(
    "make",
    [
        "__import__('collections').deque([1])",
        "__import__('re').compile('a+')",
        "__import__('_thread').allocate_lock()",
    ],
)
def test_extension_heap_types_are_not_user_instances(make: str) -> None:
    v = redpill.inspect(eval(make))
    assert v.kind == "other"
    assert "instance" not in v.raw
    assert not [f for f in v.fields if f.note == "__slots__ member"]


def test_user_subclass_of_extension_type_is_an_instance() -> None:
    import collections

    class D(collections.deque):  # type: ignore[type-arg]
        pass

    assert redpill.inspect(D()).kind == "instance"


def test_array_and_its_subclass_are_arrays_with_attributes() -> None:
    """array.array is drawn as a buffer (its own kind); a subclass too, like a list
    subclass is a list, with its instance attributes."""
    import array

    class A(array.array):  # type: ignore[type-arg]
        pass

    assert redpill.inspect(array.array("i", [1])).kind == "array"
    a = A("i", [1, 2])
    a.note = "mine"
    v = redpill.inspect(a)
    assert v.kind == "array"
    assert [x["name"] for x in v.raw["instance"]["attributes"]] == ["note"]


def test_max_bytes_is_capped_within_the_read_cap_and_the_schema() -> None:
    from redpill.memory import MAX_READ
    from redpill.options import OPTION_LIMITS

    # one read never exceeds MAX_READ, and the hex dump stays within the schema's bound
    assert Options(max_bytes=10**9).max_bytes == OPTION_LIMITS["max_bytes"] <= MAX_READ
    assert Options(max_bytes=64).max_bytes == 64


def test_untracked_containers_bound_to_names_are_scanned() -> None:
    ns = _run("o = object()\nd = {'k': o}\nt = (o, 1)\ngc.collect()\ns = redpill.snapshot(o=o)")
    v = ns["s"]["o"]
    got = {(h.address, h.via) for h in v.holders}
    assert (hex(id(ns["d"])), "['k']") in got and (hex(id(ns["t"])), "[0]") in got
    assert v.unexplained == 0


def test_str_keys_of_named_dicts_are_found() -> None:
    ns = _run("k = 'redpill_key_' + str(len('xx'))\nd = {k: [1]}\ns = redpill.snapshot(k=k)")
    v = ns["s"]["k"]
    assert (hex(id(ns["d"])), "key 'redpill_key_2'") in {(h.address, h.via) for h in v.holders}
    assert v.unexplained == 0


def test_holders_found_are_not_reported_as_holding_each_other() -> None:
    x = object()
    t = (x, 1.5)
    keep = [t]
    untracked = [t]
    found = refs.find_holders([t, x], {id(t): 1, id(x): 1}, set(), repr, untracked)
    got = {id(r): slots for r, slots in found}
    assert got == {id(t): {id(x): ["[0]"]}, id(keep): {id(t): ["[0]"]}}
