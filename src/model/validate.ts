/**
 * Validation of a raw MIME bundle value against the v1 payload contract
 * (`./payload-check.ts`), the payload checked by a standalone validator that
 * ajv precompiled from `schema/payload.v1.json` (no schema compilation, no
 * `new Function` at run time).
 */
import { SCHEMA_VERSION } from '../tokens';
import {
  IValidationMessages,
  validateWith,
  ValidationResult
} from './payload-check';
import { validate as generatedValidate } from './validate.generated';

/** An ajv error, as much of it as we use. */
interface IAjvError {
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

type StandaloneValidator = ((data: unknown) => boolean) & {
  errors?: IAjvError[] | null;
};

const schemaValidate = generatedValidate as unknown as StandaloneValidator;

function formatError(error: IAjvError): string {
  const where = error.instancePath || '(top level)';
  let text = `${where}: ${error.message ?? 'is invalid'}`;
  const params = error.params ?? {};
  if (typeof params.additionalProperty === 'string') {
    text += ` ('${params.additionalProperty}')`;
  } else if (Array.isArray(params.allowedValues)) {
    text += ` (${params.allowedValues.map(v => JSON.stringify(v)).join(', ')})`;
  }
  return text;
}

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** What the widget says of a payload it cannot draw. */
export const PAYLOAD_MESSAGES: IValidationMessages = {
  notJson: 'This redpill output is not valid JSON.',
  notObject: value =>
    `This redpill output holds ${describe(value)}, not a payload object.`,
  version: version =>
    `This redpill output has ${
      version === undefined
        ? 'no schema_version'
        : `schema_version ${JSON.stringify(version)}`
    }; this renderer understands ` +
    `schema_version ${SCHEMA_VERSION}. Update jupyterlab-redpill (or the ` +
    'redpill Python package) so both sides speak the same version, then re-run the cell.',
  schema: 'This redpill output does not match the payload schema (v1).'
};

/**
 * Check a value taken from a MIME bundle. A JSON string is parsed first (some
 * front ends hand JSON MIME data over unparsed).
 */
export function validatePayload(data: unknown): ValidationResult {
  return validateWith(
    data,
    value =>
      schemaValidate(value)
        ? []
        : (schemaValidate.errors ?? []).map(formatError),
    PAYLOAD_MESSAGES
  );
}

export type { ValidationResult } from './payload-check';
