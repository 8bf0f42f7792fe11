/**
 * The live page's stand-in for the export code (view/copies,
 * view/export-buttons, view/actions, draw/export, draw/png): the live bundle resolves those modules to this one
 * (webpack.live.config.js), so every output carries the drawing without the
 * code of the SVG/PNG export buttons and the static copies, which only the
 * JupyterLab widget uses. No export button is offered (`availableActions`
 * is empty); the rest is never called on the live page and says so if it
 * is. Each name is typed as the real one, and the build fails if the views
 * import a name this module lacks.
 */
import type * as Actions from '../view/actions';
import type * as Copies from '../view/copies';
import type * as ExportButtons from '../view/export-buttons';

function unavailable(): never {
  throw new Error('exports are not part of the live diagram');
}

/** No export actions on the live page. */
export const availableActions: typeof Actions.availableActions = () => [];
/** No export buttons on the live page. */
export const exportButtons: typeof ExportButtons.exportButtons = () => [];
/** Never called (no export buttons). */
export const diagramExport: typeof Copies.diagramExport = () => unavailable;
/** Never called (no exports). */
export const diagramSvgFile: typeof Copies.diagramSvgFile = unavailable;
/** Never called (no exports). */
export const diagramPng: typeof Copies.diagramPng = unavailable;
/** Never called (no stored copy on the live page). */
export const diagramStaticCopy: typeof Copies.diagramStaticCopy = unavailable;
