"""%%redpill in a real ipykernel: the cell runs exactly as without the magic, the right
names are drawn, the counts are true (checked in separate cells), and nothing hurts the
kernel."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from helpers import MIME, Kernel, start_kernel, stop_kernel

pytestmark = pytest.mark.kernel


def names(p: dict[str, Any]) -> list[str]:
    return [b["name"] for b in p["names"]]


def obj(p: dict[str, Any], name: str) -> dict[str, Any]:
    (b,) = [b for b in p["names"] if b["name"] == name]
    (o,) = [o for o in p["objects"] if o["address"] == b["object"]]
    return o


def test_binding_forms_in_order(kernel: Kernel, validate: Any) -> None:
    cell = """%%redpill
import os.path as osp, json
from collections import OrderedDict as OD
a, (b, *c) = 1, (2, 3, 4)
n: int = 5
n += 1
for i in range(2): pass
with open(osp.devnull) as fh: pass
def f(): pass
async def g(): pass
class K: pass
if (w := 10): pass
match [7, 8]:
    case [first, *rest]: pass
globals()['dyn'] = 'made'
1 + 1
"""
    ex = kernel.ok(cell)
    p = validate(ex.payload)
    assert names(p) == [
        "osp", "json", "OD", "a", "b", "c", "n", "i", "fh", "f", "g", "K", "w", "first",
        "rest", "dyn",
    ]  # fmt: skip
    # the last expression is still Out[n], and the bookkeeping names are not drawn
    (res,) = ex.results
    assert res["data"]["text/plain"] == "2"
    assert not {"_", "__", "___", "Out", "In", "_i", "_ii", "_iii"} & set(names(p))
    assert all(not n.startswith("_i") and not n[1:].isdigit() for n in names(p))


def test_out_and_execution_count(kernel: Kernel) -> None:
    ex = kernel.ok("%%redpill\nval = [1, 2]\nval")
    (res,) = ex.results
    count = res["execution_count"]
    assert ex.reply["content"]["execution_count"] == count
    assert kernel.value(f"Out[{count}] is val and _ is val") is True


def test_deleted_and_rebound(kernel: Kernel) -> None:
    kernel.ok("tmp = 1\nkeep = [1]\nre = [1]")
    p = kernel.ok("%%redpill\ndel tmp\nkeep = keep\nre = [2]").payload
    assert p["deleted"] == ["tmp"]
    assert names(p) == ["keep", "re"]
    rb = {b["name"]: b["rebound"] for b in p["names"]}
    assert rb == {"keep": False, "re": True}


def test_a_name_bound_and_deleted_in_the_cell_is_listed(kernel: Kernel) -> None:
    p = kernel.ok("%%redpill\nt = object()\nkept = 1\ndel t").payload
    assert p["deleted"] == ["t"]
    assert names(p) == ["kept"]
    # a name deleted that was never bound is not (del of a missing name raises anyway)
    q = kernel.execute("%%redpill\nu = 1\ntry:\n    del never_bound\nexcept NameError:\n    pass")
    assert q.payload["deleted"] == []


def test_exception_keeps_the_traceback_and_draws_earlier_names(
    kernel: Kernel, validate: Any
) -> None:
    ex = kernel.execute("%%redpill\nbefore = [1]\nraise ValueError('boom')\nafter = 2\n")
    assert ex.status == "error"
    (err,) = ex.errors
    assert err["ename"] == "ValueError" and err["evalue"] == "boom"
    tb = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(err["traceback"]))
    # the line numbers are the cell's own (the %%redpill line is line 1)
    assert re.search(r"-*> ?3 raise ValueError", tb), tb
    p = validate(ex.payload)
    assert names(p) == ["before"]
    assert p["error"] == "ValueError"
    # output order: the traceback, then the picture
    kinds = [m["msg_type"] for m in ex.messages if m["msg_type"] in ("error", "display_data")]
    assert kinds == ["error", "display_data"]


def test_top_level_await(kernel: Kernel) -> None:
    ex = kernel.ok("%%redpill\nimport asyncio\nawaited = await asyncio.sleep(0, result=[42])")
    assert names(ex.payload) == ["asyncio", "awaited"]
    assert kernel.value("awaited") == [42]


def test_ipython_syntax_inside(kernel: Kernel) -> None:
    ex = kernel.ok("%%redpill\n!echo shell-says-hi\n%time timed = [3]\nplain = 1.5\n")
    assert "shell-says-hi" in ex.stdout
    assert names(ex.payload) == ["timed", "plain"]


def test_help(kernel: Kernel) -> None:
    ex = kernel.ok("%%redpill?")
    assert not ex.payloads
    pages = ex.reply["content"]["payload"]
    text = json.dumps(pages)
    assert "--depth" in text and "every name the cell bound" in text
    # the instructors' flags are a group of their own, after the collector's
    page = pages[0]["data"]["text/plain"]
    collector, instructors = page.split("For instructors:\n", 1)
    assert "--max-text MAX_TEXT" in collector and "--max-text MAX_TEXT" not in instructors
    assert all(f in instructors for f in ("--steps", "--max-steps MAX_STEPS", "--diff", "--quiz"))


def test_bad_arguments_are_a_usage_error(kernel: Kernel) -> None:
    ex = kernel.execute("%%redpill --no-such-option\nnot_run = 1\n")
    assert ex.status == "error"
    assert not ex.payloads
    assert kernel.value("'not_run' in globals()") is False


def test_options(kernel: Kernel, validate: Any) -> None:
    p = kernel.ok(
        "%%redpill nest --depth 0 --hide memory,_gc_next\nnest = [[1], [2]]\nother = 1"
    ).payload
    validate(p)
    assert names(p) == ["nest"]
    (o,) = p["objects"]
    assert o["items"] == [None, None]
    assert "memory" not in o
    assert all(f["name"] != "_gc_next" for f in o["fields"])
    assert p["options"]["depth"] == 0
    assert "truncated" not in p  # beyond the depth is not "truncated" (only the caps are)


def test_direct_call_of_the_magic(kernel: Kernel, validate: Any) -> None:
    ex = kernel.ok("get_ipython().run_cell_magic('redpill', '--depth 1', 'direct = [5]')")
    p = validate(ex.payload)
    assert names(p) == ["direct"]


def test_refcounts_match_getrefcount_in_a_separate_cell(kernel: Kernel, validate: Any) -> None:
    p = validate(
        kernel.ok(
            "%%redpill\nx = object()\nlst = [x, x]\nd = {'k': lst}\nt = (lst, d)\n"
            "s = ''.join(['ab'] * 3)"
        ).payload
    )
    got = {n: obj(p, n)["refcount"] for n in ("x", "lst", "d", "t", "s")}
    truth = kernel.value(
        "{n: __import__('sys').getrefcount(globals()[n]) - 1 for n in ('x','lst','d','t','s')}"
    )
    # "- 1": getrefcount's argument (the temporary globals()[n])
    assert got == truth
    assert obj(p, "x")["refcount"] == 3
    for n in ("x", "lst", "d", "t"):
        assert obj(p, n)["unexplained"] == 0


def test_addresses_are_ids(kernel: Kernel) -> None:
    p = kernel.ok("%%redpill\nq1 = [1]\nq2 = {'a': q1}").payload
    ids = kernel.value("[hex(id(q1)), hex(id(q2)), hex(id(q1[0]))]")
    assert [obj(p, "q1")["address"], obj(p, "q2")["address"]] == ids[:2]
    assert obj(p, "q1")["items"] == [ids[2]]


def test_plain_cells_are_untouched(kernel: Kernel) -> None:
    ex = kernel.ok("plain_cell = 1\nplain_cell")
    assert not ex.payloads and ex.results


def test_silent_execution(kernel: Kernel) -> None:
    ex = kernel.execute("%%redpill\nsilent_x = 1", silent=True)
    assert ex.status == "ok" and not ex.payloads
    assert len(kernel.ok("%%redpill\nloud = 2").payloads) == 1


# ------------------------------------------------------------------------------ safety
HOSTILE = """
class Hostile:
    def __getattribute__(self, n): raise RuntimeError("getattribute")
    def __repr__(self): raise RuntimeError("repr")
    def __eq__(self, o): raise RuntimeError("eq")
    def __hash__(self): raise RuntimeError("hash")
    def __sizeof__(self): return 10**12
    @property
    def __class__(self): return int
