#!/usr/bin/env bash
# The course site's numbers: build time (with the cache warm, and cold when
# REDPILL_LITE_COLD=1 builds with an empty cache folder of its own), the
# site's size, and in Chromium the kernel's start to the first picture
# (benchmarks/lite/). Prints results only; no assertions.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${REDPILL_LITE_COLD:-0}" = 1 ]; then
  cold=$(mktemp -d)
  t0=$SECONDS
  REDPILL_LITE_CACHE=$cold bash scripts/lite.sh >/dev/null 2>&1
  echo "site build, empty cache (downloads included): $((SECONDS - t0)) s"
  rm -rf "$cold"
fi
t0=$SECONDS
bash scripts/lite.sh >/dev/null 2>&1
echo "site build, warm cache: $((SECONDS - t0)) s"
echo "site size: $(du -sh build/lite | cut -f1) ($(du -sb build/lite | cut -f1) bytes," \
  "$(find build/lite -type f | wc -l) files; Pyodide and wheels $(du -sh build/lite/static/pyodide | cut -f1))"
PATH=$PWD/.venv/bin:$PATH npx playwright test -c benchmarks/lite 2>&1 | grep -E "round|median|passed|failed"
