"""The live diagram in ``text/html`` (redpill/live.py): what the HTML holds and that nothing a
payload holds can leave the comment it is stored in, start markup or end a script; the packed
drawing code is the built bundle; the overhead per output stays within its budget."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from cellrun import run_cell
from helpers import MIME, Kernel
from hostile_corpus import CASES, definitions

from redpill import live
from redpill.compact import expand, sent
from redpill.fallbacks import bundle, to_html

ROOT = Path(__file__).resolve().parents[1]
BREAKERS: list[str] = json.loads((ROOT / "tests/fixtures/script-breakers.json").read_text())[
    "strings"
]
#: The budget per output beyond its payload JSON and table, in bytes (30 KiB).
BUDGET = 30 * 1024
#: The elements of the kernel's table (fallbacks.to_html / quiz_html) and the host.
TABLE_TAGS = {"div", "p", "b", "code", "table", "thead", "tbody", "tr", "th", "td", "br"}
TABLE_TAGS |= {"details", "summary", "pre", "ol", "li"}


@pytest.fixture(autouse=True)
def _built() -> None:
    if not live.available():
        pytest.fail("the live bundle is not built: run scripts/setup.sh (npm run build:live)")


class Parsed(HTMLParser):
    """Everything an HTML parser finds in one output: elements, script texts, comments."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.comments: list[str] = []
        self._in_script = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def hostile_payload() -> dict[str, Any]:
    """A real payload whose names, reprs, keys, type names and notes are the breakers."""
    lines = [f"s{i} = {s!r}" for i, s in enumerate(BREAKERS)]
    lines += [f"globals()[{s!r}] = [{i}]" for i, s in enumerate(BREAKERS)]
    lines += [f"d = {{{', '.join(f'{s!r}: {i}' for i, s in enumerate(BREAKERS))}}}"]
    lines += ["class Evil: pass", f"Evil.__qualname__ = {BREAKERS[2]!r}", "e = Evil()"]
    p = run_cell({}, "\n".join(lines), max_objects=200)
    p["notes"] = [*p.get("notes", []), *BREAKERS]
    return p


def check_output(payload: dict[str, Any], html: str) -> Parsed:
    """The output is the host with the table and two comments, then one script: ours."""
    parsed = Parsed(html)
    assert parsed.scripts == [f'{live.BOOTSTRAP}("{live_id(html)}")']
    assert [t for t, _ in parsed.tags].count("script") == 1
    host_tag, host_attrs = parsed.tags[0]
    assert host_tag == "div" and host_attrs == {
        "class": "redpill-live",
        "data-redpill-id": live_id(html),
    }
    for tag, attrs in parsed.tags[1:]:
        if tag != "script":
            assert tag in TABLE_TAGS, tag
            assert set(attrs) <= {"class", "id"}, attrs
    # The payload, then the one bundle its features need.
    assert len(parsed.comments) == 2
    data, code = parsed.comments
    assert data.startswith(live.PAYLOAD_MARK) and code.startswith("redpill-code ")
    packs = live._packs() or {}
    assert code == "redpill-code {} {}".format(*packs[live.bundle_for(payload)])
    packed = data.removeprefix(live.PAYLOAD_MARK)
    # (as sent: steps may be written compactly, redpill.compact)
    copied = expand(json.loads(live.unpack_payload(packed)))
    assert copied == expand(json.loads(json.dumps(payload)))
    # Nothing in the comments can end them, and the only markup-like text is our own.
    assert re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", packed)  # base 64: no risky character at all
    assert not re.search(r"[<>]|[^\x20-\x7e]", code)
    assert html.count("</script") == 1
    assert html.count("<!--") == 2 and html.count("-->") == 2
    return parsed


def live_id(html: str) -> str:
    m = re.match(r'<div class="redpill-live" data-redpill-id="([0-9a-f]+)"', html)
    assert m, html[:200]
    return m.group(1)


def test_hostile_strings_stay_in_the_payload_comment() -> None:
    p = hostile_payload()
    names = {b["name"] for b in p["names"]}
    assert set(BREAKERS) <= names  # the breakers really are in the payload
    html = bundle(p)["text/html"]
    parsed = check_output(p, html)
    assert "redpillPwned" not in "".join(parsed.scripts)


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_objects_give_well_formed_outputs(case: str) -> None:
    ns: dict[str, Any] = {}
    exec(definitions("lie"), ns)
    p = run_cell(ns, CASES[case])
    check_output(p, bundle(p)["text/html"])


def test_quiz_outputs_keep_their_folded_answers_as_the_table() -> None:
    p = run_cell({}, "qa = [1042]\nqb = qa")
    from redpill.quiz import parse_fields, questions

    p["quiz"] = questions(p, parse_fields("refcount,same-object"))[0]
    html = bundle(p)["text/html"]
    parsed = check_output(p, html)
    assert ("ol", {}) in parsed.tags and "<summary>answer</summary>" in html


