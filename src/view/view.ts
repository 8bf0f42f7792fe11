/**
 * The view of one payload: the toolbar, the notices, the diagram (zoomable,
 * boxes selectable) and the details panel, with the exports the toolbar and
 * the widget's static copies use. `dispose()` removes every listener and the
 * view's node.
 */
import { DisposableDelegate, DisposableSet, IDisposable } from '../disposable';
import { htmlEl } from '../dom';
import { createDetails } from '../draw/details';
import { buildDiagram } from '../draw/diagram';
import {
  IExportPalette,
  LIGHT_PALETTE,
  paletteOf,
  staticSvg,
  summaryCopy,
  svgFile,
  svgMarkup
} from '../draw/export';
import { COPY_BUDGET, COPY_PIXEL_RATIO, IRaster, svgToPng } from '../draw/png';
import { buildModel, IModelOptions, IRedpillModel } from '../model/model';
import type { RedpillPayload } from '../model/payload.generated';
import { interpreterCaption } from '../text';
import { DEFAULT_MAX_OBJECTS, IRenderOptions } from '../tokens';
import { availableActions, runExport } from './actions';
import { createNotices } from './notices';
import { DiagramSelection } from './selection';
import { plainToolbar, ToolbarFactory } from './toolbar-items';
import { DiagramZoom } from './zoom';

/** The static copy of a diagram stored in the output bundle: a PNG. */
export interface IStaticCopy {
  /** The raster (light palette, within `COPY_BUDGET`). */
  raster: IRaster;
  /** The width to show the PNG at: the diagram's at 100%, in CSS pixels. */
  width: number;
  /** The height to show it at: the diagram's at 100%, in CSS pixels. */
  height: number;
  /**
   * True when it is the summary copy (every name and object listed), the
   * whole diagram being too large for the budget even in monochrome.
   */
  summary: boolean;
}

/** What the widget shows and copies: a drawn payload. */
export interface IRedpillView extends IDisposable {
  /** The view's root node. */
  readonly node: HTMLElement;
  /** The model drawn. */
  readonly model: IRedpillModel;
  /** The live diagram. */
  readonly svg: SVGSVGElement;
  /** A standalone .svg file of the diagram in `palette` (default: light). */
  svgFile(palette?: IExportPalette): string;
  /** The PNG stored in the output bundle (light palette, within budget). */
  staticCopy(): Promise<IStaticCopy>;
  /** A PNG of the diagram (needs a browser canvas). */
  png(palette?: IExportPalette): Promise<IRaster>;
}

/** The view of one validated (or masked) payload. */
export class RedpillView implements IRedpillView {
  /**
   * Draw `payload` in `doc` with the render `options`; `modelOptions` tell
   * how to read it (a masked payload's placeholders); `toolbar` makes the
   * toolbar (JupyterLab's in the widget, a plain one elsewhere).
   */
  constructor(
    payload: RedpillPayload,
    doc: Document,
    options: IRenderOptions = {},
    modelOptions: IModelOptions = {},
    toolbar: ToolbarFactory = plainToolbar
  ) {
    const model = (this.model = buildModel(payload, modelOptions));
    const maxObjects = Math.max(
      1,
      Math.floor(options.maxObjects ?? DEFAULT_MAX_OBJECTS)
    );
    const diagram = buildDiagram(doc, model, {
      maxObjects,
      addressFormat: options.addressFormat === 'short' ? 'short' : 'full'
    });
    const svg = (this.svg = diagram.svg);
    this._doc = doc;
    const caption = interpreterCaption(model.payload.interpreter);
    this._zoom = new DiagramZoom(svg);

    const node = (this.node = htmlEl(doc, 'div', 'jp-Redpill-view'));
    const bar = toolbar(doc, caption, availableActions(doc.defaultView), {
      zoom: direction => this._zoom.zoom(direction),
      export: action =>
        runExport(action, doc, {
          model,
          palette: () => (node.isConnected ? paletteOf(node) : LIGHT_PALETTE),
          svgFile: palette => this.svgFile(palette),
          png: palette => this.png(palette)
        })
    });
    node.appendChild(bar.node);
    const notices = createNotices(
      doc,
      model,
      diagram.layout.elided.length,
      maxObjects
    );
    if (notices) {
      node.appendChild(notices);
    }
    htmlEl(doc, 'div', 'jp-Redpill-canvas', undefined, node).appendChild(svg);
    const details = createDetails(doc, model, options.memoryOpen === true);
    node.appendChild(details.node);
    this._disposables.add(bar);
    this._disposables.add(new DiagramSelection(svg, a => details.show(a)));
    this._disposables.add(new DisposableDelegate(() => details.dispose()));
  }

  /** The view's root node. */
  readonly node: HTMLElement;
  /** The model drawn. */
  readonly model: IRedpillModel;
  /** The live diagram. */
  readonly svg: SVGSVGElement;

  /** Whether the view was disposed. */
  get isDisposed(): boolean {
    return this._disposables.isDisposed;
  }

  /** A standalone .svg file of the diagram in `palette` (default: light). */
  svgFile(palette: IExportPalette = LIGHT_PALETTE): string {
    return svgFile(staticSvg(this.svg, palette));
  }

  /** A PNG of the diagram at 100% (needs a browser canvas). */
  png(palette: IExportPalette = LIGHT_PALETTE): Promise<IRaster> {
    return svgToPng(
      svgMarkup(staticSvg(this.svg, palette)),
      this._zoom.baseWidth,
      this._zoom.baseHeight,
      this._doc
    );
  }

  /**
   * The PNG stored in the output bundle: the whole diagram in the light
   * palette, snapped to whole pixels, at one device pixel per CSS pixel, in
   * fewer colours (down to monochrome) if needed to stay within
   * `COPY_BUDGET`; if even that does not fit, the summary copy (every name
   * and object, one line each). Rejects if that does not fit either.
   */
  async staticCopy(): Promise<IStaticCopy> {
    const options = { pixelRatio: COPY_PIXEL_RATIO, maxBytes: COPY_BUDGET };
    let raster: IRaster;
    let summary = false;
    try {
      raster = await svgToPng(
        svgMarkup(staticSvg(this.svg, LIGHT_PALETTE, true)),
        Math.ceil(this._zoom.baseWidth),
        Math.ceil(this._zoom.baseHeight),
        this._doc,
        options
      );
    } catch {
      const copy = summaryCopy(this._doc, this.model, LIGHT_PALETTE);
      raster = await svgToPng(
        svgMarkup(copy.svg),
        copy.width,
        copy.height,
        this._doc,
        options
      );
      summary = true;
    }
    return {
      raster,
      width: raster.cssWidth,
      height: raster.cssHeight,
      summary
    };
  }

  /** Remove the view's listeners, its toolbar and its node. */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._disposables.dispose();
    this.node.remove();
  }

  private _doc: Document;
  private _zoom: DiagramZoom;
  private _disposables = new DisposableSet();
}
