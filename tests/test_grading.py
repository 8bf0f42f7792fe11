"""The autograding API: plain Python values an nbgrader test cell can assert on, with the
API's own references (and the running cell's syntax tree) left out of the counts."""

from __future__ import annotations

import os
from typing import Any

import pytest
from helpers import Kernel

import redpill
from redpill.interp import CURRENT


def test_snapshot_helpers() -> None:
    shared: list[int] = [1]
    other: list[int] = [1]
    s = redpill.snapshot(a=shared, b=shared, c=other)
    assert s.same_object("a", "b") and not s.same_object("a", "c")
    assert s.all_same("a", "b") and not s.all_same()
    assert s.address("a") == id(shared)
    assert s.type("c") == "list"
    assert s.immortal("a") is False
    assert s.refcount("a") == s["a"].refcount


def test_inspect_views() -> None:
    box = [object()] * 3
    v = redpill.inspect(box)
    assert v.distinct_items == 1
    assert redpill.inspect([1, 2]).distinct_items == 2
    assert redpill.inspect(7).distinct_items is None
    n = 2**40 + 5
    iv = redpill.inspect(n)
    assert iv.int is not None
    assert iv.int.digits == (5, 1024)  # 2**40 = 1024 * 2**30
    assert not iv.small_int_cached and redpill.inspect(5).small_int_cached


@pytest.mark.kernel
def test_module_level_refcounts_in_one_cell(kernel: Kernel) -> None:
    kernel.ok("import redpill")
    n = "int('1042')" if CURRENT.free_threaded else "1042"  # 3.13t: constants are immortal
    ex = kernel.ok(
        f"n = {n}; m = n; print(redpill.inspect(n).refcount, redpill.inspect(n).unexplained)"
    )
    assert ex.stdout.split() == ["2", "0"]
    # the same in separate cells, and checked against sys.getrefcount
    kernel.ok("n2 = int('2042')\nm2 = n2")
    assert kernel.value("redpill.inspect(n2).refcount") == 2
    assert kernel.value("__import__('sys').getrefcount(n2) - 1") == 2
    assert kernel.value("redpill.snapshot(a=n2, b=m2).refcount('a')") == 2
    assert kernel.value("redpill.snapshot(a=n2, b=m2).same_object('a', 'b')") is True
    assert kernel.value("redpill.inspect(n2).holder_names") == ["n2", "m2"]


@pytest.mark.kernel
def test_views_are_plain_values(kernel: Kernel) -> None:
    kernel.ok("import redpill\nbig = int('1099511627781')\nsame = [[]] * 4")  # 2**40 + 5
    assert kernel.value("redpill.inspect(big).int.digits") == [5, 1024]
    assert kernel.value("redpill.inspect(big).address == id(big)") is True
    assert kernel.value("redpill.inspect(big).type") == "int"
    assert kernel.value("redpill.inspect(big).immortal") is False
    assert kernel.value("redpill.inspect(same).distinct_items") == 1
    assert kernel.value("redpill.inspect(same[0]).refcount") == 4
    # a view holds no reference: the count is the same after taking one
    kernel.ok("view = redpill.inspect(big)")
    assert kernel.value("redpill.inspect(big).refcount") == 1


@pytest.mark.kernel
def test_assignment_runs_clean(tmp_path: Any) -> None:
    """The example assignment's source (with its solutions) passes its own tests."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    from helpers import ROOT

    nb = nbformat.read(ROOT / "examples" / "assignment.ipynb", as_version=4)
    env_pp = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env_pp) if p)
    try:
        client = nbclient.NotebookClient(
            nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
        )
        client.execute()
    finally:
        os.environ["PYTHONPATH"] = env_pp
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors, errors