def test_script_json_is_inert_anywhere() -> None:
    for s in BREAKERS:
        text = live.script_json({"k": s, s: [s]})
        assert json.loads(text) == {"k": s, s: [s]}
        assert not re.search(r"[<>&]|[^\x20-\x7e]", text)


def test_same_payload_same_id_and_other_payload_other_id() -> None:
    a = run_cell({}, "x = 1042")
    b = run_cell({}, "y = 1042")
    ha, hb = bundle(a)["text/html"], bundle(b)["text/html"]
    assert live_id(ha) == live_id(bundle(a)["text/html"]) != live_id(hb)


def test_pack_is_the_built_bundle() -> None:
    packs = live._packs() or {}
    assert set(packs) == set(live.BUNDLES)
    # The package holds live.js and the pack; the other bundles are built in build/live/.
    assert {p.name for p in (ROOT / "redpill/static").iterdir()} == {"live.js", "live.pack"}
    built = {p.name for p in (ROOT / "build/live").glob("live-*.js")}
    assert built == {f"live-{name}.js" for name in live.BUNDLES if name != "main"}
    for name, (key, packed) in packs.items():
        file = "redpill/static/live.js" if name == "main" else f"build/live/live-{name}.js"
        assert live.unpack(key, packed) == (ROOT / file).read_bytes()
        # the packed length is exact: DecompressionStream refuses bytes after the stream's end
        size = int(key.rsplit("_", 1)[1])
        assert len(packed) == 2 * -(-size * 8 // 13)
        assert set(packed) <= set(live.ALPHABET)
    assert len(live.ALPHABET) == 91
    assert not set(live.ALPHABET) & set('"\\<>')
    # scripts/pack-live.mjs makes the same alphabet, and so does BOOTSTRAP.
    script = (ROOT / "scripts/pack-live.mjs").read_text()
    assert "length: 95" in script and ".filter(c => !'\"\\\\<>'.includes(c))" in script
    # BOOTSTRAP reads a digit's value from its character code, less one for each character
    # left out of the alphabet below it.
    assert "-32-(q>34)-(q>60)-(q>62)-(q>92)" in live.BOOTSTRAP
    assert sorted(map(ord, '"\\<>')) == [34, 60, 62, 92]
    assert all(
        ord(c) - 32 - sum(ord(c) > x for x in (34, 60, 62, 92)) == i
        for i, c in enumerate(live.ALPHABET)
    )


#: A payload of each output kind, as the kernel records them (the renderer's fixtures, which
#: other tests keep equal to what the kernel records); "plain" is recorded here.
KIND_FIXTURES = {
    "steps": ["steps-frames.json"],
    "quiz": ["quiz-all.json"],
    "diff": ["diff.json"],
    "buffers": ["buffers.json"],
    "all": ["steps-frames.json", "quiz-all.json", "diff.json", "buffers.json"],
}


def _kind_payload(kind: str) -> dict[str, Any]:
    """A payload of one output kind (plain, steps, quiz, diff, buffers, all together)."""
    if kind == "plain":
        return run_cell({}, "age = 1042\nb = age\nlst = [age, 'text', 2.5]")
    fixtures = ROOT / "src/__tests__/fixtures"
    # (the fixtures are written as the kernel sends them; the collector keeps them whole)
    parts = [expand(json.loads((fixtures / name).read_text())) for name in KIND_FIXTURES[kind]]
    p = parts[0]
    for extra in parts[1:]:
        for key in ("steps", "step_counts", "quiz", "diff"):
            if key in extra:
                p[key] = extra[key]
        p["objects"] = p["objects"] + extra["objects"]
    return p


#: Output kinds still over the budget (README, "What the output carries"): their bundle
#: holds the steps' code beside the diagram's. Strict: the test fails once one fits, so
#: the list (and the README) must then be updated.
OVER_BUDGET = pytest.mark.xfail(
    strict=True, reason="the bundle of this kind exceeds 30 KiB (known, measured)"
)


@pytest.mark.parametrize(
    "kind",
    [
        "plain",
        "steps",
        "quiz",
        "diff",
        "buffers",
        pytest.param("all", marks=OVER_BUDGET),
    ],
)
def test_overhead_per_output_within_budget(kind: str) -> None:
    p = _kind_payload(kind)
    assert kind not in ("steps", "all") or p.get("steps")
    html = bundle(p)["text/html"]
    check_output(p, html)
    # The table this output shows (a quiz's holds its folded answers: quiz_html).
    table = html[html.index(">") + 1 : html.index("<!--" + live.PAYLOAD_MARK)]
    assert "<table" in table and "<script" not in table
    # beyond the table and the output's own payload (its packed copy, as sent)
    copy = live.pack_payload(live.payload_json(sent(p)))
    assert copy in html
    overhead = len(html.encode()) - len(table.encode()) - len(copy)
    print(f"live diagram overhead ({kind}): {overhead} bytes per output (budget {BUDGET})")
    assert 0 < overhead <= BUDGET


#: The bundles still over the budget (each output carries exactly one: see
#: test_each_kind_carries_the_bundle_of_its_features). Strict, as OVER_BUDGET.
BUNDLES_OVER_BUDGET = frozenset({"buffers-quiz-steps"})


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=OVER_BUDGET) if name in BUNDLES_OVER_BUDGET else name
        for name in live.BUNDLES
    ],
)
def test_every_bundle_within_budget(name: str) -> None:
    # An output's overhead beyond its table and payload copy is the same markup and
    # bootstrap whichever bundle it carries, plus that bundle's key and packed code.
    p = _kind_payload("plain")
    html = bundle(p)["text/html"]
    table = html[html.index(">") + 1 : html.index("<!--" + live.PAYLOAD_MARK)]
    copy = live.pack_payload(live.payload_json(p))
    packs = live._packs()
    assert packs is not None and live.bundle_for(p) == "main"
    key, code = packs["main"]
    assert f"{key} {code}" in html
    fixed = len(html.encode()) - len(table.encode()) - len(copy) - len(key) - len(code)
    key, code = packs[name]
    overhead = fixed + len(key) + len(code)
    print(f"live diagram overhead (bundle {name}): {overhead} bytes per output")
    assert 0 < overhead <= BUDGET


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("plain", "main"),
        ("steps", "steps"),
        ("quiz", "quiz"),
        ("diff", "diff"),
        ("buffers", "buffers"),
        ("all", "buffers-quiz-steps"),
    ],
)
def test_each_kind_carries_the_bundle_of_its_features(kind: str, name: str) -> None:
    p = _kind_payload(kind)
    assert live.bundle_for(p) == name
    key, packed = (live._packs() or {})[name]
    assert f"<!--redpill-code {key} {packed}-->" in bundle(p)["text/html"]


