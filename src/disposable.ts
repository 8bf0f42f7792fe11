/**
 * Disposables without a framework: the drawing, the views and the live page
 * free their listeners and parts through these. Structurally the same
 * `IDisposable` as Lumino's, so JupyterLab code can hold them, but no
 * JupyterLab or Lumino code is needed to draw.
 */

/** Something that frees what it holds when disposed (at most once). */
export interface IDisposable {
  /** Whether `dispose()` has run. */
  readonly isDisposed: boolean;
  /** Free what this holds; calling it again does nothing. */
  dispose(): void;
}

/** A disposable that runs one function when disposed. */
export class DisposableDelegate implements IDisposable {
  /** `fn` runs on the first `dispose()`. */
  constructor(fn: () => void) {
    this._fn = fn;
  }

  /** Whether `dispose()` has run. */
  get isDisposed(): boolean {
    return this._fn === null;
  }

  /** Run the function (once). */
  dispose(): void {
    const fn = this._fn;
    this._fn = null;
    fn?.();
  }

  private _fn: (() => void) | null;
}

/** A set of disposables disposed together, in the order they were added. */
export class DisposableSet implements IDisposable {
  /** Whether `dispose()` has run. */
  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Add `item` (disposed with the set). */
  add(item: IDisposable): void {
    if (this._disposed) {
      item.dispose();
      return;
    }
    this._items.add(item);
  }

  /** Take `item` out of the set without disposing it. */
  remove(item: IDisposable): void {
    this._items.delete(item);
  }

  /** Whether `item` is in the set. */
  contains(item: IDisposable): boolean {
    return this._items.has(item);
  }

  /** Dispose every item now and empty the set (it stays usable). */
  clear(): void {
    const items = [...this._items];
    this._items.clear();
    for (const item of items) {
      item.dispose();
    }
  }

  /** Dispose every item and the set. */
  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this.clear();
  }

  private _disposed = false;
  private _items = new Set<IDisposable>();
}
