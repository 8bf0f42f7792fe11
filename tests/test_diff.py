"""``%%redpill --diff``: what changed since the previous snapshot, with no reference kept."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import pytest
from cellrun import run_cell
from helpers import Kernel

from redpill.diff import Digest, History, ObjectDigest, _reused, diff, digest


def by_address(p: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["address"]: o for o in p["diff"]["objects"]}


def names(p: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["name"]: n for n in p["diff"]["names"]}


# ------------------------------------------------------------------------------ pure
def _only_plain_values(x: Any) -> bool:
    if x is None or isinstance(x, str | int | float | bool):
        return True
    if dataclasses.is_dataclass(x):
        return all(_only_plain_values(getattr(x, f.name)) for f in dataclasses.fields(x))
    if isinstance(x, Mapping):
        return all(_only_plain_values(k) and _only_plain_values(v) for k, v in x.items())
    if isinstance(x, tuple | list):
        return all(_only_plain_values(v) for v in x)
    return False


def test_digest_holds_only_strings_and_numbers() -> None:
    ns: dict[str, Any] = {}
    p = run_cell(ns, "class K: pass\nk = K()\nk.items = [1.5, 'x', (1, 2)]\nd = {'k': k}")
    d = digest(p, 1)
    assert _only_plain_values(d)
    assert set(d.names) == {"K", "k", "d"}


def test_reuse_rules() -> None:
    def od(**kw: Any) -> ObjectDigest:
        base = dict(
            type="list",
            kind="list",
            refcount=1,
            immortal=False,
            repr="<list of 1 item>",
            content="c1",
            holders=(("name", "x"),),
            unexplained=0,
            children=None,
            value=None,
        )
        base.update(kw)
        return ObjectDigest(**base)  # type: ignore[arg-type]

    now = {"type": "list", "kind": "list", "refcount": 1}
    assert _reused(od(type="dict", kind="dict"), now, "c1", (), {}) == (True, True)
    assert _reused(od(), now, "c2", ("y",), {}) == (True, False)  # x let go, looks different
    assert _reused(od(), now, "c2", ("x",), {}) == (False, False)  # x still holds it
    assert _reused(od(), now, "c1", ("y",), {}) == (False, False)  # looks the same
    assert _reused(od(unexplained=1), now, "c2", ("y",), {}) == (False, False)


def test_first_diff_has_nothing_to_compare() -> None:
    out = diff(None, {"names": [], "objects": []}, [], {}, {})
    assert out["previous"] is None and out["notes"]


def test_history_remembers_each_snapshot() -> None:
    h = History()
    h.remember({"names": [{"name": "a", "object": "0x1"}], "objects": []})
    h.remember({"names": [], "objects": []})
    assert isinstance(h.last, Digest) and h.last.serial == 2 and h.carried_names() == []


# ------------------------------------------------------------------------------ kernel
@pytest.mark.kernel
def test_refcounts_and_rebinding(kernel: Kernel, validate: Any) -> None:
    kernel.ok("%%redpill\nd_list = [1042]\nd_alias = d_list\nd_int = int('5042')")
    ex = kernel.ok("%%redpill --diff\nd_alias = None\nd_new = d_int")
    p = validate(ex.payload)
    lst = kernel.value("hex(id(d_list))")
    num = kernel.value("hex(id(d_int))")
    objs = by_address(p)
    assert objs[lst]["status"] == "same" and objs[lst]["refcount"] == [2, 1]
    assert objs[num]["refcount"] == [1, 2]
    ns = names(p)
    assert ns["d_alias"]["change"] == "rebound" and ns["d_alias"]["before"] == lst
    assert ns["d_list"]["change"] == "same" and ns["d_new"]["change"] == "new"
    # the cell's own names are the top-level names; the older ones are drawn as objects
    assert [b["name"] for b in p["names"]] == ["d_alias", "d_new"]
    assert lst in {o["address"] for o in p["objects"]}
    text = ex.bundles[0]["text/plain"]
    assert "since the previous %%redpill snapshot" in text
    assert f"name d_alias rebound: {lst} -> " in text


@pytest.mark.kernel
def test_freed_and_address_reuse(kernel: Kernel, validate: Any) -> None:
    kernel.ok("%%redpill\nold_list = [1042]\nold_float = float('1.25')")
    old_list = kernel.value("hex(id(old_list))")
    old_float = kernel.value("hex(id(old_float))")
    ex = kernel.ok(
        "%%redpill --diff\n"
        "if True:\n"
        "    del old_list\n"
        "    new_list = [2042, 3042]\n"  # the list free list hands back the same address
        "    del old_float\n"
        "    new_float = float('2.5')\n"
    )
    p = validate(ex.payload)
    assert kernel.value("hex(id(new_list))") == old_list
    assert kernel.value("hex(id(new_float))") == old_float
    objs = by_address(p)
    assert objs[old_list]["status"] == "reused"
    assert objs[old_float]["status"] == "reused" and objs[old_float]["certain"] is True
    assert objs[old_float]["repr"] == ["1.25", "2.5"]
    ns = names(p)
    assert ns["old_list"]["change"] == "deleted" and ns["new_list"]["change"] == "new"
    text = ex.bundles[0]["text/plain"]
    assert "NEW object at a reused address" in text
    # plainly freed
    kernel.ok("%%redpill\ngoner = [5042]")
    goner = kernel.value("hex(id(goner))")
    p = validate(kernel.ok("%%redpill --diff\ndel goner").payload)
    assert by_address(p)[goner]["status"] == "freed"


@pytest.mark.kernel
def test_no_reference_to_previous_objects(kernel: Kernel) -> None:
    kernel.ok("import weakref, gc, sys\nclass Probe: pass")
    kernel.ok("%%redpill\nprobe = Probe()\nprobe_list = [probe]")
    assert kernel.value("sys.getrefcount(probe) - 1") == 2  # probe, probe_list[0]
    kernel.ok("w = weakref.ref(probe)\ndel probe, probe_list")
    assert kernel.value("w() is None") is True  # died at once: nobody else held it
    p = kernel.ok("%%redpill --diff\nafter_probe = 1").payload
    statuses = {o["type"]: o["status"] for o in p["diff"]["objects"]}
    assert statuses.get("Probe") == "freed"


@pytest.mark.kernel
def test_first_diff_in_a_kernel(fresh_kernel: Kernel, validate: Any) -> None:
    fresh_kernel.ok("%load_ext redpill")
    p = validate(fresh_kernel.ok("%%redpill --diff\nfirst = 1").payload)
    assert p["diff"]["previous"] is None
