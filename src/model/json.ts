/**
 * Deep copies of payload data. Payloads are plain JSON (validated against
 * the schema), so a JSON round trip copies them exactly.
 */

/** A deep copy of a JSON value. */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
