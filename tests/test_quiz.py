"""``%%redpill --quiz``: questions with their answers in the JSON, never shown first by the
fallbacks; and ``%redpill_config`` kernel-level defaults (hide, hide_names, quiz)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from cellrun import run_cell
from helpers import Kernel, shown_html

from redpill.fallbacks import bundle, mask
from redpill.quiz import parse_fields, questions


def outside_details(html: str) -> str:
    """The HTML with every (nested) <details>...</details> block removed."""
    out, depth, i = [], 0, 0
    for m in re.finditer(r"<details>|</details>", html):
        if depth == 0:
            out.append(html[i : m.start()])
        depth += 1 if m.group() == "<details>" else -1
        i = m.end()
    out.append(html[i:])
    return "".join(out)


# ------------------------------------------------------------------------------ pure
def test_parse_fields() -> None:
    assert parse_fields("refcount, address,digits") == ("refcount", "address", "digits")
    assert parse_fields("same_object,ob_refcnt,refcount") == ("same-object", "refcount")
    assert parse_fields("none") == ()
    with pytest.raises(ValueError, match="unknown quiz field 'colour'"):
        parse_fields("refcount,colour")


def test_questions_and_fallbacks(validate: Any) -> None:
    ns: dict[str, Any] = {}
    p = run_cell(ns, "qa = int('1042')\nqb = qa\nqc = [qa]\nqs = 'hello'")
    qs, dropped = questions(p, parse_fields("refcount,digits,same-object,length"))
    assert dropped == 0
    p["quiz"] = qs
    validate(p)
    by = {(q["field"], q["name"], q.get("other")): q for q in qs}
    assert by[("refcount", "qa", None)]["answer"] == 3  # qa, qb, qc[0]
    assert ("refcount", "qb", None) not in by  # one question per object
    assert by[("digits", "qa", None)]["answer"] == [1042]
    assert by[("same-object", "qa", "qb")]["answer"] is True
    assert by[("same-object", "qa", "qc")]["answer"] is False
    assert by[("length", "qc", None)]["answer"] == 1 and by[("length", "qs", None)]["answer"] == 5
    assert [q["id"] for q in qs] == [f"q{i}" for i in range(1, len(qs) + 1)]
    out = bundle(p)
    text = out["text/plain"]
    assert "answers are hidden" in text
    assert all(q["prompt"] in text for q in qs)
    addr = p["names"][0]["object"]
    assert addr not in text and "refcount 3" not in text and "[1042]" not in text
    html = shown_html(out["text/html"])
    shown = outside_details(html)
    assert addr not in shown and "<code>[1042]</code>" not in shown
    assert "<code>[1042]</code>" in html and addr in html  # folded, not gone
    assert shown.count("<details>") == 0 and html.count("<summary>answer</summary>") == len(qs)


def test_quiz_cap() -> None:
    p = run_cell({}, "\n".join(f"v{i} = [{i}]" for i in range(8)))
    qs, dropped = questions(p, ("same-object",))
    assert len(qs) == 20 and dropped == 28 - 20


def test_masked_fallbacks() -> None:
    p = run_cell({}, "mx = [1042]\nmy = mx")
    p["hidden_fields"] = ["refcount", "address"]
    text = bundle(p)["text/plain"]
    # The live diagram's payload (a comment, never shown) is the MIME output's own, which the
    # renderer masks as it draws: what a reader sees without scripts is masked.
    html = shown_html(bundle(p)["text/html"])
    for o in p["objects"]:
        assert o["address"] not in text and o["address"] not in html
    assert "refcount ?" in text and "object 1" in text
    assert mask({"objects": [], "names": []}) == {"objects": [], "names": []}


# ------------------------------------------------------------------------------ kernel
@pytest.mark.kernel
def test_quiz_in_a_kernel(kernel: Kernel, validate: Any) -> None:
    ex = kernel.ok(
        "%%redpill --quiz refcount,address,same-object\nkq = int('1042')\nkr = kq\nks = [kq]"
    )
    p = validate(ex.payload)
    qs = {(q["field"], q["name"], q.get("other")): q for q in p["quiz"]}
    truth = kernel.value("__import__('sys').getrefcount(kq) - 1")
    assert qs[("refcount", "kq", None)]["answer"] == truth == 3
    assert qs[("address", "kq", None)]["answer"] == kernel.value("hex(id(kq))")
    assert qs[("same-object", "kq", "kr")]["answer"] is True
    assert p["options"]["quiz"] == ["refcount", "address", "same-object"]
    assert "answers are hidden" in ex.bundles[0]["text/plain"]
    assert kernel.value("hex(id(kq))") not in ex.bundles[0]["text/plain"]


@pytest.mark.kernel
def test_bad_quiz_field_is_a_usage_error(kernel: Kernel) -> None:
    ex = kernel.execute("%%redpill --quiz colour\nquiz_not_run = 1")
    assert ex.status == "error" and not ex.payloads
    assert kernel.value("'quiz_not_run' in globals()") is False


@pytest.mark.kernel
def test_redpill_config(kernel: Kernel, validate: Any) -> None:
    out = kernel.ok("%redpill_config hide=refcount,memory hide_names=scratch quiz=refcount")
    assert "hide=memory,refcount" in out.stdout and "quiz=refcount" in out.stdout
    try:
        ex = kernel.ok("%%redpill\nscratch = [1]\nkept = [2]")
        p = validate(ex.payload)
        assert [b["name"] for b in p["names"]] == ["kept"]
        assert p["hidden_fields"] == ["refcount"]
        assert all("memory" not in o for o in p["objects"])
        assert [q["field"] for q in p["quiz"]] == ["refcount"]
        assert all(h.get("name") != "scratch" for o in p["objects"] for h in o["holders"])
        # a cell can turn the default quiz off
        p = validate(kernel.ok("%%redpill --quiz none\nkept2 = [3]").payload)
        assert "quiz" not in p
        assert (
            "refcount ?" in kernel.ok("%%redpill --quiz none\nkept3 = [4]").bundles[0]["text/plain"]
        )
        bad = kernel.execute("%redpill_config colour=red")
        assert bad.status == "error"
    finally:
        kernel.ok("%redpill_config reset")
    p = kernel.ok("%%redpill\nscratch = [5]").payload
    assert [b["name"] for b in p["names"]] == ["scratch"] and "quiz" not in p
