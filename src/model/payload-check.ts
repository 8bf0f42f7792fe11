/**
 * Validation of a raw MIME bundle value against the v1 payload contract, with
 * the schema check left to the caller: the precompiled ajv validator in
 * JupyterLab (`./validate.ts`), the small checker on the live page
 * (`./live-validate.ts`). The `schema_version` is checked first so an output
 * from another version of the extension gets a clear message instead of a
 * list of schema errors. No JupyterLab imports.
 */
import { SCHEMA_VERSION } from '../tokens';
import type { RedpillPayload } from './payload.generated';

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

/**
 * Checks a parsed value against the payload schema: no lines when it is
 * valid, else what is wrong (at least one line).
 */
export type SchemaCheck = (value: unknown) => string[];

/**
 * `validatePayload` with another schema check (the live page's small checker
 * instead of the precompiled validator).
 */
export function validateWith(
  data: unknown,
  schemaCheck: SchemaCheck
): ValidationResult {
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
  const details = schemaCheck(value);
  if (details.length) {
    return {
      ok: false,
      message: 'This redpill output does not match the payload schema (v1).',
      details
    };
  }
  return { ok: true, payload: value as RedpillPayload };
}
