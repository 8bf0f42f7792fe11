/**
 * Run pytest inside Pyodide (CPython compiled to 32-bit WebAssembly) in Node.
 *
 * Usage: node pytest-pyodide.mjs PYODIDE_DIR CHECKOUT DEPS_DIR RESULTS_DIR [pytest args...]
 *
 * The checkout, the test dependencies (pure wheels unpacked on the host) and
 * the results folder are mounted into Pyodide's file system with NODEFS under
 * the same paths, so pytest's output names real files. Exits with pytest's
 * status.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [pyodideDir, checkout, deps, results, ...args] = process.argv.slice(2);
if (!results) {
  console.error(
    'usage: node pytest-pyodide.mjs PYODIDE_DIR CHECKOUT DEPS_DIR RESULTS_DIR [pytest args...]'
  );
  process.exit(2);
}
const { loadPyodide } = await import(
  pathToFileURL(resolve(pyodideDir, 'pyodide.mjs')).href
);
const pyodide = await loadPyodide({ indexURL: resolve(pyodideDir) + '/' });
for (const dir of [checkout, deps, results].map(d => resolve(d))) {
  pyodide.FS.mkdirTree(dir);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: dir }, dir);
}
pyodide.globals.set('checkout', resolve(checkout));
pyodide.globals.set('deps', resolve(deps));
pyodide.globals.set('pytest_args', pyodide.toPy(args));
const status = await pyodide.runPythonAsync(`
import os, sys
sys.dont_write_bytecode = True
sys.path[:0] = [deps, checkout]
os.chdir(checkout)
import struct
# The point of this run: a 32-bit CPython (wasm32), whatever the host is.
assert sys.platform == "emscripten" and struct.calcsize("P") == 4, (sys.platform, struct.calcsize("P"))
print("Pyodide:", sys.version.split()[0], sys.platform, 8 * struct.calcsize("P"), "bit", flush=True)
import pytest
int(pytest.main(list(pytest_args)))
`);
process.exit(status);
