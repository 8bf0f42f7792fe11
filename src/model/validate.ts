/**
 * Validation of a raw MIME bundle value against the v1 payload contract
 * (`./payload-check.ts`), the payload checked by a standalone validator that
 * ajv precompiled from `schema/payload.v1.json` (no schema compilation, no
 * `new Function` at run time).
 */
import { validateWith, ValidationResult } from './payload-check';
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

/**
 * Check a value taken from a MIME bundle. A JSON string is parsed first (some
 * front ends hand JSON MIME data over unparsed).
 */
export function validatePayload(data: unknown): ValidationResult {
  return validateWith(data, value =>
    schemaValidate(value) ? [] : (schemaValidate.errors ?? []).map(formatError)
  );
}

export type { ValidationResult } from './payload-check';
