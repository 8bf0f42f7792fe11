#!/usr/bin/env bash
# Prepare the front ends that read the kernel's own output, for the Chromium
# suite in ui-tests/frontends/ (run by scripts/test.sh):
#   build/frontends/ipython/   the IPython profile with the one configuration
#                              line (c.InteractiveShellApp.extensions)
#   build/frontends/sphinx/    the tour built by sphinx-build + myst-nb, which
#                              executes it with that profile
#   build/frontends/jupyter-book/_build/html/
#                              the tour built as a Jupyter Book 1 (jupyter-book
#                              build), which executes it with that profile
#   build/frontends/voila/     the tour, for the two Voila servers the suite
#                              starts (with and without the labextension)
#   build/frontends/nbconvert/ the tour executed by nbconvert with that profile,
#                              exported to HTML (lab and classic templates, and
#                              lab with sanitize_html)
# Needs .venv (bash scripts/setup.sh): sphinx, myst-nb and voila come from the
# project's test extras. Jupyter Book pins its own Sphinx, so it gets a venv of
# its own, kept under ~/.cache (made once, offline afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/build/frontends"
PATH="$ROOT/.venv/bin:$PATH"

rm -rf "$OUT" && mkdir -p "$OUT/voila" "$OUT/sphinx-src"
# A copy: the kernels write their history into the profile.
cp -r ui-tests/frontends/ipython "$OUT/ipython"
cp ui-tests/frontends/sphinx/conf.py ui-tests/frontends/sphinx/index.md examples/tour.ipynb "$OUT/sphinx-src/"
cp examples/tour.ipynb "$OUT/voila/"

echo "== sphinx-build + myst-nb of the tour"
IPYTHONDIR="$OUT/ipython" PYTHONPATH="$ROOT" \
  sphinx-build -b html -q -W "$OUT/sphinx-src" "$OUT/sphinx"
test -f "$OUT/sphinx/tour.html"

JUPYTER_BOOK=1.0.4
JB_ENV="${XDG_CACHE_HOME:-$HOME/.cache}/redpill-frontends/jupyter-book-$JUPYTER_BOOK-py$(python -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [ ! -x "$JB_ENV/bin/jupyter-book" ]; then
  echo "== a venv for Jupyter Book $JUPYTER_BOOK in $JB_ENV"
  rm -rf "$JB_ENV"
  python -m venv "$JB_ENV"
  "$JB_ENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    "jupyter-book==$JUPYTER_BOOK" "ipykernel>=6.29" ||
    { rm -rf "$JB_ENV"; echo "== could not install Jupyter Book $JUPYTER_BOOK"; exit 1; }
fi
echo "== jupyter-book build of the tour (Jupyter Book $JUPYTER_BOOK)"
mkdir -p "$OUT/jupyter-book"
cp ui-tests/frontends/jupyter-book/_config.yml ui-tests/frontends/jupyter-book/_toc.yml \
  examples/tour.ipynb "$OUT/jupyter-book/"
# Its kernel is the venv's own ipykernel; redpill comes from this checkout.
IPYTHONDIR="$OUT/ipython" PYTHONPATH="$ROOT" \
  "$JB_ENV/bin/jupyter-book" build --warningiserror --nitpick --quiet "$OUT/jupyter-book"
test -f "$OUT/jupyter-book/_build/html/tour.html"

echo "== nbconvert --execute, then --to html (lab, classic, sanitized)"
mkdir -p "$OUT/nbconvert"
cp examples/tour.ipynb "$OUT/nbconvert/"
(
  cd "$OUT/nbconvert"
  export IPYTHONDIR="$OUT/ipython" PYTHONPATH="$ROOT"
  jupyter nbconvert --log-level=WARN --to notebook --execute --output executed.ipynb tour.ipynb
  jupyter nbconvert --log-level=WARN --to html --template lab --output lab.html executed.ipynb
  jupyter nbconvert --log-level=WARN --to html --template classic --output classic.html executed.ipynb
  jupyter nbconvert --log-level=WARN --to html --HTMLExporter.sanitize_html=True \
    --output sanitized.html executed.ipynb
)
echo "== frontends prepared in $OUT"
