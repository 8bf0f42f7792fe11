/**
 * The live bundles' stand-in for the --steps code (src/steps/controls.ts,
 * src/steps/model.ts and the call frames of src/model/frames.ts) in the
 * bundles of outputs whose payload has no steps (webpack.live.config.js): the
 * instructor view calls none of it then, and only a step's payload has
 * frames. Typed as the real functions. No JupyterLab imports.
 */
import type * as Frames from '../model/frames';
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
export const marksFromStep: typeof Steps.marksFromStep = steps;
/** Never called without steps. */
export const createStepControls: typeof Controls.createStepControls = steps;
/** No frames: only a step's payload (made by the real `stepPayload`) has them. */
export const framesOf: typeof Frames.framesOf = data =>
  data.frames ? steps() : null;
