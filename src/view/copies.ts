/**
 * The copies the JupyterLab widget makes of a drawn diagram: the .svg file
 * and the PNGs of the toolbar's export buttons, and the static copy stored in
 * the output bundle. The live page offers none of them: its bundles resolve
 * this module to src/live/exports.ts (webpack.live.config.js). No JupyterLab
 * imports.
 */
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
import type { IRedpillModel } from '../model/model';
import { ExportAction, runExport } from './actions';

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

/** What the copies of a view are made from. */
export interface IDiagramSource {
  /** The live diagram. */
  readonly svg: SVGSVGElement;
  /** The model drawn. */
  readonly model: IRedpillModel;
  /** The diagram's width at 100%, in CSS pixels. */
  readonly width: number;
  /** The diagram's height at 100%, in CSS pixels. */
  readonly height: number;
  /** The document it is drawn in. */
  readonly doc: Document;
}

/** A standalone .svg file of the diagram in `palette` (default: light). */
export function diagramSvgFile(
  source: IDiagramSource,
  palette: IExportPalette = LIGHT_PALETTE
): string {
  return svgFile(staticSvg(source.svg, palette));
}

/** A PNG of the diagram at 100% (needs a browser canvas). */
export function diagramPng(
  source: IDiagramSource,
  palette: IExportPalette = LIGHT_PALETTE
): Promise<IRaster> {
  return svgToPng(
    svgMarkup(staticSvg(source.svg, palette)),
    source.width,
    source.height,
    source.doc
  );
}

/**
 * The PNG stored in the output bundle: the whole diagram in the light
 * palette, snapped to whole pixels, at one device pixel per CSS pixel, in
 * fewer colours (down to monochrome) if needed to stay within
 * `COPY_BUDGET`; if even that does not fit, the summary copy (every name
 * and object, one line each). Rejects if that does not fit either.
 */
export async function diagramStaticCopy(
  source: IDiagramSource
): Promise<IStaticCopy> {
  const options = { pixelRatio: COPY_PIXEL_RATIO, maxBytes: COPY_BUDGET };
  let raster: IRaster;
  let summary = false;
  try {
    raster = await svgToPng(
      svgMarkup(staticSvg(source.svg, LIGHT_PALETTE, true)),
      Math.ceil(source.width),
      Math.ceil(source.height),
      source.doc,
      options
    );
  } catch {
    const copy = summaryCopy(source.doc, source.model, LIGHT_PALETTE);
    raster = await svgToPng(
      svgMarkup(copy.svg),
      copy.width,
      copy.height,
      source.doc,
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

/**
 * What the toolbar's export buttons do for the view whose root is `node`:
 * export in the palette it is shown in (light when it is not in a page).
 */
export function diagramExport(
  source: IDiagramSource,
  node: HTMLElement
): (action: ExportAction) => Promise<string> {
  return action =>
    runExport(action, source.doc, {
      model: source.model,
      palette: () => (node.isConnected ? paletteOf(node) : LIGHT_PALETTE),
      svgFile: palette => diagramSvgFile(source, palette),
      png: palette => diagramPng(source, palette)
    });
}
