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
 * The code sent to the kernel. It binds no name in the user's namespace, is
 * idempotent (an already loaded extension is left alone) and prints nothing
 * when `redpill` cannot be imported or the kernel is not IPython.
 */
export const AUTOLOAD_CODE = [
  'try:',
  "    if 'redpill' not in get_ipython().extension_manager.loaded:",
  "        get_ipython().extension_manager.load_extension('redpill')",
  'except Exception:',
  '    pass'
].join('\n');

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
    const info = await kernel.info;
    if (this._isDisposed || !isPythonKernel(info)) {
      return;
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
