/**
 * The live bundles' stand-in for the --steps code (src/steps/controls.ts and
 * src/steps/model.ts) in the bundles of outputs whose payload has no steps
 * (webpack.live.config.js): the instructor view calls none of it then.
 * Typed as the real functions. No JupyterLab imports.
 */
import type * as Controls from '../steps/controls';
import type * as Steps from '../steps/model';
import { missing } from './missing';

const steps = (): never => missing('steps');

/** No steps in the payload. */
export const hasSteps: typeof Steps.hasSteps = () => false;
/** Never called without steps. */
export const stepPayload: typeof Steps.stepPayload = steps;
/** Never called without steps. */
export const describeChanges: typeof Steps.describeChanges = steps;
/** Never called without steps. */
export const describeFrames: typeof Steps.describeFrames = steps;
/** Never called without steps. */
export const createStepControls: typeof Controls.createStepControls = steps;
