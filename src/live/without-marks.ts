/**
 * The live bundles' stand-in for the change badges (src/diff/decorate.ts)
 * in the bundles of outputs whose payload has neither a diff nor steps
 * (webpack.live.config.js): the instructor view marks no change then, and a
 * payload with a diff is refused. Typed as the real ones. No JupyterLab
 * imports.
 */
import type * as Decorate from '../diff/decorate';
import { missing } from './missing';

/** Never called without marks. */
export const decorateDiagram: typeof Decorate.decorateDiagram = () =>
  missing('change marks');
