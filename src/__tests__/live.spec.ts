/* eslint-disable @typescript-eslint/no-explicit-any -- payloads are JSON, mutated into invalid shapes on purpose */
/**
 * The live page's check and drawing (src/live, src/model/live-validate.ts):
 * it takes every fixture and refuses what is not a v1 payload object; `draw`
 * marks a host drawn with an SVG, and leaves a host it cannot draw as it was,
 * whatever a mutated payload holds (it never throws, never leaves a host
 * half drawn, and never turns a string into markup).
 */
import { readdirSync } from 'fs';
import { join } from 'path';

import { draw } from '../live/index';
import { validateLive } from '../model/live-validate';
import { validatePayload } from '../model/validate';
import { fixture } from './helpers';

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
  'x'.repeat(100_001),
  '<img src=x onerror="window.injected=1"><script>window.injected=1</script>'
];

/**
 * About `count` of the (path, edit) mutations of `value`, chosen by a seeded
 * random draw over all of them (the same on every run), each a fresh copy.
 */
function* mutations(value: any, count: number): Generator<any> {
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
  const total = paths.length * edits.length;
  let seed = 20261202;
  for (let n = 0; n < Math.min(count, total); n++) {
    // mulberry32: a small seeded generator
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const index = Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * total);
    const path = paths[Math.floor(index / edits.length)];
    const copy = JSON.parse(JSON.stringify(value));
    let parent = copy;
    for (const step of path.slice(0, -1)) {
      parent = parent[step];
    }
    edits[index % edits.length](parent, path[path.length - 1]);
    yield copy;
  }
}

describe('the live page check', () => {
  it.each(FIXTURES)('accepts %s, a payload ajv accepts', name => {
    const payload = fixture(name);
    expect(validatePayload(payload).ok).toBe(true);
    expect(validateLive(payload).ok).toBe(true);
    expect(validateLive(JSON.stringify(payload)).ok).toBe(true);
  });

  it.each([
    ['not JSON', '{', 'not JSON'],
    ['a list', '[1]', 'not a payload object'],
    ['another schema version', '{"schema_version":2}', 'not schema_version 1']
  ])('refuses %s', (_, text, message) => {
    const result = validateLive(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toBe(message);
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

  it.each(FIXTURES)(
    'draws a mutated %s whole or leaves its table, never throwing',
    name => {
      let drawn = 0;
      let left = 0;
      // A sample of each fixture's mutations (all would take many minutes).
      for (const variant of mutations(fixture(name), 60)) {
        const node = host();
        const before = shape(node);
        const result = draw(node, JSON.stringify(variant));
        if (result.ok) {
          drawn++;
          expect(node.getAttribute('data-redpill-drawn')).toBe('true');
          expect(node.querySelector('svg.jp-Redpill-svg')).not.toBeNull();
        } else {
          left++;
          expect(shape(node)).toEqual(before);
          expect(node.hasAttribute('data-redpill-drawn')).toBe(false);
        }
        expect(node.querySelector('img, script, iframe')).toBeNull();
        node.remove();
      }
      expect((window as any).injected).toBeUndefined();
      expect(drawn).toBeGreaterThan(0);
      expect(drawn + left).toBeGreaterThan(10);
    }
  );

  it.each([
    ['not JSON', '{'],
    ['another schema version', JSON.stringify({ schema_version: 2 })],
    [
      'a payload whose names are not a list',
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
