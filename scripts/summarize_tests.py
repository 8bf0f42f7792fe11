"""Add up the results of every suite run by scripts/test.sh into one line.

Reads pytest's JUnit XML, jest's and Playwright's JSON reports from the folder
given, prints one line per suite and a last line ``N passed, N failed``. A
suite whose report is missing counts as one failure: it did not run.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def pytest_counts(path: Path) -> tuple[int, int, int]:
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    total = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    return total - failed - skipped, failed, skipped


def jest_counts(path: Path) -> tuple[int, int, int]:
    data = json.loads(path.read_text())
    failed = data["numFailedTests"] + data.get("numRuntimeErrorTestSuites", 0)
    skipped = data.get("numPendingTests", 0) + data.get("numTodoTests", 0)
    return data["numPassedTests"], failed, skipped


def playwright_counts(path: Path) -> tuple[int, int, int]:
    stats = json.loads(path.read_text())["stats"]
    # "flaky" passed on retry: it counts as passed but is reported.
    passed = stats.get("expected", 0) + stats.get("flaky", 0)
    failed = stats.get("unexpected", 0)
    errors = json.loads(path.read_text()).get("errors", [])
    return passed, failed + (1 if errors and passed + failed == 0 else 0), stats.get("skipped", 0)


SUITES = {
    "pytest": ("pytest.xml", pytest_counts),
    "jest": ("jest.json", jest_counts),
    "galata": ("galata.json", playwright_counts),
    "lite": ("lite.json", playwright_counts),
    "hub": ("hub.json", playwright_counts),
    "live": ("live.json", playwright_counts),
    "frontends": ("frontends.json", playwright_counts),
}
# The version matrix (scripts/matrix.sh): one report per interpreter, present
# only for interpreters that exist on this machine.
MATRIX_GLOB = "pytest-*.xml"


def check_counts(path: Path) -> tuple[int, int, int]:
    lines = [line.split() for line in path.read_text().splitlines() if line.strip()]
    for name, outcome in lines:
        print(f"check {name}: {outcome}")
    failed = sum(1 for _, outcome in lines if outcome != "passed")
    return len(lines) - failed, failed, 0


def main(folder: str) -> int:
    results = Path(folder)
    passed = failed = skipped = 0
    if (results / "checks.txt").exists():
        passed, failed, skipped = check_counts(results / "checks.txt")
    for name, (file, count) in SUITES.items():
        report = results / file
        try:
            p, f, s = count(report)
        except (OSError, ValueError, KeyError, ET.ParseError) as exc:
            print(
                f"{name}: no usable report ({exc.__class__.__name__}: {exc}); counted as 1 failure"
            )
            p, f, s = 0, 1, 0
        print(f"{name}: {p} passed, {f} failed, {s} skipped")
        passed, failed, skipped = passed + p, failed + f, skipped + s
    for report in sorted(results.glob(MATRIX_GLOB)):
        try:
            p, f, s = pytest_counts(report)
        except (OSError, ET.ParseError) as exc:
            print(f"{report.stem}: unreadable report ({exc}); counted as 1 failure")
            p, f, s = 0, 1, 0
        print(f"{report.stem}: {p} passed, {f} failed, {s} skipped")
        passed, failed, skipped = passed + p, failed + f, skipped + s
    absent = results / "absent-interpreters.txt"
    if absent.exists():
        for line in absent.read_text().splitlines():
            name, _, reason = line.partition(" ")
            print(f"pytest-{name}: SKIPPED, interpreter absent ({reason.replace('_', ' ')})")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
