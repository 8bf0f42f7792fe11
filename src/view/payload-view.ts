/**
 * From a raw payload to a view, for every place the diagram is drawn (the
 * JupyterLab widget and the live page): validate, then draw the plain view or
 * the instructor view around it (steps, quiz, diff, hidden fields). The
 * toolbar is the caller's (JupyterLab's or the plain one). No JupyterLab
 * imports.
 */
import { InstructorView, needsInstructorView } from '../instructor/instructor';
import type { IInstructorHost } from '../instructor/instructor';
import type { RedpillPayload } from '../model/payload.generated';
import type { ValidationResult } from '../model/payload-check';
import { isPlaceholder } from '../quiz/mask';
import type { IRenderOptions } from '../tokens';
import { plainToolbar, ToolbarFactory } from './toolbar-items';
import { IRedpillView, RedpillView } from './view';

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

/** Validates a raw payload (the precompiled validator or the live page's). */
export type PayloadValidator = (data: unknown) => ValidationResult;

/**
 * Validate (with `validate`) and draw a payload with the toolbar `toolbar`
 * makes. Throws `PayloadError` for data it cannot draw.
 */
export function payloadView(
  data: unknown,
  doc: Document,
  validate: PayloadValidator,
  options: IRenderOptions = {},
  host: IInstructorHost = {},
  toolbar: ToolbarFactory = plainToolbar
): IRedpillView {
  const result = validate(data);
  if (!result.ok) {
    throw new PayloadError(result.message, result.details);
  }
  const payload = result.payload;
  if (!needsInstructorView(payload, host)) {
    return drawView(payload, doc, options, toolbar);
  }
  // The instructor view draws masked payloads: their placeholders stand for
  // hidden addresses on purpose and are not warned about.
  return new InstructorView(
    payload,
    doc,
    host,
    masked => new RedpillView(masked, doc, options, { isPlaceholder }, toolbar)
  );
}

/** Draw a validated payload as a plain view. */
export function drawView(
  payload: RedpillPayload,
  doc: Document,
  options: IRenderOptions = {},
  toolbar: ToolbarFactory = plainToolbar
): IRedpillView {
  return new RedpillView(payload, doc, options, {}, toolbar);
}
