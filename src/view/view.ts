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
import type { IExportPalette } from '../draw/export';
import type { IRaster } from '../draw/png';
import { buildModel, IModelOptions, IRedpillModel } from '../model/model';
import type { RedpillPayload } from '../model/payload.generated';
import { interpreterCaption } from '../text';
import { DEFAULT_MAX_OBJECTS, IRenderOptions } from '../tokens';
import { availableActions } from './actions';
import {
  diagramExport,
  diagramPng,
  diagramStaticCopy,
  diagramSvgFile,
  IDiagramSource,
  IStaticCopy
} from './copies';
import { createNotices } from './notices';
import { DiagramSelection } from './selection';
import { plainToolbar, ToolbarFactory } from './toolbar-items';
import { DiagramZoom } from './zoom';

export type { IStaticCopy } from './copies';

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
    const caption = interpreterCaption(model.payload.interpreter);
    const zoom = new DiagramZoom(svg);
    const source = (this._source = {
      svg,
      model,
      width: zoom.baseWidth,
      height: zoom.baseHeight,
      doc
    });

    const node = (this.node = htmlEl(doc, 'div', 'jp-Redpill-view'));
    const bar = toolbar(doc, caption, availableActions(doc.defaultView), {
      zoom: direction => zoom.zoom(direction),
      export: diagramExport(source, node)
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
  svgFile(palette?: IExportPalette): string {
    return diagramSvgFile(this._source, palette);
  }

  /** A PNG of the diagram at 100% (needs a browser canvas). */
  png(palette?: IExportPalette): Promise<IRaster> {
    return diagramPng(this._source, palette);
  }

  /** The PNG stored in the output bundle (see `diagramStaticCopy`). */
  staticCopy(): Promise<IStaticCopy> {
    return diagramStaticCopy(this._source);
  }

  /** Remove the view's listeners, its toolbar and its node. */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._disposables.dispose();
    this.node.remove();
  }

  private _source: IDiagramSource;
  private _disposables = new DisposableSet();
}
