#!/usr/bin/env bash
# Set everything up, then open JupyterLab on the tour notebook.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
extra=()
if [ "$(id -u)" = 0 ]; then
  # Jupyter refuses to start as root unless told to (containers, CI machines)
  echo "dev.sh: running as root, so starting JupyterLab with --allow-root" >&2
  extra=(--allow-root)
fi
exec .venv/bin/jupyter lab --ServerApp.root_dir="$PWD" \
  --LabApp.default_url=/lab/tree/examples/tour.ipynb "${extra[@]}" "$@"
