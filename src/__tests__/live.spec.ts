/* eslint-disable @typescript-eslint/no-explicit-any -- payloads are JSON, mutated into invalid shapes on purpose */
/**
 * The live page's validation and drawing (src/live, src/model/schema-check):
 * its small schema checker accepts and refuses exactly what the precompiled
 * ajv validator does, on every fixture and thousands of mutations of them;
 * the payload schema uses no keyword the checker does not know; `draw`
 * marks a host drawn with an SVG, and leaves a host it cannot draw as it was.
 */
import { readdirSync } from 'fs';
import { join } from 'path';

import { draw } from '../live/index';
import { validateLive } from '../model/live-validate';
import { schemaChecker } from '../model/schema-check';
import { unsupportedKeywords } from '../model/schema-keywords';
import { validatePayload } from '../model/validate';
import { fixture, schema } from './helpers';

const FIXTURES = readdirSync(join(__dirname, 'fixtures')).filter(name =>
  name.endsWith('.json')
);

/** Replacement values that break most fields in some way. */
const BAD_VALUES: unknown[] = [
  null,
  'x',
  -1,
  1.5,
  2 ** 40,
  true,
  [],
  {},
  'x'.repeat(100_001)
];

/** Every (path, value) mutation of `value`, depth first, at most `limit`. */
function* mutations(value: any, limit: number): Generator<any> {
  let count = 0;
  const paths: (string | number)[][] = [];
  const walk = (v: any, path: (string | number)[]) => {
    if (v === null || typeof v !== 'object') {
      return;
    }
    for (const key of Object.keys(v)) {
      paths.push([...path, Array.isArray(v) ? Number(key) : key]);
      walk(v[key], [...path, Array.isArray(v) ? Number(key) : key]);
    }
  };
  walk(value, []);
  for (const path of paths) {
    const edits: ((parent: any, key: string | number) => void)[] = [
      (parent, key) =>
        Array.isArray(parent)
          ? parent.splice(key as number, 1)
          : delete parent[key],
      ...BAD_VALUES.map(bad => (parent: any, key: string | number) => {
        parent[key] = JSON.parse(JSON.stringify(bad));
      }),
      (parent, key) => {
        if (
          parent[key] &&
          typeof parent[key] === 'object' &&
          !Array.isArray(parent[key])
        ) {
          parent[key].unexpected_key = 1;
        }
      }
    ];
    for (const edit of edits) {
      if (count++ >= limit) {
        return;
      }
      const copy = JSON.parse(JSON.stringify(value));
      let parent = copy;
      for (const step of path.slice(0, -1)) {
        parent = parent[step];
      }
      edit(parent, path[path.length - 1]);
      yield copy;
    }
  }
}

describe('the live page checker', () => {
  it('knows every keyword of the payload schema', () => {
    expect(unsupportedKeywords(schema())).toEqual([]);
    expect(unsupportedKeywords({ type: 'object', format: 'date' })).toEqual([
      'format'
    ]);
  });

  it.each(FIXTURES)('accepts %s as ajv does', name => {
    const payload = fixture(name);
    expect(validateLive(payload).ok).toBe(validatePayload(payload).ok);
    expect(validateLive(JSON.stringify(payload)).ok).toBe(
      validatePayload(payload).ok
    );
  });

  it.each(FIXTURES)('refuses what ajv refuses in mutations of %s', name => {
    let refused = 0;
    let total = 0;
    for (const variant of mutations(fixture(name), 1500)) {
      const ajv = validatePayload(variant).ok;
      const live = validateLive(variant).ok;
      if (ajv !== live) {
        throw new Error(
          `ajv ${ajv}, live ${live}: ${JSON.stringify(variant).slice(0, 300)}`
        );
      }
      refused += ajv ? 0 : 1;
      total++;
    }
    expect(total).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  it('counts characters as code points, as ajv and Python do', () => {
    const check = schemaChecker({ type: 'string', maxLength: 2 });
    expect(check('😀😀')).toBeNull();
    expect(check('😀😀😀')).not.toBeNull();
  });

  it('matches an enum or a const only by an equal value, never a container', () => {
    const check = schemaChecker({
      type: 'object',
      properties: { kind: { enum: ['int', 1] }, version: { const: 1 } }
    });
    expect(check({ kind: 'int', version: 1 })).toBeNull();
    expect(check({ kind: 1 })).toBeNull();
    for (const kind of ['str', '1', ['int'], { 0: 'int' }, null]) {
      expect(check({ kind })?.message).toBe('enum');
    }
    for (const version of ['1', [1], { version: 1 }, true]) {
      expect(check({ version })?.message).toBe('const');
    }
  });
});

describe('draw', () => {
  function host(): HTMLElement {
    const node = document.createElement('div');
    node.className = 'redpill-live';
    const table = document.createElement('div');
    table.className = 'redpill-fallback';
    table.appendChild(document.createElement('table')).textContent = 't';
    node.appendChild(table);
    node.appendChild(document.createComment('redpill-payload {}'));
    document.body.appendChild(node);
    return node;
  }

  /** The host's content, node by node (to compare before and after). */
  function shape(node: HTMLElement): string[] {
    return Array.from(node.childNodes).map(
      child =>
        `${child.nodeName}:${(child as HTMLElement).className ?? ''}:${child.textContent}`
    );
  }

  it('draws a payload in place of the table and marks the host', async () => {
    const node = host();
    const result = draw(node, JSON.stringify(fixture('skeleton.json')));
    expect(result.ok).toBe(true);
    expect(node.getAttribute('data-redpill-drawn')).toBe('true');
    expect(node.querySelector('svg.jp-Redpill-svg')).not.toBeNull();
    const kept = node.querySelector<HTMLElement>('.redpill-live-fallback')!;
    expect(kept.hidden).toBe(true);
    expect(kept.querySelector('table')).not.toBeNull();
    expect(draw(node, JSON.stringify(fixture('skeleton.json'))).ok).toBe(false);
  });

  it.each(['quiz-all.json', 'steps-frames.json', 'diff.json', 'buffers.json'])(
    'draws %s with the views of its features',
    name => {
      const node = host();
      const result = draw(node, JSON.stringify(fixture(name)));
      expect(result.ok).toBe(true);
      expect(node.getAttribute('data-redpill-drawn')).toBe('true');
      expect(node.querySelector('svg.jp-Redpill-svg')).not.toBeNull();
    }
  );

  it.each([
    ['not JSON', '{'],
    ['another schema version', JSON.stringify({ schema_version: 2 })],
    [
      'a payload the schema refuses',
      JSON.stringify({ ...fixture('skeleton.json'), names: 'x' })
    ]
  ])('leaves the table of %s as it was', async (_, text) => {
    const node = host();
    const before = shape(node);
    const result = draw(node, text);
    expect(result.ok).toBe(false);
    expect(shape(node)).toEqual(before);
    expect(node.hasAttribute('data-redpill-drawn')).toBe(false);
  });
});