"""


def test_hostile_objects(kernel: Kernel, validate: Any) -> None:
    kernel.ok(HOSTILE)
    ex = kernel.ok("%%redpill\nh = Hostile()\nhs = [h, (h,), {'h': h}]")
    p = validate(ex.payload)
    assert obj(p, "h")["type"] == "Hostile"
    assert obj(p, "h")["refcount"] == 4
    assert "RuntimeError" not in ex.stderr


def test_million_item_list(kernel: Kernel, validate: Any) -> None:
    ex = kernel.ok("%%redpill\nmillion = list(range(10**6))")
    (bundle,) = ex.bundles
    assert len(json.dumps(bundle)) < 1_000_000 // 4
    p = validate(bundle[MIME])
    assert obj(p, "million")["items_total"] == 10**6
    assert kernel.value("len(million)") == 10**6


def test_recursive_and_huge(kernel: Kernel, validate: Any) -> None:
    ex = kernel.ok("%%redpill\nrec = []\nrec.append(rec)\nhuge = 'x' * 10**7\nrd = {}\nrd[1] = rd")
    p = validate(ex.payload)
    assert obj(p, "rec")["items"] == [obj(p, "rec")["address"]]
    assert len(json.dumps(ex.bundles[0])) < 100_000


def test_namespace_unchanged_by_the_collection(kernel: Kernel) -> None:
    kernel.ok("ns_probe = [object(), {'a': 1}]")
    before = kernel.value(
        "sorted((k, hex(id(v))) for k, v in globals().items() if not k.startswith('_'))"
    )
    kernel.ok("%%redpill ns_probe\npass")
    after = kernel.value(
        "sorted((k, hex(id(v))) for k, v in globals().items() if not k.startswith('_'))"
    )
    assert before == after


# ------------------------------------------------------------------------------ loading
def test_lazy_loading_and_reload(tmp_path: Any, validate: Any) -> None:
    k = start_kernel(tmp_path)
    try:
        k.ok("%config MagicsManager.lazy_magics = {'redpill': 'redpill'}")
        first = k.ok("%%redpill\nlazy = [1]")
        assert len(first.payloads) == 1 and names(validate(first.payload)) == ["lazy"]
        second = k.ok("%%redpill\nlazy2 = await __import__('asyncio').sleep(0, result=2)")
        assert len(second.payloads) == 1 and names(second.payload) == ["lazy2"]
        k.ok("%reload_ext redpill")
        third = k.ok("%%redpill\nafter_reload = 3")
        assert len(third.payloads) == 1
        k.ok("%unload_ext redpill")
        gone = k.execute("%%redpill\nx = 1")
        assert not gone.payloads
    finally:
        stop_kernel(k)


def test_names_are_read_from_the_tree_ipython_parses(kernel: Kernel) -> None:
    """The cell is parsed once, by IPython: redpill reads the tree of that one parse
    (not %time's inside the cell), and leaves nothing behind that other cells pay
    for: no AST transformer, the compiler as it was."""
    kernel.ok("import redpill.magic as _rp_m\n_rp_calls = []\n_rp_real = _rp_m.tree_bindings")
    kernel.ok("_rp_m.tree_bindings = lambda *a, **k: (_rp_calls.append(1), _rp_real(*a, **k))[1]")
    try:
        ex = kernel.ok("%%redpill\ntree_a = [1]\n%time tree_b = tree_a\ntree_c = 3")
        calls = kernel.value("len(_rp_calls)")
        left = kernel.value(
            "[len(get_ipython().ast_transformers), 'ast_parse' in vars(get_ipython().compile)]"
        )
    finally:
        kernel.ok("_rp_m.tree_bindings = _rp_real")
    assert names(ex.payload) == ["tree_a", "tree_b", "tree_c"]
    assert calls == 1
    assert left == [0, False]


def test_no_holder_is_redpills_own_bookkeeping(kernel: Kernel) -> None:
    """Found by trying the magic: ``label = "age"`` next to ``age`` listed redpill's own
    holder records (a ``Holder`` and a dict keyed by names) as holders of the string."""
    ex = kernel.ok('%%redpill\nhb_age = 1042\nhb_b = hb_age\nhb_label = "hb_age"')
    (s,) = [o for o in ex.payload["objects"] if o["type"] == "str"]
    ns = kernel.value("hex(id(get_ipython().user_ns))")
    assert {"name": "hb_label"} in s["holders"]
    assert {"object": ns, "type": "dict", "via": "key 'hb_age' (the namespace)"} in s["holders"]
    assert [h for h in s["holders"] if "object" in h and h["object"] != ns] == []
    assert s.get("unexplained", 0) >= 0
