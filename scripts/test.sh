#!/usr/bin/env bash
# Set everything up, then run every test suite:
#   lint      ruff, tsc, prettier, eslint
#   pytest    the kernel side through real ipykernels, and the packaging test
#   matrix    the kernel side again under CPython 3.12, 3.13, 3.13t (and the
#             collector under 3.14, 3.15): scripts/matrix.sh
#   pyodide   the collector's tests on a 32-bit CPython: Pyodide in Node
#             (scripts/pyodide-tests.sh)
#   jest      the renderer in isolation
#   galata    a real JupyterLab in Chromium
#   live      the live diagram in the kernel's text/html, without the extension:
#             nbconvert pages, sanitized, VS Code-like, Colab-like, hostile
#             (scripts/live_pages.py, then ui-tests/live in Chromium, offline)
#   lite      the course site (scripts/lite.sh) in Chromium, offline
#   hub       a real JupyterHub (scripts/hub.sh), two users in Chromium
#   headless  nbconvert --execute, papermill and sphinx-build + myst-nb on the
#             tour, %%redpill loaded by one IPython config line
#   frontends the tour built by Sphinx + myst-nb and by Jupyter Book 1, exported
#             by nbconvert and served by Voila (with and without the
#             labextension), in Chromium (scripts/frontends.sh)
# It ends with one line "N passed, N failed" adding up every suite, and exits
# non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RESULTS="$ROOT/build/test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"

bash scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
bash scripts/ensure-chromium.sh || echo "warning: no Chromium; the galata suite will fail"

export PATH="$ROOT/.venv/bin:$PATH"
status=0
run() { # name, command...: a suite with a report of its own
  local name=$1; shift
  printf '\n== %s\n' "$name"
  "$@" || { echo "== $name: FAILED"; status=1; }
  echo "== $name: done at ${SECONDS}s"
}
check() { # name, command...: a check that counts as one test (in checks.txt)
  local name=$1; shift
  printf '\n== %s\n' "$name"
  if "$@"; then echo "$name passed" >>"$RESULTS/checks.txt"
  else echo "== $name: FAILED"; echo "$name failed" >>"$RESULTS/checks.txt"; status=1; fi
}

check lint-python bash -c 'ruff check redpill tests benchmarks scripts ui-tests && ruff format --check redpill tests benchmarks scripts ui-tests'
check lint-typescript bash -c 'npm run --silent build:model && npx tsc --noEmit && npx prettier --check src style ui-tests schema && npx eslint src ui-tests/tests ui-tests/lite ui-tests/hub ui-tests/live ui-tests/frontends'
# CPython's C sources (Debian's source packages, cached): the tests check the source
# line numbers the diagrams link to against them
bash scripts/interpreters.sh sources || echo "warning: no CPython sources; their line checks skip"
run pytest python -m pytest -p no:cacheprovider -m "not headless" --junitxml="$RESULTS/pytest.xml" tests
run pytest-matrix bash scripts/matrix.sh "$RESULTS"
# A crash of Pyodide leaves no report: count it as a failed check then.
run pytest-pyodide bash -c 'bash scripts/pyodide-tests.sh "$1" ||
  { [ -f "$1/pytest-pyodide.xml" ] || echo "pytest-pyodide failed" >>"$1/checks.txt"; exit 1; }' _ "$RESULTS"
# The hostile-payload corpus draws thousands of payloads at the schema bounds in one file:
# give its jsdom room beyond node's default heap.
run jest env NODE_OPTIONS=--max-old-space-size=8192 npx jest --ci --json --outputFile="$RESULTS/jest.json"
run galata bash -c "cd ui-tests && REDPILL_UI_JSON='$RESULTS/galata.json' npx playwright test"
check live-pages python scripts/live_pages.py "$ROOT/build/live-pages"
run live bash -c "cd ui-tests/live && REDPILL_LIVE_JSON='$RESULTS/live.json' npx playwright test -c playwright.config.ts"
check lite-build bash scripts/lite.sh
run lite bash -c "cd ui-tests/lite && REDPILL_LITE_JSON='$RESULTS/lite.json' npx playwright test -c playwright.config.ts"
check hub-prepare bash scripts/hub.sh prepare
run hub bash -c "cd ui-tests/hub && REDPILL_HUB_JSON='$RESULTS/hub.json' npx playwright test -c playwright.config.ts"

# About 1 minute of tool runs and 3-5 in Chromium (a Voila page executes the
# tour); the timeouts (25 minutes together) only catch a hang.
run headless timeout 600 python -m pytest -p no:cacheprovider -m headless \
  --junitxml="$RESULTS/pytest-headless.xml" -o junit_suite_name=pytest-headless tests
check frontends-prepare timeout 900 bash scripts/frontends.sh
run frontends bash -c "cd ui-tests/frontends && REDPILL_FRONTENDS_JSON='$RESULTS/frontends.json' timeout 600 npx playwright test -c playwright.config.ts"

echo "== all suites ran in ${SECONDS}s"
python scripts/summarize_tests.py "$RESULTS" || status=1
exit $status
