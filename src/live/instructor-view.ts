/**
 * The live page's instructor view (--steps, --quiz, --diff, hidden fields):
 * only in the bundles of outputs whose payload needs it (elsewhere
 * ./without-instructor.ts stands in; see webpack.live.config.js). No
 * JupyterLab imports.
 */
import instructorCss from '../../style/instructor.css';
import { InstructorView } from '../instructor/instructor';
import type { RedpillPayload } from '../model/payload.generated';
import { isPlaceholder } from '../quiz/mask';
import { plainToolbar } from '../view/toolbar-items';
import { IRedpillView, RedpillView } from '../view/view';

/** The instructor view's styles (text in the bundle; a stand-in in jest). */
export const INSTRUCTOR_STYLES =
  typeof instructorCss === 'string' ? instructorCss : '';

/** Draw a validated payload that needs them with the instructor views. */
export function instructorView(
  payload: RedpillPayload,
  doc: Document
): IRedpillView {
  return new InstructorView(
    payload,
    doc,
    {},
    masked => new RedpillView(masked, doc, {}, { isPlaceholder }, plainToolbar)
  );
}
