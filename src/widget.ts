/**
 * The MIME renderer widget for application/vnd.redpill.v1+json.
 *
 * `renderModel` is idempotent (JupyterLab calls it again after `setData`):
 * each call replaces what the previous one drew. Nothing throws out of it:
 * malformed data, an unknown schema_version or an unexpected failure shows a
 * clear inline message instead. The drawing code is loaded on first use.
 *
 * Sharing: after drawing a trusted output, the widget stores a static copy of
 * the picture in the bundle, an `image/png` within `COPY_BUDGET` for viewers
 * that run no script (GitHub), tagged in the output metadata with a hash of
 * the payload. The kernel's own `text/html` (its live diagram, drawn by
 * nbconvert pages, nbviewer, Sphinx, VS Code, Colab) is left as it is.
 * `setData` calls `renderModel` again: the same payload and options are not
 * redrawn, and a copy tagged with this payload's hash is never stored twice.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

import { RendererSettings, rendererSettings } from './settings';
import { IRenderOptions, MIME_TYPE } from './tokens';
import type { IRedpillView, IStaticCopy } from './view/view';

type RenderModule = typeof import('./render');

/** Class of every redpill output widget. */
export const CLASS_NAME = 'jp-Redpill';
/**
 * Class of the inline message shown instead of a diagram that cannot be drawn.
 */
export const ERROR_CLASS = 'jp-Redpill-error';
/** Output metadata key of the static copy's tag. */
export const META_KEY = 'jupyterlab-redpill';
/**
 * Version of the static copy's format, in the tag: 2 stores only a PNG (1
 * also replaced the kernel's `text/html` with a script-free HTML copy).
 */
export const STATIC_VERSION = 2;

/** The tag stored with the static copy. */
export interface IStaticTag {
  hash: string;
  version: number;
}

/**
 * The widget of one redpill output: draws the payload, follows the settings and
 * stores its static copy.
 */
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
      const options = { ...this._settings.options, ...this._renderOptions };
      const hash = module.payloadHash(data);
      const key = `${hash} ${JSON.stringify(options)}`;
      if (!this._view || key !== this._drawnKey) {
        const view = module.renderPayload(
          data,
          this.node.ownerDocument,
          options,
          {
            quiz: module.quizStateOf(model.metadata),
            onQuiz: state => this._saveQuiz(model, module, state)
          }
        );
        this._clear();
        this._view = view;
        this._drawnKey = key;
        this.node.appendChild(view.node);
      }
      if (options.staticCopies !== false) {
        await this._storeCopies(model, module, hash);
      }
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
    this._drawnKey = '';
    this.node.replaceChildren();
  }

  /**
   * Store the static copy (a PNG within `COPY_BUDGET`) in a trusted bundle,
   * once per payload; the kernel's own `text/html` stays as it is. A diagram
   * too large for the budget, or a browser that cannot raster it, is tagged
   * without a PNG. Failures (a model that refuses) leave the output as it is.
   */
  private async _storeCopies(
    model: IRenderMime.IMimeModel,
    module: RenderModule,
    hash: string
  ): Promise<void> {
    if (!model.trusted || this._storedHash === hash) {
      return;
    }
    const tag = (model.metadata?.[META_KEY] ?? null) as IStaticTag | null;
    if (tag?.hash === hash && tag.version === STATIC_VERSION) {
      this._storedHash = hash;
      return;
    }
    // Mark first: whatever happens next, this widget asks only once.
    this._storedHash = hash;
    // Let the browser paint the diagram before the copy is made.
    await Private.afterPaint(this.node.ownerDocument);
    // Copy what is shown now (a setting may have redrawn it meanwhile), if
    // it is still this payload; otherwise let the call that redrew store it.
    const view = this._view;
    if (
      this.isDisposed ||
      this._model !== model ||
      !view ||
      !this._drawnKey.startsWith(`${hash} `)
    ) {
      this._storedHash = '';
      return;
    }
    let copy: IStaticCopy | null = null;
    try {
      copy = await view.staticCopy();
    } catch {
      copy = null; // no canvas, no image decoding, over budget: no PNG
    }
    if (this.isDisposed || this._model !== model) {
      return;
    }
    const data: Record<string, unknown> = { ...model.data };
    const metadata: Record<string, unknown> = {
      ...(model.metadata ?? {}),
      [META_KEY]: { hash, version: STATIC_VERSION }
    };
    // An older version's PNG is replaced; its HTML copy (script-free, with
    // the kernel's table inside) is left as it is: nothing is lost.
    delete data['image/png'];
    delete metadata['image/png'];
    const png = copy ? module.base64Of(copy.raster.dataUrl) : '';
    if (copy && png) {
      data['image/png'] = png;
      // Shown at the diagram's size, whatever the raster's scale.
      metadata['image/png'] = { width: copy.width, height: copy.height };
    }
    try {
      model.setData({
        data: data as IRenderMime.IMimeModel['data'],
        metadata: metadata as IRenderMime.IMimeModel['metadata']
      });
    } catch (reason) {
      console.warn('jupyterlab-redpill: static copy not stored', reason);
    }
  }

  /**
   * Keep the learner's predictions and results in the output's metadata
   * (saved with the notebook, readable by the instructor). `setData` calls
   * `renderModel` again, which does not redraw the same payload.
   */
  private _saveQuiz(
    model: IRenderMime.IMimeModel,
    module: RenderModule,
    state: Parameters<RenderModule['withQuizState']>[1]
  ): void {
    if (this.isDisposed || this._model !== model) {
      return;
    }
    try {
      model.setData({
        data: model.data,
        metadata: module.withQuizState(
          (model.metadata ?? {}) as Record<string, unknown>,
          state
        ) as IRenderMime.IMimeModel['metadata']
      });
    } catch (reason) {
      console.warn('jupyterlab-redpill: quiz answers not stored', reason);
    }
  }

  private _mimeType: string;
  private _renderOptions: IRenderOptions;
  private _settings: RendererSettings;
  private _unsubscribe: () => void;
  private _model: IRenderMime.IMimeModel | null = null;
  private _view: IRedpillView | null = null;
  private _token = 0;
  private _drawnKey = '';
  private _storedHash = '';
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

  /** Resolve after the next frame has been painted (or soon, without one). */
  export function afterPaint(doc: Document): Promise<void> {
    const view = doc.defaultView;
    return new Promise(resolve => {
      if (view && typeof view.requestAnimationFrame === 'function') {
        view.requestAnimationFrame(() => view.setTimeout(resolve, 0));
      } else {
        setTimeout(resolve, 0);
      }
    });
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
