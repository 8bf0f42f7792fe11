/**
 * Validation of a raw MIME bundle value against the v1 payload contract, with
 * the schema check left to the caller: the precompiled ajv validator in
 * JupyterLab (`./validate.ts`), none on the live page (`./live-validate.ts`
 * says why), each with its own messages. The `schema_version`
 * is checked first so an output from another version of the extension gets
 * a clear message instead of a list of schema errors. No JupyterLab imports.
 */
import { SCHEMA_VERSION } from '../tokens';
import type { RedpillPayload } from './payload.generated';

/** The outcome of validating a payload. */
export type ValidationResult =
  | { ok: true; payload: RedpillPayload }
  | { ok: false; message: string; details: string[] };

/**
 * Checks a parsed value against the payload schema: no lines when it is
 * valid, else what is wrong (at least one line).
 */
export type SchemaCheck = (value: unknown) => string[];

/** What a failed validation says, by the check that failed. */
export interface IValidationMessages {
  /** The text is not JSON. */
  notJson: string;
  /** The JSON `value` is not an object. */
  notObject(value: unknown): string;
  /** The payload's `schema_version` is `version`, not ours. */
  version(version: unknown): string;
  /** The payload does not match the schema (the details say where). */
  schema: string;
}

/**
 * `validatePayload` with another schema check (the live page's, which
 * checks nothing), saying `messages` when it fails.
 */
export function validateWith(
  data: unknown,
  schemaCheck: SchemaCheck,
  messages: IValidationMessages
): ValidationResult {
  let value = data;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return { ok: false, message: messages.notJson, details: [] };
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      message: messages.notObject(value),
      details: []
    };
  }
  const version = (value as Record<string, unknown>).schema_version;
  if (version !== SCHEMA_VERSION) {
    return { ok: false, message: messages.version(version), details: [] };
  }
  const details = schemaCheck(value);
  if (details.length) {
    return { ok: false, message: messages.schema, details };
  }
  return { ok: true, payload: value as RedpillPayload };
}
