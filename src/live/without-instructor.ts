/**
 * The live bundles' stand-in for the instructor views (src/live/instructor-view.ts)
 * in the bundle of outputs whose payload needs none of them
 * (webpack.live.config.js). Typed as the real ones. No JupyterLab imports.
 */
import type * as Instructor from './instructor-view';
import { missing } from './missing';

/** No instructor styles in this bundle. */
export const INSTRUCTOR_STYLES: typeof Instructor.INSTRUCTOR_STYLES = '';

/** Never called: the payload needs no instructor view. */
export const instructorView: typeof Instructor.instructorView = () =>
  missing('steps, questions and diffs');
