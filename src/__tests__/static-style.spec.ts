/**
 * The static copies' styles (`staticRules` in draw/export.ts) are
 * style/base.css written out as presentation attributes. This reads the real
 * stylesheet and checks both ways, for every selector the copies style: each
 * attribute is the stylesheet's declaration with the theme variable resolved
 * in the light palette, and each presentation property the stylesheet sets
 * there is copied.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { LIGHT_PALETTE, PALETTE_VARIABLES, staticRules } from '../draw/export';
import { ROOT } from './helpers';

/** The CSS properties that are SVG presentation attributes. */
const PRESENTATION = new Set([
  'fill',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'font-weight',
  'font-style',
  'font-size',
  'opacity'
]);

/** The SVG's own prefix: `.jp-Redpill-svg text` styles `text` of the diagram. */
const SVG_PREFIX = /^\.jp-Redpill-svg\s+/;

type Declarations = Map<string, string>;

/** style/base.css as single selectors (prefix dropped) → merged declarations. */
function stylesheet(): Map<string, Declarations> {
  const css = readFileSync(join(ROOT, 'style', 'base.css'), 'utf8').replace(
    /\/\*[^]*?\*\//g,
    ''
  );
  const out = new Map<string, Declarations>();
  for (const [, selectors, body] of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const declarations = body
      .split(';')
      .map(d => d.split(':').map(part => part.trim()))
      .filter(([name, value]) => name && value !== undefined);
    for (const raw of selectors.split(',')) {
      const selector = raw.trim().replace(SVG_PREFIX, '').replace(/\s+/g, ' ');
      const merged = out.get(selector) ?? new Map();
      for (const [name, value] of declarations) {
        merged.set(name, value);
      }
      out.set(selector, merged);
    }
  }
  return out;
}

/**
 * A stylesheet value with its theme variables resolved in the light palette
 * (a variable the palette does not have resolves to its fallback).
 */
function resolve(value: string): string {
  return value.replace(
    /var\((--[\w-]+)(?:,\s*([^()]*(?:\([^()]*\))?[^()]*))?\)/g,
    (_match, name: string, fallback?: string) => {
      const field = /^--jp-Redpill-field-(\d+)$/.exec(name);
      if (field) {
        return LIGHT_PALETTE.fields[Number(field[1])];
      }
      const entry = PALETTE_VARIABLES.find(([, variable]) => variable === name);
      if (entry) {
        return LIGHT_PALETTE[entry[0]] as string;
      }
      if (fallback === undefined) {
        throw new Error(`${name} is not in the export palette`);
      }
      return resolve(fallback.trim());
    }
  );
}

/** The static rules as single selectors → merged attributes. */
function copied(): Map<string, Declarations> {
  const out = new Map<string, Declarations>();
  for (const [selectors, props] of staticRules(LIGHT_PALETTE)) {
    for (const raw of selectors.split(',')) {
      const selector = raw.trim();
      const merged = out.get(selector) ?? new Map();
      for (const [name, value] of Object.entries(props)) {
        merged.set(name, value);
      }
      out.set(selector, merged);
    }
  }
  return out;
}

describe('static copies follow style/base.css', () => {
  const css = stylesheet();
  const rules = [...copied()];

  it('styles only selectors the stylesheet has', () => {
    expect(rules.length).toBeGreaterThan(20);
    expect(rules.map(([s]) => s).filter(s => !css.has(s))).toEqual([]);
  });

  it.each(rules)(
    '%s: the same attributes as the stylesheet',
    (selector, props) => {
      const declared = css.get(selector)!;
      const presentation = [...declared]
        .filter(([name]) => PRESENTATION.has(name))
        .map(([name, value]) => [name, resolve(value)]);
      expect(Object.fromEntries(props)).toEqual(
        Object.fromEntries(presentation)
      );
    }
  );
});
