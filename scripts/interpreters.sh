#!/usr/bin/env bash
# Extra CPython interpreters for the kernel-side version matrix, cached.
#
#   bash scripts/interpreters.sh ensure [NAME...]   fetch/build what is missing
#   bash scripts/interpreters.sh list               one tab-separated line each:
#        NAME  EXECUTABLE|absent  EXTRA_PYTHONPATH|-  REASON (when absent)
#   bash scripts/interpreters.sh sources            fetch CPython's C sources that
#        Debian carries (bookworm's python3.11, trixie's python3.13, sid's
#        python3.14 and python3.15: the upstream tarballs) into the cache's src/, for the tests that check
#        the source line numbers redpill links to
#   bash scripts/interpreters.sh clean              remove the cache
#
# Names: 3.11 3.12 3.13 (pyenv's, else python3.X on PATH: never built here),
#        3.13t  free-threaded, built from Debian trixie's python3.13 source
#               package (upstream tarball, --disable-gil), with a venv holding
#               the test and kernel dependencies that install on it;
#        3.14 3.15  Debian sid's binary packages unpacked with dpkg -x into a
#               private root and started through that root's own dynamic
#               loader; pure-Python test dependencies (pytest, hypothesis, and
#               jsonschema where rpds-py has a wheel) installed with the host's
#               pip --target and put on sys.path by a .pth file; sid's
#               libpython3.X-dev of the same release is unpacked there too,
#               so the interpreter has its C headers.
#
# The system apt configuration is never changed: Debian trixie/sid are read
# through a private sources list and private state/cache directories. The
# system apt-get is only used to install missing build dependencies.
# Cache: ${REDPILL_INTERPRETERS_CACHE:-$HOME/.cache/redpill-interpreters}.
# Every step is idempotent; one interpreter failing never stops the others,
# and `ensure` exits 0 whatever is unavailable (it says why).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CONF="$HERE/interpreters"
CACHE=${REDPILL_INTERPRETERS_CACHE:-$HOME/.cache/redpill-interpreters}
MIRROR=${REDPILL_DEBIAN_MIRROR:-http://deb.debian.org/debian}
PYENV_DIR=${PYENV_ROOT:-$HOME/.pyenv}
STATE="$CACHE/state"
LOGS="$CACHE/logs"
APTDIR="$CACHE/apt"
ALL_NAMES="3.11 3.12 3.13 3.13t 3.14 3.15"
BUILT_NAMES="3.13t 3.14 3.15"
ENSURE_ORDER="3.11 3.12 3.13 3.14 3.15 3.13t"  # the quick ones first
JOBS=${REDPILL_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}

log() { printf '[interpreters] %s\n' "$*" >&2; }
now() { date +%s; }

# ---------------------------------------------------------------- state
# $STATE/NAME.ok holds "exe<TAB>extra-pythonpath" after a verified install;
# $STATE/NAME.reason holds why the last attempt failed.
mark_ok() { # name exe extra
  mkdir -p "$STATE"
  printf '%s\t%s\n' "$2" "${3:--}" >"$STATE/$1.ok"
  rm -f "$STATE/$1.reason"
}
mark_failed() { # name reason...
  local name=$1; shift
  mkdir -p "$STATE"
  rm -f "$STATE/$name.ok"
  printf '%s\n' "$*" >"$STATE/$name.reason"
  log "$name: UNAVAILABLE: $*"
}

# ---------------------------------------------------------------- checks
# A quick run that proves the interpreter starts, has ctypes, and is the
# version (and GIL flavour) asked for.
probe() { # name exe
  local name=$1 exe=$2 want=${1%t} ft=0
  [ "${name%t}" != "$name" ] && ft=1
  "$exe" -I -c "
import sys, sysconfig, ctypes, json
want = tuple(int(x) for x in '$want'.split('.'))
assert sys.version_info[:2] == want, sys.version
ft = bool(sysconfig.get_config_var('Py_GIL_DISABLED'))
assert ft == bool($ft), 'Py_GIL_DISABLED=%r' % ft
ctypes.c_void_p.from_address(id(sys)).value
" >/dev/null 2>&1
}

# Deeper check after a build/unpack: the stdlib modules the tests rely on.
verify_full() { # name exe
  local name=$1 exe=$2
  "$exe" -I -c "
import sys, ctypes, json, decimal, sqlite3, zlib, lzma, bz2, hashlib, ssl, sysconfig
ctypes.pythonapi.Py_IncRef
decimal.Decimal('1.1') + 1
sqlite3.connect(':memory:').execute('select 1').fetchone()
print(sys.version.split()[0], sys.prefix, 'GIL disabled' if sysconfig.get_config_var('Py_GIL_DISABLED') else 'GIL')
" 2>&1
}

# ---------------------------------------------------------------- host python / pip
HOST_PY=""
host_python() { # prints a host CPython with a working pip
  [ -n "$HOST_PY" ] && { echo "$HOST_PY"; return 0; }
  local c
  for c in ${REDPILL_HOST_PYTHON:-} \
    $(ls -d "$PYENV_DIR"/versions/3.1[1-3].*/bin/python3 2>/dev/null | grep -v 't/bin' | sort -rV) \
    python3.12 python3.11 python3.13 python3; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -m pip --version >/dev/null 2>&1; then
      HOST_PY=$(command -v "$c"); echo "$HOST_PY"; return 0
    fi
  done
  return 1
}

# ---------------------------------------------------------------- pyenv / PATH
find_existing() { # name -> prints exe or returns 1 with reason on stdout
  local name=$1 exe cand
  for cand in $(ls -d "$PYENV_DIR"/versions/"$name".[0-9]*/bin/python"$name" 2>/dev/null |
    grep -Ev "/versions/[^/]*[a-z][^/]*/" | sort -rV); do
    if probe "$name" "$cand"; then echo "$cand"; return 0; fi
  done
  if command -v "python$name" >/dev/null 2>&1; then
    exe=$(PYENV_VERSION="" "python$name" -c 'import sys; print(sys.executable)' 2>/dev/null)
    if [ -n "$exe" ] && probe "$name" "$exe"; then echo "$exe"; return 0; fi
  fi
  echo "no pyenv $PYENV_DIR/versions/$name.* and no working python$name on PATH"
  return 1
}

# ---------------------------------------------------------------- private apt
APT_UPDATED=0
apt_opts() {
  printf '%s\n' \
    -o "Dir::Etc::SourceList=$APTDIR/sources.list" \
    -o "Dir::Etc::SourceParts=/dev/null" \
    -o "Dir::Etc::Preferences=/dev/null" \
    -o "Dir::Etc::PreferencesParts=/dev/null" \
    -o "Dir::State=$APTDIR/state" \
    -o "Dir::State::Lists=$APTDIR/lists" \
    -o "Dir::State::status=$APTDIR/state/status" \
    -o "Dir::Cache=$APTDIR/cache" \
    -o "APT::Architecture=amd64" \
    -o "APT::Architectures::=amd64" \
    -o "APT::Sandbox::User=root" \
    -o "Debug::NoLocking=1" \
    -o "Acquire::Languages=none"
}
papt_get() { local -a o; mapfile -t o < <(apt_opts); apt-get "${o[@]}" "$@"; }
papt_cache() { local -a o; mapfile -t o < <(apt_opts); apt-cache "${o[@]}" "$@"; }

private_apt_update() { # refresh the private lists (once per run, and only if older than a day unless forced)
  local force=${1:-0}
  [ "$APT_UPDATED" = 1 ] && [ "$force" = 0 ] && return 0
  command -v apt-get >/dev/null || { echo "apt-get not found"; return 1; }
  mkdir -p "$APTDIR"/lists/partial "$APTDIR"/cache/archives/partial "$APTDIR"/state
  touch "$APTDIR/state/status"
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  cat >"$APTDIR/sources.list.new" <<EOF
deb-src [signed-by=$keyring] $MIRROR trixie main
deb [arch=amd64 signed-by=$keyring] $MIRROR sid main
EOF
  local changed=0
  cmp -s "$APTDIR/sources.list.new" "$APTDIR/sources.list" || { mv "$APTDIR/sources.list.new" "$APTDIR/sources.list"; changed=1; }
  rm -f "$APTDIR/sources.list.new"
  if [ "$force" = 0 ] && [ "$changed" = 0 ] && [ -f "$APTDIR/updated" ] &&
    [ -n "$(find "$APTDIR/updated" -mmin -1440 2>/dev/null)" ]; then
    APT_UPDATED=1; return 0
  fi
  log "private apt: updating the trixie (source) and sid (amd64) lists"
  if ! papt_get -q update >"$LOGS/apt-update.log" 2>&1 ||
    grep -qE '^(W|E): .*(NO_PUBKEY|not signed|signature)' "$LOGS/apt-update.log"; then
    log "private apt: signature check failed; retrying without it (private lists only;" \
      "package files are still checked against the index hashes)"
    papt_get -q -o Acquire::AllowInsecureRepositories=true update >"$LOGS/apt-update.log" 2>&1 || {
      tail -5 "$LOGS/apt-update.log" >&2
      echo "private apt update failed (see $LOGS/apt-update.log)"; return 1; }
    touch "$APTDIR/insecure"
  else
    rm -f "$APTDIR/insecure"
  fi
  if ! ls "$APTDIR"/lists/*_dists_trixie_*Sources* >/dev/null 2>&1 ||
    ! ls "$APTDIR"/lists/*_dists_sid_main_binary-amd64_Packages* >/dev/null 2>&1; then
    grep -E '^(W|E):' "$LOGS/apt-update.log" | head -3 >&2
    rm -f "$APTDIR/updated"
    echo "private apt update could not fetch the trixie/sid indexes from $MIRROR (see $LOGS/apt-update.log)"
    return 1
  fi
  touch "$APTDIR/updated"; APT_UPDATED=1
}
papt_unauth() { [ -f "$APTDIR/insecure" ] && echo "--allow-unauthenticated"; }

# ---------------------------------------------------------------- system build deps
SYSDEPS_DONE=0
ensure_build_deps() {
  [ "$SYSDEPS_DONE" = 1 ] && return 0
  local p missing=()
  for p in $(grep -v '^#' "$CONF/build-deps.txt"); do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "3.13t: installing build dependencies with the system apt-get: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" != 0 ] && command -v sudo >/dev/null && sudo="sudo -n"
    { $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
        --no-install-recommends "${missing[@]}"; } >"$LOGS/build-deps.log" 2>&1 || {
      tail -5 "$LOGS/build-deps.log" >&2
      # libffi-dev and a compiler are the hard requirements; go on otherwise.
      dpkg-query -W -f='${Status}' libffi-dev 2>/dev/null | grep -q 'install ok installed' &&
        command -v cc >/dev/null || { echo "could not install build dependencies (see $LOGS/build-deps.log)"; return 1; }
      log "3.13t: some build dependencies are missing; building without them"
    }
  fi
  SYSDEPS_DONE=1
}

# ---------------------------------------------------------------- 3.13t
link_313t() { # a launcher, not a symlink: a venv is recognised from its own bin/ only
  mkdir -p "$CACHE/bin"; rm -f "$CACHE/bin/python3.13t"
  printf '#!/bin/sh\nexec "%s" "$@"\n' "$1" >"$CACHE/bin/python3.13t"
  chmod +x "$CACHE/bin/python3.13t"
}

ensure_313t() {
  local name=3.13t prefix="$CACHE/3.13t" venv="$CACHE/3.13t/venv" t0 exe
  exe="$prefix/bin/python3.13t"
  if ! probe "$name" "$exe"; then
    t0=$(now)
    local why
    why=$(ensure_build_deps) || { mark_failed "$name" "$why"; return 0; }
    local src="$CACHE/src/trixie-python3.13"
    mkdir -p "$src"
    if ! ls "$src"/python3.13_*.orig.tar.xz >/dev/null 2>&1; then
      why=$(private_apt_update) || { mark_failed "$name" "$why"; return 0; }
      log "3.13t: downloading trixie's python3.13 source package"
      (cd "$src" && papt_get -q source --download-only $(papt_unauth) python3.13) >"$LOGS/3.13t-source.log" 2>&1 || {
        tail -5 "$LOGS/3.13t-source.log" >&2
        mark_failed "$name" "apt-get source python3.13 (trixie) failed (see $LOGS/3.13t-source.log)"; return 0; }
    fi
    local tarball
    tarball=$(ls "$src"/python3.13_*.orig.tar.xz | sort -V | tail -1)
    local build="$CACHE/build/3.13t"
    rm -rf "$build" "$prefix"; mkdir -p "$build"
    log "3.13t: building $(basename "$tarball") with --disable-gil (log: $LOGS/3.13t-build.log)"
    if ! (
      set -e
      tar -xJf "$tarball" -C "$build" --strip-components=1
      cd "$build"
      ./configure --prefix="$prefix" --disable-gil --with-ensurepip=install \
        --disable-test-modules
      make -j"$JOBS"
      make install
    ) >"$LOGS/3.13t-build.log" 2>&1; then
      tail -15 "$LOGS/3.13t-build.log" >&2
      mark_failed "$name" "build failed (see $LOGS/3.13t-build.log)"; return 0
    fi
    rm -rf "$build"
    if ! probe "$name" "$exe"; then
      mark_failed "$name" "built, but $exe fails the check (Py_GIL_DISABLED/ctypes)"; return 0
    fi
    log "3.13t: built in $(($(now) - t0))s: $(verify_full "$name" "$exe" | tail -1)"
    rm -f "$STATE/3.13t.venv"
  fi

  # The venv: test + kernel dependencies, each group best effort.
  if [ -f "$STATE/3.13t.venv" ] && probe "$name" "$venv/bin/python" &&
    "$venv/bin/python" -c 'import pytest' 2>/dev/null; then
    link_313t "$venv/bin/python"; mark_ok "$name" "$venv/bin/python" -; return 0
  fi
  t0=$(now)
  log "3.13t: creating the venv with the test dependencies (log: $LOGS/3.13t-venv.log)"
  rm -rf "$venv"
  : >"$LOGS/3.13t-venv.log"
  if ! "$exe" -m venv "$venv" >>"$LOGS/3.13t-venv.log" 2>&1; then
    mark_failed "$name" "python3.13t -m venv failed (see $LOGS/3.13t-venv.log)"; return 0
  fi
  local vpy="$venv/bin/python" have=() missing=() group
  while read -r group; do
    case "$group" in ''|'#'*) continue ;; esac
    # shellcheck disable=SC2086
    # --prefer-binary: an older wheel beats a newer sdist (several projects
    # publish no free-threaded wheel for their newest release, and sdists that
    # fetch Rust crates or C libraries cannot build offline); tornado, with no
    # cp313t wheel at all, still builds from its sdist.
    if timeout 900 "$vpy" -m pip install -q --disable-pip-version-check --prefer-binary $group \
      >>"$LOGS/3.13t-venv.log" 2>&1; then have+=("$group")
    else missing+=("$group"); log "3.13t: could not install: $group"; fi
  done <"$CONF/venv-313t.txt"
  if ! "$vpy" -c 'import pytest' 2>/dev/null; then
    mark_failed "$name" "pytest does not install in the 3.13t venv (see $LOGS/3.13t-venv.log)"; return 0
  fi
  printf 'installed: %s\nmissing: %s\n' "${have[*]:-}" "${missing[*]:-}" >"$STATE/3.13t.venv"
  log "3.13t: venv ready in $(($(now) - t0))s; missing: ${missing[*]:-none}"
  link_313t "$vpy"; mark_ok "$name" "$vpy" -
}

# ---------------------------------------------------------------- 3.14 / 3.15 from sid
sid_closure() { # pkgs... -> prints the package closure (libraries only)
  local keep='^(lib[a-z0-9].*|python3\.[0-9]+(-minimal)?|gcc-[0-9]+-base|openssl-provider-legacy)$'
  local -A seen=()
  local frontier=("$@") next p d
  for p in "$@"; do seen[$p]=1; done
  while [ ${#frontier[@]} -gt 0 ]; do
    next=()
    while read -r d; do
      [ -n "$d" ] && [ -z "${seen[$d]:-}" ] && [[ $d =~ $keep ]] || continue
      seen[$d]=1; next+=("$d")
    done < <(papt_cache depends --no-recommends --no-suggests --no-conflicts --no-breaks \
      --no-replaces --no-enhances "${frontier[@]}" 2>/dev/null |
      sed -n 's/^ *|\{0,1\}\(Pre\)\{0,1\}Depends: \([^<][^ ]*\)$/\2/p' | sort -u)
    frontier=("${next[@]}")
  done
  printf '%s\n' "${!seen[@]}" | sort
}

ensure_sid() { # 3.14 | 3.15
  local name=$1 v=$1 root="$CACHE/sid-$1/root" site="$CACHE/site-$1" t0
  local run="$root/usr/bin/python$v-redpill"
  if ! { [ -f "$STATE/$name.ok" ] && probe "$name" "$run" && "$run" -c 'import pytest' 2>/dev/null; }; then
    t0=$(now)
    local why
    why=$(private_apt_update) || { mark_failed "$name" "$why"; return 0; }
    local wanted=() p
    for p in python$v python$v-minimal libpython$v-minimal libpython$v-stdlib libpython$v; do
      if papt_cache show --no-all-versions "$p" >/dev/null 2>&1; then wanted+=("$p"); fi
    done
    if [ ${#wanted[@]} -lt 3 ]; then
      mark_failed "$name" "Debian sid has no python$v packages (found: ${wanted[*]:-none})"; return 0
    fi
    local pkgs
    mapfile -t pkgs < <(sid_closure "${wanted[@]}")
    local debs="$CACHE/debs/sid"
    mkdir -p "$debs"
    log "$name: downloading ${#pkgs[@]} sid packages: ${pkgs[*]}"
    if ! (cd "$debs" && papt_get -q download $(papt_unauth) "${pkgs[@]}") >"$LOGS/$name-download.log" 2>&1; then
      log "$name: download failed; refreshing the sid list and retrying"
      private_apt_update 1 >/dev/null || true
      mapfile -t pkgs < <(sid_closure "${wanted[@]}")
      (cd "$debs" && papt_get -q download $(papt_unauth) "${pkgs[@]}") >"$LOGS/$name-download.log" 2>&1 || {
        tail -5 "$LOGS/$name-download.log" >&2
        mark_failed "$name" "apt-get download from sid failed (see $LOGS/$name-download.log)"; return 0; }
    fi
    rm -rf "$CACHE/sid-$v"; mkdir -p "$root"
    local deb f
    for p in "${pkgs[@]}"; do
      # the newest downloaded file of that package (older ones may linger in the cache)
      deb=$(ls "$debs/${p}"_*_*.deb 2>/dev/null | sort -V | tail -1)
      [ -n "$deb" ] || { mark_failed "$name" "package $p was not downloaded"; return 0; }
      dpkg-deb -x "$deb" "$root" || { mark_failed "$name" "dpkg -x $deb failed"; return 0; }
    done
    local ld=""
    for f in "$root/usr/lib64/ld-linux-x86-64.so.2" "$root/lib64/ld-linux-x86-64.so.2" \
      "$root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"; do
      [ -e "$f" ] && { ld=$f; break; }
    done
    [ -n "$ld" ] || { mark_failed "$name" "no ld-linux-x86-64.so.2 in the unpacked sid root"; return 0; }
    # The launcher lives in the root's bin/, so the interpreter finds its
    # stdlib from there (sys.prefix = ROOT/usr) without PYTHONHOME, and
    # sys.executable is this launcher: subprocesses of sys.executable work.
    # --inhibit-cache keeps the host's /etc/ld.so.cache out of the way.
    cat >"$run" <<EOF
#!/bin/sh
# Debian sid python$v in a private root, started through the root's own loader.
exec "$ld" --inhibit-cache \\
  --library-path "$root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu" \\
  --argv0 "$run" "$root/usr/bin/python$v" "\$@"
EOF
    chmod +x "$run"
    if ! probe "$name" "$run"; then
      local err
      err=$("$run" -c 'import ctypes' 2>&1 | tail -1)
      mark_failed "$name" "unpacked sid root does not start or lacks ctypes: $err"; return 0
    fi
    local full
    full=$(verify_full "$name" "$run") || log "$name: WARNING: a stdlib module is missing: ${full##*$'\n'}"
    log "$name: sid root ready in $(($(now) - t0))s: $(echo "$full" | tail -1)"

    # Test dependencies: pure-Python wheels via the host pip --target.
    t0=$(now)
    local hp
    hp=$(host_python) || { mark_failed "$name" "no host python with pip for the test dependencies"; return 0; }
    rm -rf "$site"
    local pipargs=(-m pip install -q --disable-pip-version-check --target "$site"
      --python-version "$v" --implementation cp --abi "cp${v/./}" --only-binary=:all:)
    mapfile -t base < <(grep -Ev '^(#|$)' "$CONF/site-deps.txt")
    if ! timeout 600 "$hp" "${pipargs[@]}" "${base[@]}" >"$LOGS/$name-pip.log" 2>&1; then
      tail -5 "$LOGS/$name-pip.log" >&2
      mark_failed "$name" "pip --target of ${base[*]} failed (see $LOGS/$name-pip.log)"; return 0
    fi
    local extra="" notes="installed: ${base[*]}"
    mapfile -t opt < <(grep -Ev '^(#|$)' "$CONF/site-deps-optional.txt")
    for p in "${opt[@]}"; do
      # shellcheck disable=SC2086
      if timeout 300 "$hp" "${pipargs[@]}" --upgrade-strategy only-if-needed $p >>"$LOGS/$name-pip.log" 2>&1; then
        notes+=" $p"
      else
        extra+=" $p"
        log "$name: $p has no usable wheel for $v (skipped)"
      fi
    done
    # Put the target dir on sys.path through the root's dist-packages.
    local pth_dir
    pth_dir=$("$run" -c 'import site; print(site.getsitepackages()[0])')
    mkdir -p "$pth_dir" && echo "$site" >"$pth_dir/redpill-test-deps.pth"
    if ! "$run" -c 'import pytest, hypothesis' >>"$LOGS/$name-pip.log" 2>&1; then
      mark_failed "$name" "test dependencies do not import under $v (see $LOGS/$name-pip.log)"; return 0
    fi
    printf '%s\nmissing:%s\n' "$notes" "${extra:- none}" >"$STATE/$name.site"
    log "$name: test dependencies ready in $(($(now) - t0))s (missing:${extra:- none})"
  fi
  ensure_sid_headers "$v" "$root"
  mkdir -p "$CACHE/bin"; ln -sfn "$run" "$CACHE/bin/python$v"
  mark_ok "$name" "$run" -
}

# The C headers of a sid interpreter: sid's libpython3.X-dev (the same release as
# the interpreter) unpacked into its root, so sysconfig's include directory holds
# the headers that package ships. Only that package is unpacked (not its
# dependencies: the headers are read as text, nothing is compiled against them).
ensure_sid_headers() { # 3.14|3.15 root
  local v=$1 root=$2 debs="$CACHE/debs/sid" deb have
  [ -f "$root/usr/include/python$v/Python.h" ] && return 0
  have=$(dpkg-deb -f "$(ls "$debs"/libpython"$v"_*_amd64.deb 2>/dev/null | sort -V | tail -1)" Version 2>/dev/null)
  [ -n "$have" ] || { log "$v: headers: the unpacked libpython$v's version is unknown; none taken"; return 0; }
  private_apt_update >/dev/null || { log "$v: headers: private apt unavailable"; return 0; }
  mkdir -p "$debs"
  (cd "$debs" && papt_get -q download $(papt_unauth) "libpython$v-dev=$have") \
    >"$LOGS/$v-headers.log" 2>&1 || { log "$v: headers: libpython$v-dev $have could not be downloaded (see $LOGS/$v-headers.log)"; return 0; }
  deb=$(ls "$debs"/libpython"$v"-dev_"$have"_amd64.deb 2>/dev/null | sort -V | tail -1)
  [ -n "$deb" ] && dpkg-deb -x "$deb" "$root" && log "$v: headers from $(basename "$deb")" ||
    log "$v: headers: could not unpack libpython$v-dev"
}

# ---------------------------------------------------------------- C sources
# SUITE PACKAGE pairs whose upstream tarball (python3.X_*.orig.tar.xz) is kept in
# $CACHE/src/SUITE-PACKAGE/; read through a private deb-src list of their own.
SOURCE_PACKAGES="bookworm:python3.11 trixie:python3.13 sid:python3.14 sid:python3.15"

ensure_sources() {
  local pair suite pkg dir keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  local APTDIR="$CACHE/apt-src" updated=0
  for pair in $SOURCE_PACKAGES; do
    suite=${pair%%:*} pkg=${pair#*:} dir="$CACHE/src/$suite-$pkg"
    if ls "$dir"/"${pkg}"_*.orig.tar.* >/dev/null 2>&1; then
      log "sources: $suite $pkg: $(basename "$(ls "$dir"/"${pkg}"_*.orig.tar.[gx]z | sort -V | tail -1)")"
      continue
    fi
    if [ "$updated" = 0 ]; then
      mkdir -p "$APTDIR"/lists/partial "$APTDIR"/cache/archives/partial "$APTDIR"/state
      touch "$APTDIR/state/status"
      printf 'deb-src [signed-by=%s] %s %s main\n' \
        "$keyring" "$MIRROR" bookworm "$keyring" "$MIRROR" trixie \
        "$keyring" "$MIRROR" sid >"$APTDIR/sources.list"
      papt_get -q update >"$LOGS/apt-src-update.log" 2>&1 ||
        { log "sources: apt-get update failed (see $LOGS/apt-src-update.log)"; return 0; }
      updated=1
    fi
    mkdir -p "$dir"
    log "sources: downloading $suite's $pkg source package"
    (cd "$dir" && papt_get -q source --download-only "$pkg/$suite") >"$LOGS/src-$suite-$pkg.log" 2>&1 ||
      log "sources: $suite $pkg: apt-get source failed$(grep -q '404' "$LOGS/src-$suite-$pkg.log" &&
        echo ": the mirror lists it but serves no files (404)") (see $LOGS/src-$suite-$pkg.log)"
  done
}

# ---------------------------------------------------------------- commands
ensure_one() {
  case "$1" in
    3.11|3.12|3.13)
      local r
      if r=$(find_existing "$1"); then log "$1: $r"; else log "$1: absent: $r"; fi ;;
    3.13t) ensure_313t ;;
    3.14|3.15) ensure_sid "$1" ;;
    *) log "unknown interpreter '$1' (known: $ALL_NAMES)" ;;
  esac
}

list_one() {
  local name=$1 exe extra r
  case "$name" in
    3.11|3.12|3.13)
      if r=$(find_existing "$name"); then printf '%s\t%s\t-\t\n' "$name" "$r"
      else printf '%s\tabsent\t-\t%s\n' "$name" "$r"; fi ;;
    *)
      if [ -f "$STATE/$name.ok" ]; then
        IFS=$'\t' read -r exe extra <"$STATE/$name.ok"
        if probe "$name" "$exe"; then printf '%s\t%s\t%s\t\n' "$name" "$exe" "${extra:--}"; return; fi
        r="cached interpreter $exe no longer runs; run: bash scripts/interpreters.sh ensure $name"
      elif [ -f "$STATE/$name.reason" ]; then
        r=$(head -1 "$STATE/$name.reason")
      else
        r="not built yet; run: bash scripts/interpreters.sh ensure $name"
      fi
      printf '%s\tabsent\t-\t%s\n' "$name" "$r" ;;
  esac
}

cmd=${1:-list}; [ $# -gt 0 ] && shift
case "$cmd" in
  ensure)
    names=("$@"); [ ${#names[@]} -eq 0 ] && read -r -a names <<<"$ENSURE_ORDER"
    mkdir -p "$CACHE" "$STATE" "$LOGS"
    exec 9>"$CACHE/.lock"
    flock 9 2>/dev/null || true
    start=$(now)
    for n in "${names[@]}"; do ensure_one "$n" || log "$n: unexpected error (continuing)"; done
    log "ensure done in $(($(now) - start))s; cache: $CACHE ($(du -sh "$CACHE" 2>/dev/null | cut -f1))"
    for n in "${names[@]}"; do
      case " $ALL_NAMES " in *" $n "*) list_one "$n" | sed 's/^/[interpreters]   /' >&2 ;; esac
    done
    exit 0 ;;
  list)
    for n in $ALL_NAMES; do list_one "$n"; done ;;
  sources)
    mkdir -p "$CACHE" "$LOGS"
    ensure_sources
    exit 0 ;;
  clean)
    rm -rf "$CACHE"; log "removed $CACHE" ;;
  -h|--help|help)
    sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
  *)
    echo "usage: bash scripts/interpreters.sh ensure [${BUILT_NAMES// /|}...] | list | sources | clean" >&2; exit 2 ;;
esac
