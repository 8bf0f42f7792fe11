"""CPython gh-122695: on 3.12.0-3.12.5 (and 3.13 before rc2) ``gc.get_referents`` on the
``_asyncio`` module hands out freed ``FutureIter`` objects from its freelist; dropping them
frees them again, the freelist then links to itself and the next ``gc.collect()`` or
``gc.get_referrers()`` spins forever in the module's traverse function.  redpill met the
``_asyncio`` module as a holder of ``asyncio`` (its module state references it), so a
``%%redpill`` cell binding ``asyncio`` after an ``await`` hung a later cell's
``gc.get_referrers``/``gc.collect``.  redpill must never make that call where it is
harmful (:data:`redpill.structs.UNSAFE_REFERENTS`)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
import types

import pytest
from helpers import ROOT, Kernel

from redpill import refs, structs
from redpill.interp import CURRENT, Interpreter

AFFECTED = bool(structs.unsafe_referents())


def _at(version: str) -> Interpreter:
    minor = int(version.split(".")[1])
    return dataclasses.replace(CURRENT, version=version, minor=minor)


def test_release_parsing() -> None:
    assert structs.release("3.12.1") == (3, 12, 1, 3, 0)
    assert structs.release("3.13.0rc1") == (3, 13, 0, 2, 1)
    assert structs.release("3.13.0b4") == (3, 13, 0, 1, 4)
    assert structs.release("3.14.0a7+") == (3, 14, 0, 0, 7)
    assert structs.release("3.13.0rc1") < structs.release("3.13.0rc2") < structs.release("3.13.0")


@pytest.mark.parametrize(
    ("version", "affected"),
    [
        ("3.11.7", False),
        ("3.12.0", True),
        ("3.12.1", True),
        ("3.12.5", True),
        ("3.12.6", False),
        ("3.12.11", False),
        ("3.13.0b1", True),
        ("3.13.0rc1", True),
        ("3.13.0rc2", False),
        ("3.13.0", False),
        ("3.14.0", False),
    ],
)
def test_unsafe_referents_table(version: str, affected: bool) -> None:
    bad = structs.unsafe_referents.__wrapped__(_at(version))  # type: ignore[attr-defined]
    assert ("_asyncio" in bad) is affected
    if affected:
        assert bad["_asyncio"] == "gh-122695"


def test_only_the_asyncio_module_is_skipped() -> None:
    import asyncio  # first: importing _asyncio before asyncio upsets asyncio on 3.12

    _asyncio = sys.modules["_asyncio"]

    assert (refs.unsafe_referents_reason(_asyncio) is not None) is AFFECTED
    assert (refs.safe_referents(_asyncio) is None) is AFFECTED
    for o in (asyncio, types, {"a": 1}, [1], object()):
        assert refs.unsafe_referents_reason(o) is None
        assert refs.safe_referents(o) is not None


_SCRIPT = """
import asyncio, gc, redpill

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_soon(fut.set_result, 1)
    await fut  # a C FutureIter, freed into _asyncio's freelist

asyncio.run(main())
payload = redpill.snapshot(asyncio=asyncio).to_payload()
gc.collect()
print(len(gc.get_referrers(gc)) > 0)
print("NOTES", payload.get("notes"))
"""


@pytest.mark.skipif(
    sys.platform == "emscripten", reason="Pyodide (Emscripten) cannot start processes"
)
def test_snapshot_of_asyncio_then_collect_returns() -> None:
    """In a plain interpreter: the collector's holder scan, then gc.collect()."""
    try:
        out = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(_SCRIPT)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=str(ROOT),
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )
    except subprocess.TimeoutExpired:
        pytest.fail("gc.collect() hung after redpill.snapshot(asyncio=asyncio) (gh-122695)")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "True"
    assert ("module _asyncio) were not read" in lines[1]) is AFFECTED


@pytest.mark.kernel
def test_cell_with_await_then_gc_in_a_later_cell(fresh_kernel: Kernel) -> None:
    """The report: a ``%%redpill`` cell with top-level ``await``, then ``gc.get_referrers``
    and ``gc.collect()`` in later cells (the kernel hung on CPython 3.12.1)."""
    k = fresh_kernel
    k.ok("%load_ext redpill")
    cell = "%%redpill\nimport asyncio\nawait asyncio.sleep(0)\nx = 1\n"
    try:
        p = k.ok(cell, timeout=60).payload
        assert k.value("len(__import__('gc').get_referrers(__import__('gc'))) > 0") is True
        assert k.value("__import__('gc').collect() >= 0") is True
        # and again: a cell that surely leaves FutureIters in the freelist first
        k.ok(
            "%%redpill\nimport asyncio\n_f = asyncio.get_running_loop().create_future()\n"
            "asyncio.get_running_loop().call_soon(_f.set_result, 1)\nawait _f\nasyncio\n",
            timeout=60,
        )
        assert k.value("__import__('gc').collect() >= 0") is True
    except TimeoutError:
        pytest.fail("the kernel hung after a %%redpill cell with await (gh-122695)")
    assert [b["name"] for b in p["names"]] == ["asyncio", "x"]
