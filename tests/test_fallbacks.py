"""text/plain and text/html fallbacks: true to the payload and escaped."""

from __future__ import annotations

from typing import Any

from cellrun import run_cell

from redpill.fallbacks import bundle, to_html, to_text
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
