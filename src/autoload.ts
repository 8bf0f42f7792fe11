/**
 * Load the `redpill` IPython extension silently in Python kernels, so that
 * `%%redpill` works in a notebook or console with no set-up cell.
 *
 * This module holds the logic only; `plugin.ts` wires it to JupyterLab.
 */
import type { ISessionContext } from '@jupyterlab/apputils';
import type { Kernel } from '@jupyterlab/services';
import type { IDisposable } from '@lumino/disposable';

/**
 * The code sent to the kernel. It loads only the INSTALLED `redpill`: the
 * package is looked up on `sys.path` without the working directory (the
 * notebook's folder: `''`, `'.'`, relative entries and entries that resolve
 * to `os.getcwd()`), and everything it imports while loading is looked up on
 * that path too, so a `redpill.py` or `redpill/` next to a notebook (or any
 * module it would shadow) is never imported. A `redpill` some other code
 * already imported from elsewhere is left alone. It binds no name in the
 * user's namespace (it runs in a namespace of its own), is idempotent (an
 * already loaded extension is left alone) and prints nothing when there is no
 * installed `redpill` or the kernel is not IPython.
 *
 * One `String.raw` literal, verbatim Python: the kernel-side tests read it
 * out of this file and run it in real kernels.
 */
export const AUTOLOAD_CODE = String.raw`exec(r"""
def load():
    import os
    import sys
    from importlib.machinery import PathFinder
    from importlib.util import module_from_spec

    shell = get_ipython() if callable(get_ipython) else None
    manager = getattr(shell, "extension_manager", None)
    if manager is None or "redpill" in manager.loaded:
        return
    here = os.path.realpath(os.getcwd())

    def installed(entry):
        return (
            isinstance(entry, str)
            and os.path.isabs(entry)
            and os.path.realpath(entry) != here
        )

    path = [entry for entry in sys.path if installed(entry)]
    spec = PathFinder.find_spec("redpill", path)
    if spec is None or spec.loader is None or spec.origin is None:
        return
    mine = os.path.realpath(spec.origin)
    saved = list(sys.path)
    sys.path[:] = path
    try:
        module = sys.modules.get("redpill")
        if module is None:
            module = module_from_spec(spec)
            sys.modules["redpill"] = module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                for name in [n for n in sys.modules if n == "redpill" or n.startswith("redpill.")]:
                    del sys.modules[name]
                raise
        origin = getattr(getattr(module, "__spec__", None), "origin", None)
        if not isinstance(origin, str) or os.path.realpath(origin) != mine:
            return
        manager.load_extension("redpill")
    finally:
        sys.path[:] = saved

try:
    load()
except Exception:
    pass
""", {"get_ipython": globals().get("get_ipython")})`;

/** Kernel statuses after which the extension must be loaded again. */
const FRESH_KERNEL_STATUSES: ReadonlySet<Kernel.Status> = new Set([
  'starting',
  'restarting',
  'autorestarting'
]);

/**
 * Whether a kernel's info reply describes a Python kernel.
 */
export function isPythonKernel(
  info: { language_info?: { name?: string } } | undefined
): boolean {
  return (info?.language_info?.name ?? '').toLowerCase() === 'python';
}

/**
 * Whether a kernelspec name is a Python kernel's (`python3`, `python`, the
 * JupyterLite Pyodide kernel's `python`, a venv's `python3.12` ...).
 */
export function isPythonKernelName(name: string | undefined): boolean {
  return /^python[\d.]*$/i.test(name ?? '');
}

/**
 * Watches one session context (a notebook's or a console's) and loads the
 * extension in each new, started or restarted Python kernel.
 */
export class KernelAutoloader implements IDisposable {
  constructor(
    private readonly _context: ISessionContext,
    private readonly _isEnabled: () => boolean
  ) {
    _context.kernelChanged.connect(this._onKernelChanged, this);
    _context.statusChanged.connect(this._onStatusChanged, this);
    void this._maybeLoad();
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Resolves when the last load attempt has finished (for tests). */
  get settled(): Promise<void> {
    return this._settled;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._context.kernelChanged.disconnect(this._onKernelChanged, this);
    this._context.statusChanged.disconnect(this._onStatusChanged, this);
  }

  private _onKernelChanged(): void {
    this._pending = true;
    void this._maybeLoad();
  }

  private _onStatusChanged(_: ISessionContext, status: Kernel.Status): void {
    if (FRESH_KERNEL_STATUSES.has(status)) {
      this._pending = true;
    } else if (status === 'idle') {
      void this._maybeLoad();
    }
  }

  private _maybeLoad(): Promise<void> {
    const kernel = this._context.session?.kernel;
    if (this._isDisposed || !this._pending || !kernel || !this._isEnabled()) {
      return this._settled;
    }
    this._pending = false;
    this._settled = this._load(kernel).catch(() => {
      // A kernel that dies or refuses the request simply gets no magic; the
      // user can still run `%load_ext redpill` and see any error there.
    });
    return this._settled;
  }

  private async _load(kernel: Kernel.IKernelConnection): Promise<void> {
    // A kernel whose kernelspec name says Python gets the code at once, before its
    // info reply: the request is queued ahead of any cell the user runs next, so
    // the first cell of a notebook finds the magic. Others are asked first.
    if (!isPythonKernelName(kernel.name)) {
      const info = await kernel.info;
      if (this._isDisposed || !isPythonKernel(info)) {
        return;
      }
    }
    const future = kernel.requestExecute(
      {
        code: AUTOLOAD_CODE,
        silent: true,
        store_history: false,
        allow_stdin: false,
        stop_on_error: false
      },
      true
    );
    await future.done;
  }

  private _isDisposed = false;
  private _pending = true;
  private _settled: Promise<void> = Promise.resolve();
}
