/**
 * The live page's payload validation: the same checks as `validatePayload`,
 * the schema checked by the small checker over the schema itself (the
 * precompiled ajv validator is too large to carry in every output). No
 * JupyterLab imports.
 */
import {
  IValidationMessages,
  validateWith,
  ValidationResult
} from './payload-check';
import { schemaChecker, SchemaChecker } from './schema-check';
import { PAYLOAD_SCHEMA } from './schema.generated';
import { SCHEMA_VERSION } from '../tokens';

let checker: SchemaChecker | null = null;

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

/** Check a payload (or its JSON) against the schema v1; never throws. */
export function validateLive(data: unknown): ValidationResult {
  return validateWith(
    data,
    value => {
      checker ??= schemaChecker(PAYLOAD_SCHEMA);
      const error = checker(value);
      return error
        ? [`${error.instancePath || '(top level)'}: ${error.message}`]
        : [];
    },
    LIVE_MESSAGES
  );
}
