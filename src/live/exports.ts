/**
 * The live page's stand-in for the export code (draw/export, draw/png,
 * view/actions): the live bundle resolves those modules to this one
 * (webpack.live.config.js), so every output carries the drawing without the
 * code of the SVG/PNG export buttons and the static copies, which only the
 * JupyterLab widget uses. No export button is offered (`availableActions`
 * is empty); the rest is never called on the live page and says so if it
 * is. Each name is typed as the real one, and the build fails if the views
 * import a name this module lacks.
 */
import type * as Export from '../draw/export';
import type * as Png from '../draw/png';
import type * as Actions from '../view/actions';

function unavailable(): never {
  throw new Error('exports are not part of the live diagram');
}

/** No export actions on the live page. */
export const availableActions: typeof Actions.availableActions = () => [];
/** Never called (no export buttons). */
export const runExport: typeof Actions.runExport = unavailable;
/** Never read (no exports). */
export const LIGHT_PALETTE = undefined as unknown as Export.IExportPalette;
/** Never called (no exports). */
export const paletteOf: typeof Export.paletteOf = unavailable;
/** Never called (no exports). */
export const staticSvg: typeof Export.staticSvg = unavailable;
/** Never called (no exports). */
export const svgFile: typeof Export.svgFile = unavailable;
/** Never called (no exports). */
export const svgMarkup: typeof Export.svgMarkup = unavailable;
/** Never called (no exports). */
export const svgToPng: typeof Png.svgToPng = unavailable;
/** Never called (no stored copy on the live page). */
export const summaryCopy: typeof Export.summaryCopy = unavailable;
/** Never read (no stored copy on the live page). */
export const COPY_BUDGET: number = 0;
/** Never read (no stored copy on the live page). */
export const COPY_PIXEL_RATIO: number = 1;
