/**
 * The live bundles' stand-in for the --quiz and hidden-fields code
 * (src/quiz/mask.ts, src/quiz/hidden-marks.ts and src/quiz/panel.ts) in the
 * bundles of outputs whose
 * payload has neither questions nor hidden fields (webpack.live.config.js):
 * nothing is masked then, and a payload with questions is refused. Typed as
 * the real ones. No JupyterLab imports.
 */
import type * as HiddenMarks from '../quiz/hidden-marks';
import type * as Mask from '../quiz/mask';
import type * as Panel from '../quiz/panel';
import { missing } from './missing';

/** The address shown for a hidden one (as src/quiz/mask.ts has it). */
export const HIDDEN_ADDRESS: typeof Mask.HIDDEN_ADDRESS = '0x?';

/** Nothing is a placeholder when nothing is masked. */
export const isPlaceholder: typeof Mask.isPlaceholder = () => false;

/** The payload itself: there is nothing to mask (else this bundle is wrong). */
export const maskPayload: typeof Mask.maskPayload = (
  payload,
  questions = [],
  _revealed,
  hidden = []
) =>
  questions.length || hidden.length || payload.hidden_fields?.length
    ? missing('questions and hidden fields')
    : payload;

/** No questions, so no addresses asked about. */
export const questionAddresses: typeof Mask.questionAddresses = questions =>
  questions.length ? missing('questions') : new Set();

/** The marks as they are: nothing is hidden (else this bundle is wrong). */
export const maskMarks: typeof HiddenMarks.maskMarks = (marks, hidden) =>
  hidden.length ? missing('hidden fields') : marks;

/** Nothing to hide in the change list (else this bundle is wrong). */
export const maskChangeList: typeof HiddenMarks.maskChangeList = (
  _node,
  hidden
) => (hidden.length ? missing('hidden fields') : undefined);

/** Never called without questions. */
export const createQuizPanel: typeof Panel.createQuizPanel = () =>
  missing('questions');
