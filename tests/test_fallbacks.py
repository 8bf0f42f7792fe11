"""text/plain and text/html fallbacks: true to the payload and escaped."""

from __future__ import annotations

from typing import Any

from cellrun import run_cell

from redpill.fallbacks import bundle, field_note, to_html, to_text
from redpill.payload import MIME, empty_payload

EVIL = "<script>alert('x')</script>"


def test_bundle_has_three_types() -> None:
    p = run_cell({}, "a = 1042\nb = a")
    out = bundle(p)
    assert set(out) == {MIME, "text/plain", "text/html"}
    assert out[MIME] == p


def test_text_lists_names_and_objects() -> None:
    p = run_cell({}, "age = 1042\nb = age")
    text = to_text(p)
    addr = p["names"][0]["object"]
    assert f"age -> {addr} (int)" in text
    assert f"b -> {addr} (int)" in text
    (o,) = p["objects"]
    assert f"refcount {o['refcount']}" in text
    assert "digits [1042]" in text


def test_html_escapes_every_user_string() -> None:
    ns: dict[str, Any] = {}
    src = (
        f"s = {EVIL!r} * 2\n"
        f"d = {{{EVIL!r}: 1}}\n"
        f"globals()[{EVIL!r}] = 1\n"
        f"class Evil: pass\n"
        f"Evil.__qualname__ = {EVIL!r}\n"
        "e = Evil()\n"
    )
    p = run_cell(ns, src)
    html_text = to_html(p)
    assert "<script>" not in html_text
    assert "&lt;script&gt;" in html_text
    assert "<script>" in to_text(p)  # plain text is not HTML


def test_error_and_notes_are_shown() -> None:
    p = empty_payload("something <odd>", error="KeyError")
    assert "KeyError" in to_text(p) and "something <odd>" in to_text(p)
    assert "something &lt;odd&gt;" in to_html(p)


def test_fixed_explanations_come_from_the_fallback_not_the_payload() -> None:
    ns: dict[str, Any] = {}
    p = run_cell(ns, "lst = [1, 2]")
    (o,) = [o for o in p["objects"] if o["type"] == "list"]
    by_name = {f["name"]: f for f in o["fields"]}
    assert "note" not in by_name["ob_type"]  # the payload keeps facts only
    assert field_note(by_name["ob_type"], o) == "type list"
    text = to_text(p)
    assert "(type list)" in text
    if "_gc_prev" in by_name:  # default builds: the GC links before the object
        assert "note" not in by_name["_gc_prev"]
        flags = int(by_name["_gc_prev"]["value"], 16) & 3
        assert f"PyGC_Head: previous object, flags {flags}" in text
        assert field_note(by_name["_gc_next"], o) == "PyGC_Head: next object in its GC list"
    assert field_note({"name": "ob_size", "value": 2, "note": "fact"}, o) == "fact"
