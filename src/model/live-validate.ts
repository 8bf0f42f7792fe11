/**
 * The live page's check of its payload: JSON, an object, `schema_version` 1.
 * The schema itself is not checked there. The payload and the drawing code
 * come from one output, written together by the kernel (whose payloads the
 * tests check against the schema on every interpreter), and the page runs
 * that output's own script: whoever can change the payload can change the
 * script too, so a schema check would defend nothing the script does not
 * already hold, while its checker and the schema were a sixth of the code
 * every output carries. What the page cannot draw leaves the table
 * (src/live/index.ts). The JupyterLab renderer, which draws payloads from
 * any notebook, checks the whole schema (./validate.ts). No JupyterLab
 * imports.
 */
import {
  IValidationMessages,
  validateWith,
  ValidationResult
} from './payload-check';
import { SCHEMA_VERSION } from '../tokens';

/**
 * What the live page says of a payload it cannot draw: only its console
 * hears it (the output keeps its table), so in short.
 */
export const LIVE_MESSAGES: IValidationMessages = {
  notJson: 'not JSON',
  notObject: () => 'not a payload object',
  version: () => `not schema_version ${SCHEMA_VERSION}`,
  schema: 'not of the payload schema'
};

/** Check a payload (or its JSON) is a v1 payload object; never throws. */
export function validateLive(data: unknown): ValidationResult {
  return validateWith(data, () => [], LIVE_MESSAGES);
}
