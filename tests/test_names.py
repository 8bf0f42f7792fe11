"""Which names a cell binds: the static walk, the namespace diff, and their merge."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from cellrun import run_cell

from redpill.names import id_snapshot, is_bookkeeping, resolve, static_bindings


@pytest.mark.parametrize(
    ("src", "names"),
    [
        ("a = 1", ["a"]),
        ("a = b = 2", ["a", "b"]),
        ("a, (b, *c) = 1, (2, 3, 4)", ["a", "b", "c"]),
        ("[a, b] = 1, 2", ["a", "b"]),
        ("x: int = 5\ny: int", ["x"]),
        ("n += 1", ["n"]),
        ("for i, j in []: pass", ["i", "j"]),
        ("async def f(): pass\ndef g(): pass\nclass C: pass", ["f", "g", "C"]),
        ("with open('f') as fh, open('g') as (p, q): pass", ["fh", "p", "q"]),
        (
            "import os.path\nimport numpy as np\nfrom a import b, c as d\nfrom m import *",
            ["os", "np", "b", "d"],
        ),
        ("if (w := 10) > 5: pass", ["w"]),
        ("xs = [y := i for i in range(3)]", ["y", "xs"]),
        ("t = [i for i in range(3)]", ["t"]),
        ("try:\n    pass\nexcept E as err:\n    pass", ["err"]),
        ("lambda q: (z := q)", []),
        ("def h(a=(dflt := 3)): pass", ["dflt", "h"]),
        ("obj.attr = 1\nobj[k] = 2", []),
        ("b = 1\na = 2\nb = 3", ["b", "a"]),
        ("await asyncio.sleep(0)\nr = 1", ["r"]),
        ("async for item in aiter(): pass\nasync with cm() as ctx: pass", ["item", "ctx"]),
    ],
)
def test_static_bindings(src: str, names: list[str]) -> None:
    assert static_bindings(src).ordered == names


def test_match_captures() -> None:
    src = (
        "match cmd:\n"
        "    case [first, *rest]: pass\n"
        "    case {'k': val, **others}: pass\n"
        "    case Point(x=px, y=0) | Point(x=0, y=px): pass\n"
        "    case str() as s: pass\n"
        "    case _: pass\n"
    )
    assert static_bindings(src).ordered == ["first", "rest", "val", "others", "px", "s"]


@pytest.mark.skipif(
    sys.version_info < (3, 12),
    reason="`type X = ...` is syntax from CPython 3.12 on: this interpreter cannot parse it",
)
def test_type_alias() -> None:
    assert static_bindings("type Alias = list[int]").ordered == ["Alias"]


def test_globals_in_functions_are_conditional() -> None:
    sb = static_bindings("def f():\n    global g\n    g = 1\nf()")
    assert sb.ordered == ["f"]
    assert sb.conditional == ["g"]


def test_deletes() -> None:
    assert static_bindings("a = 1\ndel a, b").deleted == ["a", "b"]


def test_syntax_error() -> None:
    assert static_bindings("a = = 1").syntax_error


@pytest.mark.parametrize("name", ["_7", "_i12", "_oh", "_dh", "_ih", "_exit_code"])
def test_bookkeeping(name: str) -> None:
    assert is_bookkeeping(name)


def test_every_name_ipython_puts_in_the_namespace_is_bookkeeping() -> None:
    """IPython itself, not a copy of its list: run cells in a real shell and look at the
    names it added to the user namespace beside the cells' own."""
    pytest.importorskip("IPython")
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        for cell in ("a_user_name = 1", "a_user_name + 1", "b_user_name = [2]", "b_user_name"):
            shell.run_cell(cell, store_history=True)
        added = set(shell.user_ns) - {"a_user_name", "b_user_name"}
        assert added, "IPython added its own names"
        assert {n for n in added if not is_bookkeeping(n)} <= set(shell.user_ns_hidden) | {
            "__name__", "__doc__", "__package__", "__loader__", "__spec__", "__builtin__",
            "__builtins__",
        }  # fmt: skip
        assert all(is_bookkeeping(n) for n in ("_", "_2", "_i3", "Out", "In", "_oh"))
    finally:
        InteractiveShell.clear_instance()


@pytest.mark.parametrize("name", ["a", "_private", "__x", "x_1", "i1", "_ia"])
def test_not_bookkeeping(name: str) -> None:
    assert not is_bookkeeping(name)


def test_id_snapshot_keeps_no_references() -> None:
    ns = {"a": object()}
    count = sys.getrefcount(ns["a"])
    snap = id_snapshot(ns)
    after = sys.getrefcount(ns["a"])
    assert after == count
    assert snap == {"a": id(ns["a"])}


def test_resolve_merges_static_and_dynamic() -> None:
    src = "b = 1\na = 2\nglobals()['dyn'] = 3\nkeep = keep\n_ = 5\ndel gone"
    before = {"keep": 1, "gone": 2, "_": 3, "same": 4}
    after = {"keep": 1, "same": 4, "b": 10, "a": 11, "dyn": 12, "_": 13}
    cell = resolve(static_bindings(src), before, after)
    assert cell.names == ["b", "a", "keep", "dyn"]  # keep: rebound to the same object
    assert cell.rebound == set()
    assert cell.deleted == ["gone"]


def test_resolve_after_an_error_keeps_only_changed_names() -> None:
    src = "a = 1\nraise ValueError\nb = 2"
    cell = resolve(static_bindings(src), {"b": 5}, {"a": 1, "b": 5}, error=True)
    assert cell.names == ["a"]


def test_rebound() -> None:
    cell = resolve(static_bindings("x = 2"), {"x": 1}, {"x": 2})
    assert cell.rebound == {"x"}


# ---- through the pure collector (exec in a dict, as the magic does in IPython)
def names(p: dict[str, Any]) -> list[str]:
    return [b["name"] for b in p["names"]]


def test_cell_dynamic_bindings(validate: Any) -> None:
    ns: dict[str, Any] = {"old": 1, "tmp": 2}
    p = validate(
        run_cell(ns, "z = 1\nexec('e = 2')\nglobals()['g'] = 3\nfrom math import *\ndel tmp")
    )
    assert names(p)[:3] == ["z", "e", "g"]
    assert "pi" in names(p)
    assert p["deleted"] == ["tmp"]


def test_cell_with_error(validate: Any) -> None:
    ns: dict[str, Any] = {}
    p = validate(run_cell(ns, "a = [1]\nraise KeyError('x')\nb = 2"))
    assert names(p) == ["a"]
    assert p["error"] == "KeyError"


def test_cell_filter(validate: Any) -> None:
    ns: dict[str, Any] = {"other": [1]}
    p = validate(run_cell(ns, "a = 1\nb = 2", names=("b", "other")))
    assert names(p) == ["b", "other"]
    assert any("not drawn (filter): a" in n for n in p["notes"])
