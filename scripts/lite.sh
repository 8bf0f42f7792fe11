#!/usr/bin/env bash
# Build the course site: a static JupyterLite site in build/lite/ holding the
# tour and the assignment notebook, where %%redpill works in the browser
# (Pyodide kernel) with no install, no %pip and no %load_ext.
#
#   bash scripts/lite.sh            build build/lite/
#   bash scripts/lite.sh --serve    build, then serve it on http://127.0.0.1:8000/
#   bash scripts/lite.sh --serve-only [PORT]   serve what was built
#   PORT=9000 bash scripts/lite.sh --serve
#
# Everything comes from PyPI and the npm registry, once, into the cache
# ${REDPILL_LITE_CACHE:-$HOME/.cache/redpill-lite}: the build tools (a venv,
# scripts/lite/requirements.txt), the npm `pyodide` package at the version the
# Pyodide kernel pins, and the pure wheels the kernel loads at start. The site
# itself fetches nothing from any other host: copy build/lite/ to any static
# host as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=scripts/lite/common.sh
. scripts/lite/common.sh
SITE="$ROOT/build/lite"
WORK="$ROOT/build/lite-work"
PORT=${PORT:-8000}

log() { lite_log "$@"; }
serve() { exec "$ROOT/.venv/bin/python" "$ROOT/scripts/lite/serve.py" "$SITE" "${1:-$PORT}"; }

mode=build
case "${1:-}" in
  --serve) mode=serve ;;
  --serve-only) serve "${2:-$PORT}" ;;
  "") ;;
  -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: bash scripts/lite.sh [--serve | --serve-only [PORT]]" >&2; exit 2 ;;
esac
start=$SECONDS

# The product: its labextension (for the page) and its wheel (for the kernel).
if [ ! -x .venv/bin/python ] || [ ! -f redpill/labextension/static/style.js ]; then
  bash scripts/setup.sh
fi

ensure_lite_tools

log "building the product's wheel"
rm -rf "$WORK" && mkdir -p "$WORK/dist" "$WORK/src/static"
.venv/bin/python -m pip wheel --quiet --disable-pip-version-check --no-deps \
  --no-build-isolation -w "$WORK/dist" . >"$WORK/wheel.log" 2>&1 ||
  { cat "$WORK/wheel.log" >&2; exit 1; }
wheel=$(ls "$WORK"/dist/jupyterlab_redpill-*.whl)
# The site's page loads the labextension from the build tools' environment.
"$PY" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall "$wheel"

# Pyodide from the npm registry, at the version the kernel was made for.
ensure_pyodide

log "assembling Pyodide $PYODIDE_VERSION with the kernel's wheels and a lock that lists them"
kernel_pypi=$("$PY" -c 'import sys; print(sys.prefix)')/share/jupyter/labextensions/@jupyterlite/pyodide-kernel-extension/static/pypi
packages=$("$PY" scripts/lite/pyodide_dist.py "$PYODIDE" "$kernel_pypi" "$wheel" \
  "$CACHE/wheels" "$WORK/src/static/pyodide")
cat >"$WORK/src/jupyter-lite.json" <<EOF
{
  "jupyter-lite-schema-version": 0,
  "jupyter-config-data": {
    "appName": "jupyterlab-redpill course",
    "litePluginSettings": {
      "@jupyterlite/pyodide-kernel-extension:kernel": {
        "disablePyPIFallback": true,
        "loadPyodideOptions": { "packages": $packages }
      }
    }
  }
}
EOF

log "jupyter lite build"
rm -rf "$SITE"
(cd "$WORK/src" && "$VENV/bin/jupyter" lite build --no-sourcemaps \
  --contents "$ROOT/examples/tour.ipynb" --contents "$ROOT/examples/assignment.ipynb" \
  --output-dir "$SITE") >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log" >&2; exit 1; }
"$PY" - "$SITE" "$packages" <<'EOF'
import json, sys
from pathlib import Path
site, packages = Path(sys.argv[1]), json.loads(sys.argv[2])
config = json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"]
kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.mjs", kernel.get("pyodideUrl")
assert kernel["loadPyodideOptions"]["packages"] == packages
lock = json.loads((site / "static/pyodide/pyodide-lock.json").read_text())["packages"]
missing = [p["file_name"] for p in lock.values() if not (site / "static/pyodide" / p["file_name"]).is_file()]
assert not missing, missing
assert (site / "files/tour.ipynb").is_file() and (site / "files/assignment.ipynb").is_file()
EOF
echo "lite: built $SITE ($(du -sh "$SITE" | cut -f1), $(find "$SITE" -type f | wc -l) files) in $((SECONDS - start))s"

[ "$mode" = serve ] && serve "$PORT"
exit 0
