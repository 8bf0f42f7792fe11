/**
 * The live page's payload validation: the same checks as `validatePayload`,
 * the schema checked by the small checker over the schema itself (the
 * precompiled ajv validator is too large to carry in every output). No
 * JupyterLab imports.
 */
import { validateWith, ValidationResult } from './payload-check';
import { schemaChecker, SchemaChecker } from './schema-check';
import { PAYLOAD_SCHEMA } from './schema.generated';

let checker: SchemaChecker | null = null;

/** Check a payload (or its JSON) against the schema v1; never throws. */
export function validateLive(data: unknown): ValidationResult {
  return validateWith(data, value => {
    checker ??= schemaChecker(PAYLOAD_SCHEMA);
    const error = checker(value);
    return error
      ? [`${error.instancePath || '(top level)'}: ${error.message}`]
      : [];
  });
}
