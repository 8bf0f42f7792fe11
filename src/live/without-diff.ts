/**
 * The live bundles' stand-in for the change marks (src/diff/changes.ts and
 * src/diff/decorate.ts) in the bundles of outputs whose payload has neither a
 * diff nor steps (webpack.live.config.js): the instructor view calls none of
 * it then. Typed as the real functions. No JupyterLab imports.
 */
import type * as Changes from '../diff/changes';
import type * as Decorate from '../diff/decorate';
import { missing } from './missing';

const changes = (): never => missing('changes');

/** Never called without a diff. */
export const marksFromDiff: typeof Changes.marksFromDiff = changes;
/** Never called without steps. */
export const marksFromStep: typeof Changes.marksFromStep = changes;
/** Never called without marks. */
export const decorateDiagram: typeof Decorate.decorateDiagram = changes;
/** Never called without a diff. */
export const changeList: typeof Decorate.changeList = changes;
