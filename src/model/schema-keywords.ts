/**
 * The keywords the live page's schema checker (./schema-check.ts) understands,
 * and a walk that finds any other keyword in a schema (jest checks the payload
 * schema has none; scripts/generate-payload-types.mjs refuses to build then).
 */
import type { Schema } from './schema-check';
import keywords from './schema-keywords.json';

/**
 * The keywords this checker understands, and the annotations it ignores
 * (one list for the checker and the build, which refuses any other keyword).
 */
export const SCHEMA_KEYWORDS: { checked: string[]; annotations: string[] } =
  keywords;

/** The keywords of `schema` (at any depth) this checker does not understand. */
export function unsupportedKeywords(schema: Schema): string[] {
  const known = new Set<string>([
    ...SCHEMA_KEYWORDS.checked,
    ...SCHEMA_KEYWORDS.annotations
  ]);
  const found = new Set<string>();
  const walk = (s: unknown): void => {
    if (typeof s !== 'object' || s === null) {
      return;
    }
    const o = s as Record<string, unknown>;
    for (const [key, sub] of Object.entries(o)) {
      if (!known.has(key)) {
        found.add(key);
      }
      if (key === 'properties' || key === 'definitions') {
        Object.values(sub as object).forEach(walk);
      } else if (key === 'items' && Array.isArray(sub)) {
        sub.forEach(walk);
      } else if (key === 'oneOf' || key === 'anyOf') {
        (sub as unknown[]).forEach(walk);
      } else if (
        key === 'items' ||
        key === 'additionalProperties' ||
        key === 'propertyNames'
      ) {
        walk(sub);
      }
    }
  };
  walk(schema);
  return [...found].sort();
}
