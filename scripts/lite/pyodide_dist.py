"""Make the Pyodide distribution of the course site: the npm ``pyodide`` package
plus every wheel the kernel loads at start, with a lock file that lists them.

The npm package carries Pyodide's runtime, standard library and full
``pyodide-lock.json``, but no package wheels. This script:

1. reads the packages the Pyodide kernel installs when it starts from the
   kernel's own worker code (so a version bump of the kernel is one edit);
2. adds ``micropip`` and ``piplite`` (which the kernel needs first), and the
   product's wheel, so that ``redpill`` is importable when the kernel starts;
3. walks their requirements (``Requires-Dist``, markers evaluated for the
   kernel's Emscripten CPython): the kernel's own wheels come from
   jupyterlite-pyodide-kernel, every other one from PyPI as a pure wheel, at
   the version Pyodide's lock names when it names the package, else the newest;
4. writes ``OUT/`` = the runtime files and those wheels, and a
   ``pyodide-lock.json`` that lists exactly them (with their own sha256, which
   differ from Pyodide's builds), and prints the list of package names to load
   at start as JSON (for ``loadPyodideOptions.packages``).

Wheels are downloaded once into the cache folder given and reused.

Usage: python pyodide_dist.py PYODIDE_DIR KERNEL_WHEELS_DIR PRODUCT_WHEEL CACHE OUT
"""

from __future__ import annotations

import email.parser
import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

from jupyterlite_pyodide_kernel import constants
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

#: Files of the npm package that the site serves (the rest is for bundlers).
RUNTIME_SUFFIXES = (".mjs", ".js", ".wasm", ".zip", ".json")
RUNTIME_SKIP = {"package.json", constants.PYODIDE_LOCK}
#: Packages the kernel needs before it installs the rest (see the worker).
PACKAGE_MANAGER = ["micropip", "piplite"]


def kernel_start_packages(kernel_static: Path) -> list[str]:
    """The packages the Pyodide kernel's worker installs when it starts."""
    pattern = re.compile(
        r"for\(let \w+ of(\[[^\]]*\])\)\w+\.includes\(\w+\)\|\|"
        r"\w+\.push\(`await piplite\.install"
    )
    for worker in sorted(kernel_static.glob("*.worker.*.js")):
        found = pattern.search(worker.read_text(errors="replace"))
        if found:
            return json.loads(found.group(1))
    raise SystemExit(
        f"error: no kernel start package list in {kernel_static}/*.worker.*.js;"
        " the Pyodide kernel changed how it starts: update scripts/lite/pyodide_dist.py"
    )


def marker_environment(python_full: str) -> dict[str, str]:
    """PEP 508 marker values of Pyodide's CPython in the browser."""
    major, minor = python_full.split(".")[:2]
    return {
        "python_version": f"{major}.{minor}",
        "python_full_version": python_full,
        "sys_platform": "emscripten",
        "platform_system": "Emscripten",
        "platform_machine": "wasm32",
        "platform_release": "",
        "platform_version": "",
        "os_name": "posix",
        "implementation_name": "cpython",
        "implementation_version": python_full,
        "platform_python_implementation": "CPython",
        "extra": "",
    }


