#!/usr/bin/env bash
# Set up everything jupyterlab-redpill needs, in this clone only:
#   .venv/          Python environment (JupyterLab, the package, test tools)
#   node_modules/   the pinned JavaScript toolchain (npm ci, from package-lock.json)
#   redpill/labextension/  the prebuilt JupyterLab extension
# Safe to run again: every step is idempotent. Needs Python >= 3.11, Node >= 18
# and npm; Chromium only for the browser tests (scripts/test.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }

pick_python() {
  if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return; fi
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$candidate"; return
    fi
  done
  echo "error: Python >= 3.11 is needed (set PYTHON=/path/to/python)" >&2
  exit 1
}

command -v node >/dev/null || { echo "error: Node.js >= 18 is needed to build from source" >&2; exit 1; }
command -v npm >/dev/null || { echo "error: npm is needed to build from source" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  log "Creating .venv with $(pick_python)"
  "$(pick_python)" -m venv .venv
fi
PY=.venv/bin/python
"$PY" -m pip install --quiet --upgrade pip

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "Installing the JavaScript toolchain (npm ci)"
  npm ci --no-audit --no-fund
fi

log "Building the labextension"
npm run --silent build:prod

log "Installing jupyterlab-redpill and the test tools into .venv"
# The labextension was just built, so the package build hook does not need npm.
"$PY" -m pip install --quiet --upgrade "jupyterlab==4.6.4" "notebook>=7.4,<8" ".[test,dev]"

log "Installed"
.venv/bin/jupyter labextension list 2>&1 | grep -E "jupyterlab-redpill" || {
  echo "error: the labextension is not listed" >&2; exit 1; }
