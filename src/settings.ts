/**
 * Renderer options shared between the front-end plugin (which reads the
 * Settings Editor) and every redpill output: the plugin calls
 * `rendererSettings.update(...)`, and each rendered output redraws with the
 * new options. Both live in this labextension's one bundle, so they share this
 * module instance. No JupyterLab application imports here.
 */
import { DEFAULT_MAX_OBJECTS, IRenderOptions } from './tokens';

/** The renderer options of a page, which every output follows live. */
export class RendererSettings {
  /** The current options (defaults filled in). */
  get options(): Required<IRenderOptions> {
    return this._options;
  }

  /**
   * Call `listener` after each change; returns a function that unsubscribes.
   * (A plain listener set: @lumino/signaling is not a declared dependency.)
   */
  subscribe(listener: (options: Required<IRenderOptions>) => void): () => void {
    this._listeners.add(listener);
    return () => {
      this._listeners.delete(listener);
    };
  }

  /** Merge new options; invalid values fall back to the defaults. */
  update(options: IRenderOptions): void {
    const next: Required<IRenderOptions> = { ...this._options };
    if (options.maxObjects !== undefined) {
      const n = Math.floor(Number(options.maxObjects));
      next.maxObjects = Number.isFinite(n) && n >= 1 ? n : DEFAULT_MAX_OBJECTS;
    }
    if (options.memoryOpen !== undefined) {
      next.memoryOpen = options.memoryOpen === true;
    }
    if (options.staticCopies !== undefined) {
      next.staticCopies = options.staticCopies !== false;
    }
    if (options.addressFormat !== undefined) {
      next.addressFormat = options.addressFormat === 'short' ? 'short' : 'full';
    }
    if (
      next.maxObjects === this._options.maxObjects &&
      next.memoryOpen === this._options.memoryOpen &&
      next.addressFormat === this._options.addressFormat &&
      next.staticCopies === this._options.staticCopies
    ) {
      return;
    }
    this._options = next;
    for (const listener of [...this._listeners]) {
      try {
        listener(next);
      } catch (reason) {
        console.error('jupyterlab-redpill: settings listener failed', reason);
      }
    }
  }

  private _options: Required<IRenderOptions> = {
    maxObjects: DEFAULT_MAX_OBJECTS,
    memoryOpen: false,
    addressFormat: 'full',
    staticCopies: true
  };
  private _listeners = new Set<(options: Required<IRenderOptions>) => void>();
}

/**
 * Renderer options from the plugin's settings (the composite values of
 * `schema/settings/plugin.json`); keys it does not know are ignored.
 */
export function optionsFromSettings(
  composite: Record<string, unknown>
): IRenderOptions {
  const options: IRenderOptions = {};
  if (typeof composite.maxObjects === 'number') {
    options.maxObjects = composite.maxObjects;
  }
  if (typeof composite.staticCopies === 'boolean') {
    options.staticCopies = composite.staticCopies;
  }
  if (typeof composite.memoryOpen === 'boolean') {
    options.memoryOpen = composite.memoryOpen;
  }
  if (
    composite.addressFormat === 'full' ||
    composite.addressFormat === 'short'
  ) {
    options.addressFormat = composite.addressFormat;
  }
  return options;
}

/** The options every redpill output in this page uses. */
export const rendererSettings = new RendererSettings();