class Wheel:
    """One wheel file: its name, version, requirements and top-level imports."""

    def __init__(self, path: Path) -> None:
        self.path = path
        name, version, _build, tags = parse_wheel_filename(path.name)
        if not all(t.platform == "any" and t.abi == "none" for t in tags):
            raise SystemExit(f"error: {path.name} is not a pure wheel")
        self.name = canonicalize_name(name)
        self.version = str(version)
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
            meta = email.parser.Parser().parsestr(zf.read(meta_name).decode())
            top = [n for n in names if n.endswith(".dist-info/top_level.txt")]
            if top:
                imports = zf.read(top[0]).decode().split()
            else:
                imports = sorted(
                    {
                        n.split("/")[0].removesuffix(".py")
                        for n in names
                        if "/" in n or n.endswith(".py")
                        if not n.split("/")[0].endswith((".dist-info", ".data"))
                    }
                )
        self.requires = [Requirement(r) for r in meta.get_all("Requires-Dist") or []]
        self.imports = [i for i in imports if i.isidentifier()]

    def depends(self, env: dict[str, str]) -> list[str]:
        """Canonical names of the requirements that apply in the browser."""
        return sorted(
            {
                canonicalize_name(r.name)
                for r in self.requires
                if r.marker is None or r.marker.evaluate(env)
            }
        )

    def sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def pypi_wheel(spec: str, cache: Path, python_version: str) -> Wheel:
    """A pure wheel for ``spec`` (``name`` or ``name==version``) from PyPI, cached."""
    name, _, version = spec.partition("==")
    for found in sorted(cache.glob("*.whl")):
        try:
            fname, fversion, _b, _t = parse_wheel_filename(found.name)
        except ValueError:
            continue
        if canonicalize_name(fname) == canonicalize_name(name) and (
            not version or str(fversion) == version
        ):
            return Wheel(found)
    before = set(cache.glob("*.whl"))
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check"]
    cmd += ["--no-deps", "--only-binary=:all:", "--python-version", python_version]
    cmd += ["--implementation", "py", "--abi", "none", "--platform", "any", "-d", str(cache), spec]
    if subprocess.run(cmd, check=False).returncode != 0:
        raise SystemExit(f"error: no pure wheel of {spec} on PyPI for Python {python_version}")
    new = sorted(set(cache.glob("*.whl")) - before)
    if not new:  # pip found an identical file already there
        return pypi_wheel(spec, cache, python_version)
    return Wheel(new[0])


def resolve(
    roots: Iterable[str],
    local: dict[str, Wheel],
    lock_packages: dict[str, dict],
    cache: Path,
    env: dict[str, str],
) -> dict[str, Wheel]:
    """Every wheel the roots need, by canonical name."""
    lock_by_name = {canonicalize_name(k): v for k, v in lock_packages.items()}
    wheels: dict[str, Wheel] = {}
    queue = [canonicalize_name(r) for r in roots]
    while queue:
        name = queue.pop(0)
        if name in wheels:
            continue
        if name in local:
            wheel = local[name]
        elif name in lock_by_name:
            wheel = pypi_wheel(
                f"{name}=={lock_by_name[name]['version']}", cache, env["python_version"]
            )
        else:
            wheel = pypi_wheel(name, cache, env["python_version"])
        wheels[name] = wheel
        queue.extend(d for d in wheel.depends(env) if d not in wheels)
    return wheels


def main(pyodide_dir: str, kernel_wheels: str, product_wheel: str, cache: str, out: str) -> None:
    src, kernel_pypi, dest = Path(pyodide_dir), Path(kernel_wheels), Path(out)
    wheel_cache = Path(cache)
    wheel_cache.mkdir(parents=True, exist_ok=True)
    lock = json.loads((src / constants.PYODIDE_LOCK).read_text())
    env = marker_environment(lock["info"]["python"])
    if env["python_version"] != constants.PYODIDE_PYTHON_VERSION:
        raise SystemExit(
            f"error: Pyodide in {src} runs Python {env['python_version']}, the kernel"
            f" expects {constants.PYODIDE_PYTHON_VERSION}"
        )

    local = {w.name: w for w in map(Wheel, sorted(kernel_pypi.glob("*.whl")))}
    product = Wheel(Path(product_wheel))
    local[product.name] = product
    roots = PACKAGE_MANAGER + kernel_start_packages(kernel_pypi.parent) + [product.name]
    wheels = resolve(roots, local, lock["packages"], wheel_cache, env)

    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for f in sorted(src.iterdir()):
        if f.is_file() and f.suffix in RUNTIME_SUFFIXES and f.name not in RUNTIME_SKIP:
            shutil.copy2(f, dest / f.name)
    packages = {}
    for name, wheel in sorted(wheels.items()):
        shutil.copy2(wheel.path, dest / wheel.path.name)
        packages[name] = {
            "name": name,
            "version": wheel.version,
            "file_name": wheel.path.name,
            "install_dir": "site",
            "sha256": wheel.sha256(),
            "package_type": "package",
            "imports": wheel.imports,
            "depends": wheel.depends(env),
            "unvendored_tests": False,
        }
    lock["packages"] = packages
    (dest / constants.PYODIDE_LOCK).write_text(json.dumps(lock, indent=1, sort_keys=True))
    print(json.dumps([canonicalize_name(r) for r in roots]))


if __name__ == "__main__":
    if len(sys.argv) != 6:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
