#!/usr/bin/env bash
# The collector's in-process tests on a real 32-bit CPython: Pyodide (CPython
# 3.14 compiled to wasm32) from the npm registry, run in Node. The same tests
# as the 3.14/3.15 rows of scripts/matrix.sh (no ipykernel: -m "not kernel and
# not packaging and not nbgrader").
#
# Usage: bash scripts/pyodide-tests.sh [RESULTS_DIR [PYTEST_ARGS...]]
#        (writes RESULTS_DIR/pytest-pyodide.xml; default build/test-results)
# Pyodide and the pure-wheel test dependencies are cached in
# ${REDPILL_LITE_CACHE:-$HOME/.cache/redpill-lite}.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RESULTS=$(mkdir -p "${1:-build/test-results}" && cd "${1:-build/test-results}" && pwd)
[ $# -gt 0 ] && shift
# shellcheck source=scripts/lite/common.sh
. scripts/lite/common.sh
[ -x .venv/bin/python ] || bash scripts/setup.sh
ensure_lite_tools
ensure_pyodide

# Pure-Python test dependencies, unpacked for Pyodide's Python version.
pyver=$("$PY" -c 'from jupyterlite_pyodide_kernel.constants import PYODIDE_PYTHON_VERSION as v; print(v)')
deps_list="$ROOT/scripts/lite/pyodide-test-deps.txt"
DEPS="$CACHE/pyodide-test-deps-$pyver-$(sha256sum "$deps_list" | cut -c1-12)"
if [ ! -f "$DEPS/.complete" ]; then
  lite_log "unpacking the test dependencies for Pyodide (Python $pyver) into $DEPS"
  rm -rf "$DEPS"
  "$PY" -m pip install --quiet --disable-pip-version-check --target "$DEPS" \
    --python-version "$pyver" --implementation py --abi none --platform any \
    --only-binary=:all: -r "$deps_list"
  touch "$DEPS/.complete"
fi

# tests/test_packaging.py is all "packaging" tests and imports venv, which
# Pyodide's standard library leaves out: it cannot even be collected there.
lite_log "pytest in Pyodide $PYODIDE_VERSION (Node $(node --version))"
exec node scripts/lite/pytest-pyodide.mjs "$PYODIDE" "$ROOT" "$DEPS" "$RESULTS" \
  -q -p no:cacheprovider -m "not kernel and not packaging and not nbgrader and not headless" \
  --ignore=tests/test_packaging.py \
  --junitxml="$RESULTS/pytest-pyodide.xml" -o junit_suite_name=pytest-pyodide "$@" tests
