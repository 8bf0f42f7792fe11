# Shared by scripts/lite.sh and scripts/pyodide-tests.sh (sourced, not run):
# the build tools' venv and the npm `pyodide` package, both cached in
# ${REDPILL_LITE_CACHE:-$HOME/.cache/redpill-lite}. Expects ROOT (the checkout).
CACHE=${REDPILL_LITE_CACHE:-$HOME/.cache/redpill-lite}

lite_log() { printf '\n== lite: %s\n' "$*"; }

# ensure_lite_tools: sets VENV and PY (jupyterlite-core, the Pyodide kernel, ...),
# a venv keyed by scripts/lite/requirements.txt.
ensure_lite_tools() {
  local key
  key=$(sha256sum "$ROOT/scripts/lite/requirements.txt" | cut -c1-12)
  VENV="$CACHE/venv-$key"
  PY="$VENV/bin/python"
  if [ ! -x "$VENV/bin/jupyter-lite" ]; then
    lite_log "installing the site's build tools into $VENV"
    rm -rf "$VENV"
    "${HOST_PYTHON:-$ROOT/.venv/bin/python}" -m venv "$VENV"
    "$PY" -m pip install --quiet --disable-pip-version-check -r "$ROOT/scripts/lite/requirements.txt"
  fi
}

# ensure_pyodide: sets PYODIDE_VERSION (the kernel's pin) and PYODIDE (the
# unpacked npm package: runtime, standard library, pyodide-lock.json).
ensure_pyodide() {
  PYODIDE_VERSION=$("$PY" -c 'from jupyterlite_pyodide_kernel.constants import PYODIDE_VERSION as v; print(v)')
  PYODIDE="$CACHE/pyodide-$PYODIDE_VERSION"
  if [ ! -f "$PYODIDE/pyodide-lock.json" ]; then
    lite_log "fetching pyodide@$PYODIDE_VERSION from the npm registry"
    mkdir -p "$CACHE/npm"
    (cd "$CACHE/npm" && npm pack --silent "pyodide@$PYODIDE_VERSION" >/dev/null)
    rm -rf "$PYODIDE.tmp" && mkdir -p "$PYODIDE.tmp"
    tar -xzf "$CACHE/npm/pyodide-$PYODIDE_VERSION.tgz" -C "$PYODIDE.tmp" --strip-components=1
    mv "$PYODIDE.tmp" "$PYODIDE"
  fi
}
