"""The walking skeleton: %load_ext redpill, then the two-name cell, in a real ipykernel."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import MIME, Kernel

pytestmark = pytest.mark.kernel

CELL = "%%redpill\nage = 1042\nb = age\n"


def test_two_names_one_object(fresh_kernel: Kernel, validate: Any) -> None:
    k = fresh_kernel
    k.ok("%load_ext redpill")
    ex = k.ok(CELL)
    # exactly one display_data, carrying the three MIME types
    (bundle,) = ex.bundles
    assert {MIME, "text/plain", "text/html"} <= set(bundle)
    assert not ex.errors
    payload = validate(bundle[MIME])
    assert payload["schema_version"] == 1
    assert payload["interpreter"]["implementation"] == "CPython"
    names = {b["name"]: b["object"] for b in payload["names"]}
    assert list(names) == ["age", "b"]
    assert names["age"] == names["b"]
    (obj,) = [o for o in payload["objects"] if o["address"] == names["age"]]
    assert obj["type"] == "int"
    assert obj["kind"] == "int"
    if payload["interpreter"]["free_threaded"] and obj["immortal"]:
        # 3.13t makes code constants immortal once a second thread runs (ipykernel's do)
        assert k.value("__import__('sys').getrefcount(age)") >= 2**32 - 1
    else:
        assert obj["refcount"] == 2
        assert obj["immortal"] is False
        # and the refcount: sys.getrefcount adds its own argument
        assert k.value("__import__('sys').getrefcount(age)") == 3
    assert obj["int"]["digits"] == [1042]
    assert obj["int"]["value"] == "1042"
    assert {"name": "age"} in obj["holders"] and {"name": "b"} in obj["holders"]
    # the address is id(), cross-checked in a separate execute
    assert k.value("hex(id(age))") == names["age"]
    # the fallbacks say the same, escaped
    assert "age -> " + names["age"] in bundle["text/plain"]
    assert "<table>" in bundle["text/html"]


def test_the_names_exist_after_the_cell(kernel: Kernel) -> None:
    kernel.ok(CELL)
    assert kernel.value("[age, b, age is b]") == [1042, 1042, True]
