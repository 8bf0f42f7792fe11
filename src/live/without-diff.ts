/**
 * The live bundles' stand-in for --diff's own marks and change list
 * (src/diff/diff-marks.ts) in the bundles of outputs whose payload has no
 * diff, or steps (webpack.live.config.js): the instructor view lists a
 * diff's changes only without steps. Typed as the real functions. No
 * JupyterLab imports.
 */
import type * as DiffMarks from '../diff/diff-marks';
import { missing } from './missing';

const changes = (): never => missing('diffs');

/** Never called without a diff. */
export const marksFromDiff: typeof DiffMarks.marksFromDiff = changes;
/** Never called without a diff. */
export const changeList: typeof DiffMarks.changeList = changes;
