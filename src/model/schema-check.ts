/**
 * A small JSON Schema checker for the keywords the payload schema uses
 * (draft-07 semantics, as ajv applies them). The live page validates with it
 * and the schema itself (`schema.generated.ts`, its descriptions left out):
 * the precompiled ajv validator is too large to carry in every output. The
 * build refuses a schema with any other keyword (`./schema-keywords.ts`), so a
 * new keyword can never be skipped silently, and an `enum` or `const` value
 * that is not a JSON primitive; jest checks that both validators agree. No
 * JupyterLab imports.
 */

/** A JSON Schema (the subset `SCHEMA_KEYWORDS` names, in ./schema-keywords.ts). */
export type Schema = boolean | { [keyword: string]: unknown };

/** The keywords of one schema object, as the checker reads them. */
interface ISchemaObject {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  items?: Schema | Schema[];
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema;
  maxProperties?: number;
  propertyNames?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
}

/** What the checker reports (the fields of ajv's errors that are used). */
export interface ISchemaError {
  /** Where, as a JSON pointer into the data. */
  instancePath: string;
  /** What is wrong: the keyword that failed (and its value). */
  message: string;
}

/** A checker made from one schema: returns null when `data` is valid. */
export type SchemaChecker = (data: unknown) => ISchemaError | null;

/** Characters (code points) in a string, as ajv and Python count them. */
function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
      }
    }
    n++;
  }
  return n;
}

function typeOk(type: string, value: unknown): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return (
        typeof value === 'object' && value !== null && !Array.isArray(value)
      );
    default:
      return false;
  }
}

const hasOwn = (o: object, k: string): boolean =>
  Object.prototype.hasOwnProperty.call(o, k);

/** Make a checker for `root` (its `$ref`s point into `root.definitions`). */
export function schemaChecker(root: Schema): SchemaChecker {
  const patterns = new Map<string, RegExp>();
  const pattern = (source: string): RegExp => {
    let re = patterns.get(source);
    if (!re) {
      re = new RegExp(source, 'u');
      patterns.set(source, re);
    }
    return re;
  };
  const resolve = (ref: string): Schema => {
    const match = /^#\/definitions\/([^/]+)$/.exec(ref);
    const defs = (typeof root === 'object' && root.definitions) as
      Record<string, Schema> | undefined;
    if (!match || !defs || !hasOwn(defs, match[1])) {
      throw new Error(`unknown $ref ${ref}`);
    }
    return defs[match[1]];
  };

  const check = (
    schema: Schema,
    value: unknown,
    path: string
  ): ISchemaError | null => {
    if (schema === true) {
      return null;
    }
    if (schema === false) {
      return { instancePath: path, message: 'false' };
    }
    const s = schema as ISchemaObject;
    const fail = (message: string): ISchemaError => ({
      instancePath: path,
      message
    });
    if (s.$ref !== undefined) {
      const error = check(resolve(s.$ref), value, path);
      if (error) {
        return error;
      }
    }
    if (s.type !== undefined) {
      const types: string[] = Array.isArray(s.type) ? s.type : [s.type];
      if (!types.some(t => typeOk(t, value))) {
        return fail(`type ${types}`);
      }
    }
    // Their values are JSON primitives (the build refuses others), so their
    // deep equality is strict equality.
    if (s.enum !== undefined && !s.enum.includes(value)) {
      return fail('enum');
    }
    if (hasOwn(s, 'const') && s.const !== value) {
      return fail('const');
    }
    if (typeof value === 'number') {
      if (s.minimum !== undefined && !(value >= s.minimum)) {
        return fail(`minimum ${s.minimum}`);
      }
      if (s.maximum !== undefined && !(value <= s.maximum)) {
        return fail(`maximum ${s.maximum}`);
      }
    }
    if (typeof value === 'string') {
      const n =
        s.maxLength !== undefined || s.minLength !== undefined
          ? codePoints(value)
          : 0;
      if (s.maxLength !== undefined && n > s.maxLength) {
        return fail(`maxLength ${s.maxLength}`);
      }
      if (s.minLength !== undefined && n < s.minLength) {
        return fail(`minLength ${s.minLength}`);
      }
      if (s.pattern !== undefined && !pattern(s.pattern).test(value)) {
        return fail(`pattern ${s.pattern}`);
      }
    }
    if (Array.isArray(value)) {
      if (s.maxItems !== undefined && value.length > s.maxItems) {
        return fail(`maxItems ${s.maxItems}`);
      }
      if (s.minItems !== undefined && value.length < s.minItems) {
        return fail(`minItems ${s.minItems}`);
      }
      if (s.items !== undefined) {
        for (let i = 0; i < value.length; i++) {
          const item = Array.isArray(s.items)
            ? i < s.items.length
              ? s.items[i]
              : true
            : s.items;
          const error = check(item, value[i], `${path}/${i}`);
          if (error) {
            return error;
          }
        }
      }
    }
    if (typeOk('object', value)) {
      const o = value as Record<string, unknown>;
      const keys = Object.keys(o);
      if (s.maxProperties !== undefined && keys.length > s.maxProperties) {
        return fail(`maxProperties ${s.maxProperties}`);
      }
      for (const key of (s.required ?? []) as string[]) {
        if (!hasOwn(o, key)) {
          return fail(`required ${key}`);
        }
      }
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const key of keys) {
        const where = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (s.propertyNames !== undefined) {
          const error = check(s.propertyNames, key, where);
          if (error) {
            return error;
          }
        }
        const sub = hasOwn(props, key)
          ? props[key]
          : s.additionalProperties !== undefined
            ? (s.additionalProperties as Schema)
            : true;
        if (sub === false) {
          return fail(`additionalProperties ${key}`);
        }
        const error = check(sub, o[key], where);
        if (error) {
          return error;
        }
      }
    }
    if (s.anyOf !== undefined) {
      if (!(s.anyOf as Schema[]).some(sub => !check(sub, value, path))) {
        return fail('anyOf');
      }
    }
    if (s.oneOf !== undefined) {
      const passing = (s.oneOf as Schema[]).filter(
        sub => !check(sub, value, path)
      ).length;
      if (passing !== 1) {
        return fail('oneOf');
      }
    }
    return null;
  };
  return data => check(root, data, '');
}
