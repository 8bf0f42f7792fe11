/**
 * Lookups of payload (or notebook) strings in plain objects: a key such as
 * `constructor`, `toString` or `__proto__` must never reach an inherited
 * property, and must never set a prototype when written.
 */

/** `record[key]` when it is the record's own property, else undefined. */
export function own<T>(
  record: Readonly<Record<string, T>> | null | undefined,
  key: string
): T | undefined {
  return record !== null &&
    record !== undefined &&
    Object.prototype.hasOwnProperty.call(record, key)
    ? record[key]
    : undefined;
}

/** An empty record with no prototype: any key written is its own. */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
