#!/usr/bin/env bash
# Run the kernel-side test suite under every CPython of the version matrix:
#   3.11 3.12 3.13 3.13t  everything but the packaging tests (real ipykernels)
#   3.14 3.15             the collector's tests that need no ipykernel
#                         (Debian sid's interpreters have no venv/ipykernel here)
# The interpreter the main .venv runs is covered by the main pytest run.
# Interpreters come from scripts/interpreters.sh (pyenv, a 3.13t build, sid
# packages). One that is truly absent is skipped with a visible message.
#
# Usage: scripts/matrix.sh RESULTS_DIR   (writes pytest-<name>.xml there)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RESULTS=${1:?results folder}
MATRIX="$ROOT/build/matrix"
DEPS=(pytest jsonschema hypothesis ipykernel jupyter_client nbclient nbformat)
mkdir -p "$RESULTS" "$MATRIX"

main_version=$(.venv/bin/python -c 'import sys, sysconfig; print("%d.%d%s" % (sys.version_info[:2] + ("t" if sysconfig.get_config_var("Py_GIL_DISABLED") else "",)))')

bash scripts/interpreters.sh ensure || true
status=0
while IFS=$'\t' read -r name exe _extra reason; do
  if [ "$name" = "$main_version" ]; then
    echo "== matrix $name: covered by the main pytest run (.venv)"
    continue
  fi
  if [ "$exe" = absent ]; then
    echo "== matrix $name: SKIPPED, interpreter absent: $reason"
    echo "$name ${reason// /_}" >>"$RESULTS/absent-interpreters.txt"
    continue
  fi
  python=$exe
  select=(-m "not packaging and not nbgrader and not headless")
  case $name in
    3.11|3.12|3.13)
      # pyenv's interpreters carry no test tools: give each a venv of its own.
      env="$MATRIX/$name"
      if [ ! -x "$env/bin/python" ]; then
        "$exe" -m venv "$env" && "$env/bin/python" -m pip install --quiet "${DEPS[@]}" ||
          { echo "== matrix $name: FAILED to set up its venv"; rm -rf "$env"; status=1; continue; }
      fi
      python="$env/bin/python"
      # numpy (optional, like the project's test extras): its tests skip where no wheel installs.
      # 3.12 gets a numpy 1.x, so that the 1.x rows of the numpy layout tables are probed too.
      numpy_spec="numpy>=1.26"
      [ "$name" = 3.12 ] && numpy_spec="numpy>=1.26,<2"
      "$python" -c 'import numpy' 2>/dev/null || "$python" -m pip install --quiet "$numpy_spec" ||
        echo "== matrix $name: numpy did not install (its tests skip)" ;;
    3.14|3.15)
      select=(-m "not packaging and not nbgrader and not kernel and not headless") ;;
  esac
  echo "== matrix $name: $("$python" -c 'import sys; print(sys.version.split()[0])') (${select[*]:1})"
  PYTHONPATH="$ROOT" "$python" -m pytest -q -p no:cacheprovider "${select[@]}" \
    --junitxml="$RESULTS/pytest-$name.xml" -o junit_suite_name="pytest-$name" tests || status=1
done < <(bash scripts/interpreters.sh list)
exit $status
