/**
 * The renderer's heavy half, loaded on demand by the widget (its own chunk
 * in the labextension): validate a raw payload and draw it as a view, the
 * instructor view around it when the payload asks for one. It re-exports what
 * the widget needs from the drawing, so the widget loads one module.
 */
import { InstructorView, needsInstructorView } from './instructor/instructor';
import type { IInstructorHost } from './instructor/instructor';
import type { RedpillPayload } from './model/payload.generated';
import { validatePayload } from './model/validate';
import { isPlaceholder } from './quiz/mask';
import type { IRenderOptions } from './tokens';
import { IRedpillView, RedpillView } from './view/view';

export { validatePayload } from './model/validate';
export { buildModel } from './model/model';
export { buildDiagram } from './draw/diagram';
export { payloadHash } from './draw/export';
export { base64Of } from './draw/png';
export { quizStateOf, withQuizState } from './quiz/quiz';
/** What the widget hands the instructor view (stored answers, persistence). */
export type { IInstructorHost } from './instructor/instructor';
/** The view the widget shows and the static copy it stores. */
export type { IRedpillView, IStaticCopy } from './view/view';

/** A payload that cannot be drawn; `message` is meant for the reader. */
export class PayloadError extends Error {
  /** `details` lists what is wrong, one line each (schema errors). */
  constructor(
    message: string,
    readonly details: string[] = []
  ) {
    super(message);
    this.name = 'PayloadError';
  }
}

/**
 * Validate and draw a payload. Throws `PayloadError` for data it cannot draw.
 */
export function renderPayload(
  data: unknown,
  doc: Document,
  options: IRenderOptions = {},
  host: IInstructorHost = {}
): IRedpillView {
  const result = validatePayload(data);
  if (!result.ok) {
    throw new PayloadError(result.message, result.details);
  }
  const payload = result.payload;
  if (!needsInstructorView(payload, host)) {
    return drawPayload(payload, doc, options);
  }
  // The instructor view draws masked payloads: their placeholders stand for
  // hidden addresses on purpose and are not warned about.
  return new InstructorView(
    payload,
    doc,
    host,
    masked => new RedpillView(masked, doc, options, { isPlaceholder })
  );
}

/** Draw a validated payload as a view. */
export function drawPayload(
  payload: RedpillPayload,
  doc: Document,
  options: IRenderOptions = {}
): IRedpillView {
  return new RedpillView(payload, doc, options);
}
