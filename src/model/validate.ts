/**
 * Validation of a raw MIME bundle value against the v1 payload contract.
 *
 * The `schema_version` is checked first so an output from another version of
 * the extension gets a clear message instead of a list of schema errors; then
 * the payload is checked by a standalone validator that ajv precompiled from
 * `schema/payload.v1.json` (no schema compilation, no `new Function` at run
 * time).
 */
import { SCHEMA_VERSION } from '../tokens';
import type { RedpillPayload } from './payload.generated';
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

/** The outcome of validating a payload. */
export type ValidationResult =
  | { ok: true; payload: RedpillPayload }
  | { ok: false; message: string; details: string[] };

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

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
  let value = data;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return {
        ok: false,
        message: 'This redpill output is not valid JSON.',
        details: []
      };
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      message: `This redpill output holds ${describe(value)}, not a payload object.`,
      details: []
    };
  }
  const version = (value as Record<string, unknown>).schema_version;
  if (version !== SCHEMA_VERSION) {
    const shown =
      version === undefined
        ? 'no schema_version'
        : `schema_version ${JSON.stringify(version)}`;
    return {
      ok: false,
      message:
        `This redpill output has ${shown}; this renderer understands ` +
        `schema_version ${SCHEMA_VERSION}. Update jupyterlab-redpill (or the ` +
        'redpill Python package) so both sides speak the same version, then re-run the cell.',
      details: []
    };
  }
  if (!schemaValidate(value)) {
    const details = (schemaValidate.errors ?? []).map(formatError);
    return {
      ok: false,
      message: 'This redpill output does not match the payload schema (v1).',
      details
    };
  }
  return { ok: true, payload: value as RedpillPayload };
}
