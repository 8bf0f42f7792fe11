/**
 * The MIME renderer widget for application/vnd.redpill.v1+json.
 *
 * `renderModel` is idempotent (JupyterLab calls it again after `setData`):
 * each call replaces what the previous one drew. Nothing throws out of it:
 * malformed data, an unknown schema_version or an unexpected failure shows a
 * clear inline message instead. The drawing code is loaded on first use.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

import { RendererSettings, rendererSettings } from './settings';
import { IRenderOptions, MIME_TYPE } from './tokens';

type RenderModule = typeof import('./render');
type View = ReturnType<RenderModule['renderPayload']>;

export const CLASS_NAME = 'jp-Redpill';
export const ERROR_CLASS = 'jp-Redpill-error';

export class RenderedRedpill extends Widget implements IRenderMime.IRenderer {
  /**
   * `renderOptions` override the shared `settings` (for tests and embedding);
   * outputs follow changes of the shared settings live.
   */
  constructor(
    options: IRenderMime.IRendererOptions,
    renderOptions: IRenderOptions = {},
    settings: RendererSettings = rendererSettings
  ) {
    super();
    this.addClass(CLASS_NAME);
    this._mimeType = options.mimeType || MIME_TYPE;
    // Like JupyterLab's own renderers: lets styles and tests find our outputs.
    this.node.dataset['mimeType'] = this._mimeType;
    this._renderOptions = renderOptions;
    this._settings = settings;
    this._unsubscribe = settings.subscribe(() => {
      if (this._model && !this.isDisposed) {
        void this.renderModel(this._model);
      }
    });
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const token = ++this._token;
    this._model = model;
    try {
      const data = model.data[this._mimeType];
      const module = await Private.loadRenderer();
      if (this.isDisposed || token !== this._token) {
        return;
      }
      const view = module.renderPayload(data, this.node.ownerDocument, {
        ...this._settings.options,
        ...this._renderOptions
      });
      this._clear();
      this._view = view;
      this.node.appendChild(view.node);
    } catch (reason) {
      if (this.isDisposed || token !== this._token) {
        return;
      }
      this._clear();
      this.node.appendChild(Private.errorNode(this.node.ownerDocument, reason));
    }
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._unsubscribe();
    this._model = null;
    this._clear();
    super.dispose();
  }

  private _clear(): void {
    this._view?.dispose();
    this._view = null;
    this.node.replaceChildren();
  }

  private _mimeType: string;
  private _renderOptions: IRenderOptions;
  private _settings: RendererSettings;
  private _unsubscribe: () => void;
  private _model: IRenderMime.IMimeModel | null = null;
  private _view: View | null = null;
  private _token = 0;
}

namespace Private {
  let renderer: Promise<RenderModule> | null = null;

  /** Load the drawing code once (its own chunk in the labextension). */
  export function loadRenderer(): Promise<RenderModule> {
    if (!renderer) {
      renderer = import('./render').catch(reason => {
        renderer = null;
        throw reason;
      });
    }
    return renderer;
  }

  /** The inline message shown instead of a diagram. */
  export function errorNode(doc: Document, reason: unknown): HTMLElement {
    const node = doc.createElement('div');
    node.className = ERROR_CLASS;
    node.setAttribute('role', 'alert');
    const title = doc.createElement('p');
    title.className = 'jp-Redpill-errorTitle';
    const isPayloadError =
      reason instanceof Error && reason.name === 'PayloadError';
    title.textContent = isPayloadError
      ? `redpill: ${reason.message}`
      : `redpill: the diagram could not be drawn (${reason instanceof Error ? reason.message : String(reason)}).`;
    node.appendChild(title);
    const details = (reason as { details?: unknown }).details;
    if (isPayloadError && Array.isArray(details) && details.length) {
      const list = doc.createElement('ul');
      for (const detail of details.slice(0, 10)) {
        const item = doc.createElement('li');
        item.textContent = String(detail);
        list.appendChild(item);
      }
      if (details.length > 10) {
        const item = doc.createElement('li');
        item.textContent = `… ${details.length - 10} more`;
        list.appendChild(item);
      }
      node.appendChild(list);
    }
    return node;
  }
}
