#!/usr/bin/env bash
# A real JupyterHub for the hub test (ui-tests/hub/): a venv with JupyterHub,
# JupyterLab and the product's wheel (the "single-user image"), its proxy from
# the npm registry, the magic pre-loaded by the kernel's IPython config and the
# settings defaults of the whole hub in JupyterLab's overrides, as the README's
# "For a class on a server" says.
#
#   bash scripts/hub.sh prepare    build or refresh the environment (cached)
#   bash scripts/hub.sh run PORT   start the hub on 127.0.0.1:PORT (foreground)
#   bash scripts/hub.sh python     print the environment's python
#
# Cache: ${REDPILL_HUB_CACHE:-$HOME/.cache/redpill-hub}; per-run state (users'
# homes, the hub's database, its log jupyterhub.log) in build/hub/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CACHE=${REDPILL_HUB_CACHE:-$HOME/.cache/redpill-hub}
CHP_VERSION=5.3.0
key=$(cat scripts/hub/requirements.txt <(echo "chp $CHP_VERSION") | sha256sum | cut -c1-12)
VENV="$CACHE/venv-$key"
CHP="$CACHE/chp-$CHP_VERSION/node_modules/.bin/configurable-http-proxy"

prepare() {
  [ -x .venv/bin/python ] && [ -f redpill/labextension/static/style.js ] || bash scripts/setup.sh
  if [ ! -x "$VENV/bin/jupyterhub" ]; then
    echo "== hub: installing JupyterHub and JupyterLab into $VENV"
    rm -rf "$VENV"
    .venv/bin/python -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r scripts/hub/requirements.txt
  fi
  if [ ! -x "$CHP" ]; then
    echo "== hub: installing configurable-http-proxy@$CHP_VERSION from the npm registry"
    npm install --silent --no-audit --no-fund --prefix "$CACHE/chp-$CHP_VERSION" \
      "configurable-http-proxy@$CHP_VERSION"
  fi
  # The product, as a class installs it into the single-user image: its wheel.
  rm -rf build/hub-dist && mkdir -p build/hub-dist
  .venv/bin/python -m pip wheel --quiet --disable-pip-version-check --no-deps \
    --no-build-isolation -w build/hub-dist . >/dev/null
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
    --force-reinstall build/hub-dist/jupyterlab_redpill-*.whl
  # The magic pre-loaded in every kernel (headless runs too), for the whole image.
  mkdir -p "$VENV/etc/ipython"
  cp scripts/hub/ipython_config.py "$VENV/etc/ipython/ipython_config.py"
  # Settings defaults for every user of the hub.
  mkdir -p "$VENV/share/jupyter/lab/settings"
  cp scripts/hub/overrides.json "$VENV/share/jupyter/lab/settings/overrides.json"
}

case "${1:-}" in
  prepare) prepare ;;
  python) echo "$VENV/bin/python" ;;
  run)
    port=${2:?port}
    state="$ROOT/build/hub"
    rm -rf "$state" && mkdir -p "$state"
    cd "$state"
    PATH="$VENV/bin:$PATH" REDPILL_HUB_PORT=$port REDPILL_HUB_STATE=$state REDPILL_HUB_CHP=$CHP \
      exec "$VENV/bin/jupyterhub" -f "$ROOT/scripts/hub/jupyterhub_config.py" \
      >"$state/jupyterhub.log" 2>&1 ;;
  *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