def test_hidden_fields_and_a_diff_under_steps_choose_their_bundles() -> None:
    p = run_cell({}, "x = [1042]")
    assert live.bundle_for({**p, "hidden_fields": ["refcount"]}) == "quiz"
    diff = _kind_payload("diff")["diff"]
    assert live.bundle_for({**p, "diff": diff}) == "diff"
    steps = _kind_payload("steps")
    assert live.bundle_for({**steps, "diff": diff}) == "steps"
    assert set(map(live.bundle_for, [p, steps])) <= set(live.BUNDLES)
    # A buffer drawn in an earlier step only (it is in step_objects, not in objects).
    buffers = _kind_payload("buffers")["objects"]
    buffer = next(o for o in buffers if o.get("kind") in live.BUFFER_KINDS)
    earlier = {**steps, "step_objects": [*steps["step_objects"], {**buffer, "version": 0}]}
    assert live.bundle_for(earlier) == "buffers-steps"


def test_a_payload_over_the_live_cap_gets_the_table_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    p = run_cell({}, "x = 1042")
    size = len(live.payload_json(p))
    monkeypatch.setattr(live, "LIVE_PAYLOAD_MAX", size)
    assert "<script>" in bundle(p)["text/html"]
    monkeypatch.setattr(live, "LIVE_PAYLOAD_MAX", size - 1)
    assert bundle(p)["text/html"] == to_html(p)


@pytest.mark.kernel
def test_a_long_steps_output_carries_its_live_diagram(kernel: Kernel) -> None:
    """A loop recorded to the step cap (a quarter to half a megabyte of JSON, its stored
    versions sent as differences) still draws where
    scripts run: its packed copy is a small part of its JSON, the output within the budget."""
    from redpill.budget import OUTPUT_BUDGET, measure

    ex = kernel.ok("%%redpill --steps\ns = 0\nfor i in range(100000):\n    s += i\n")
    (out,) = ex.bundles
    p = out[MIME]
    assert len(p["steps"]) > 250  # to the cap of 300, or to the steps' size budget
    data = live.payload_json(p)
    assert len(data) > 200_000
    html = out["text/html"]
    check_output(p, html)
    assert len(live.pack_payload(data)) < len(data) // 10
    assert measure(out, MIME) <= OUTPUT_BUDGET


def test_without_a_build_the_table_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    p = run_cell({}, "x = 1042")
    monkeypatch.setattr(live, "_packs", lambda: None)
    assert bundle(p)["text/html"] == to_html(p)
