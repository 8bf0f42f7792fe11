#!/usr/bin/env bash
# Set everything up, then open JupyterLab on the tour notebook.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/jupyter lab --ServerApp.root_dir="$PWD" --LabApp.default_url=/lab/tree/examples/tour.ipynb "$@"
