/**
 * The live bundles' stand-in for the --steps code (src/steps/controls.ts,
 * src/steps/model.ts, the call frames of src/model/frames.ts and their boxes,
 * src/draw/frame-boxes.ts) in the bundles of outputs whose
 * payload has no steps (webpack.live.config.js): the instructor view calls
 * none of it then, only a step's payload has frames, and a payload with
 * steps is refused. Typed as the real ones. No JupyterLab imports.
 */
import type * as FrameBoxes from '../draw/frame-boxes';
import type * as Frames from '../model/frames';
import type * as Controls from '../steps/controls';
import type * as Steps from '../steps/model';
import { missing } from './missing';

const steps = (): never => missing('steps');

/** No steps in the payload. */
export const hasSteps: typeof Steps.hasSteps = () => false;
/** No step to show first without steps. */
export const firstStep: typeof Steps.firstStep = payload =>
  payload.steps?.length ? steps() : -1;
/** No steps to complete (a payload with steps is refused). */
export const wholeSteps: typeof Steps.wholeSteps = payload =>
  payload.steps?.length ? steps() : [];
/** Never called without steps. */
export const stepState: typeof Steps.stepState = steps;
/** Never called without steps. */
export const createStepControls: typeof Controls.createStepControls = steps;
/** No frames: only a step's payload (made by the real `stepPayload`) has them. */
export const framesOf: typeof Frames.framesOf = data =>
  data.frames ? steps() : null;
/** Never called: only a step's payload has frames. */
export const frameText: typeof FrameBoxes.frameText = steps;
/** Never called: only a step's payload has frames. */
export const drawFrameBox: typeof FrameBoxes.drawFrameBox = steps;
/** Never called: only a step's payload has frames. */
export const frameTitle: typeof FrameBoxes.frameTitle = steps;
/** Never called: only a step's payload has frames. */
export const frameNote: typeof FrameBoxes.frameNote = steps;
