/**
 * The renderer's heavy half, loaded on demand by the widget (its own chunk
 * in the labextension): validate a raw payload and draw it as a view with
 * JupyterLab's toolbar, the instructor view around it when the payload asks
 * for one. It re-exports what the widget needs from the drawing, so the
 * widget loads one module.
 */
import type { IInstructorHost } from './instructor/instructor';
import type { RedpillPayload } from './model/payload.generated';
import { validatePayload } from './model/validate';
import type { IRenderOptions } from './tokens';
import { drawView, payloadView } from './view/payload-view';
import { jupyterToolbar } from './view/toolbar';
import type { IRedpillView } from './view/view';

export { validatePayload } from './model/validate';
export { buildModel } from './model/model';
export { buildDiagram } from './draw/diagram';
export { payloadHash } from './draw/export';
export { base64Of } from './draw/png';
export { quizStateOf, withQuizState } from './quiz/quiz';
export { PayloadError } from './view/payload-view';
/** What the widget hands the instructor view (stored answers, persistence). */
export type { IInstructorHost } from './instructor/instructor';
/** The view the widget shows and the static copy it stores. */
export type { IRedpillView, IStaticCopy } from './view/view';

/**
 * Validate and draw a payload. Throws `PayloadError` for data it cannot draw.
 */
export function renderPayload(
  data: unknown,
  doc: Document,
  options: IRenderOptions = {},
  host: IInstructorHost = {}
): IRedpillView {
  return payloadView(data, doc, validatePayload, options, host, jupyterToolbar);
}

/** Draw a validated payload as a view. */
export function drawPayload(
  payload: RedpillPayload,
  doc: Document,
  options: IRenderOptions = {}
): IRedpillView {
  return drawView(payload, doc, options, jupyterToolbar);
}
