/* eslint-disable @typescript-eslint/no-explicit-any -- payloads are JSON, mutated into hostile shapes on purpose */
/**
 * The renderer's hostile-payload corpus. Variants are generated from the
 * schema itself: every bounded field (integers, strings, arrays, maps) of a
 * set of real payloads is set AT its bound, which must draw (and survive the
 * quiz masking and selecting a box), and BEYOND it, which must be refused
 * with the inline message; every enum value is drawn. Then prototype-named
 * keys, types and names, and the payloads the renderer once froze or threw
 * on. A freeze shows as this suite never finishing.
 */
import { validatePayload } from '../model/validate';
import { renderPayload } from '../render';
import { fixture, render, schema } from './helpers';

const BASES = [
  'kinds.json',
  'steps.json',
  'quiz-all.json',
  'diff.json',
  'buffers.json'
];
const PROTO = [
  'constructor',
  'toString',
  '__proto__',
  'hasOwnProperty',
  'valueOf'
];
const MARKUP = '<img src=x onerror=alert(1)><svg onload=alert(2)>';

type Path = (string | number)[];
interface ISite {
  /** Where in the payload. */
  path: Path;
  /** The same, with array indices as '*' (one site per schema place). */
  key: string;
  node: any;
}

const SCHEMA = schema();

function resolve(node: any): any {
  while (node && node.$ref) {
    node = SCHEMA.definitions[node.$ref.split('/').pop()];
  }
  return node;
}

function typeOf(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'array';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? 'integer' : 'number';
  }
  return typeof value;
}

function fits(node: any, value: unknown): boolean {
  const n = resolve(node);
  const types = [n.type ?? []].flat();
  const t = typeOf(value);
  if (
    types.length &&
    !types.includes(t) &&
    !(t === 'integer' && types.includes('number'))
  ) {
    return false;
  }
  if (
    n.pattern &&
    typeof value === 'string' &&
    !new RegExp(n.pattern).test(value)
  ) {
    return false;
  }
  return (n.required ?? []).every(
    (k: string) => value && typeof value === 'object' && k in (value as object)
  );
}

/** Every place of `value` with the schema node that describes it. */
function sites(
  node: any,
  value: any,
  path: Path = [],
  out: ISite[] = []
): ISite[] {
  let n = resolve(node);
  if (n.oneOf) {
    n = resolve(n.oneOf.find((b: any) => fits(b, value)) ?? n.oneOf[0]);
  }
  const key = path.map(p => (typeof p === 'number' ? '*' : p)).join('.');
  out.push({ path, key, node: n });
  if (Array.isArray(value) && n.items) {
    value.forEach((v, i) => sites(n.items, v, [...path, i], out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const child =
        n.properties?.[k] ??
        (typeof n.additionalProperties === 'object'
          ? n.additionalProperties
          : null);
      if (child) {
        sites(child, v, [...path, k], out);
      }
    }
  }
  return out;
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

function setAt(root: any, path: Path, value: unknown): any {
  const copy = clone(root);
  let at = copy;
  path.slice(0, -1).forEach(p => (at = at[p]));
  at[path[path.length - 1]] = value;
  return copy;
}

function getAt(root: any, path: Path): any {
  return path.reduce((at, p) => at[p], root);
}

/** A text of exactly `n` characters, full of markup. */
function text(n: number): string {
  return MARKUP.repeat(Math.ceil(n / MARKUP.length)).slice(0, n);
}

/**
 * One bounds variant. Its payload is made when a test needs it and then
 * dropped: made all at once, the variants' copies of the bases (arrays at
 * maxItems) outgrow node's heap.
 */
interface IVariant {
  name: string;
  payload: () => any;
  valid: boolean;
}

function beyond(bound: number, up: boolean): number {
  return up
    ? bound + Math.max(1, Math.abs(bound))
    : bound - Math.max(1, Math.abs(bound));
}

/** The bounds variants of every schema place the base payloads have. */
function boundVariants(): IVariant[] {
  const out: IVariant[] = [];
  const seen = new Set<string>();
  for (const base of BASES) {
    const payload = fixture(base);
    for (const site of sites(SCHEMA, payload)) {
      if (seen.has(site.key) || !site.path.length) {
        continue;
      }
      seen.add(site.key);
      const { node, path } = site;
      const value = getAt(payload, path);
      const at = (what: string, v: () => unknown, valid: boolean) =>
        out.push({
          name: `${base} ${site.key} ${what}`,
          payload: () => setAt(payload, path, v()),
          valid
        });
      if (typeof value === 'number' && Number.isInteger(value)) {
        if (node.maximum !== undefined) {
          at('= maximum', () => node.maximum, true);
          at('> maximum', () => beyond(node.maximum, true), false);
        }
        if (node.minimum !== undefined) {
          at('= minimum', () => node.minimum, true);
          at('< minimum', () => beyond(node.minimum, false), false);
        }
      }
      if (typeof value === 'string' && node.maxLength !== undefined) {
        if (!node.pattern) {
          at('at maxLength', () => text(node.maxLength), true);
        }
        at('beyond maxLength', () => text(node.maxLength + 1), false);
      }
      if (Array.isArray(value) && node.maxItems !== undefined && value.length) {
        const fill = (n: number) =>
          Array.from({ length: n }, (_, i) => clone(value[i % value.length]));
        if (node.minItems === undefined || node.minItems !== node.maxItems) {
          at('at maxItems', () => fill(node.maxItems), true);
        }
        at('beyond maxItems', () => fill(node.maxItems + 1), false);
      }
      if (
        value &&
        typeof value === 'object' &&
        !Array.isArray(value) &&
        node.maxProperties !== undefined
      ) {
        const entries = (n: number) =>
          Object.fromEntries(
            Array.from({ length: n }, (_, i) => [
              i < PROTO.length ? PROTO[i] : `k${i}`,
              MARKUP
            ])
          );
        at('at maxProperties', () => entries(node.maxProperties), true);
        at(
          'beyond maxProperties',
          () => entries(node.maxProperties + 1),
          false
        );
      }
      for (const v of node.enum ?? []) {
        at(`enum ${JSON.stringify(v)}`, () => v, true);
      }
    }
  }
  return out;
}

/** Selecting every box (the details panel, its memory view) must not throw. */
function selectAll(node: HTMLElement): void {
  node.querySelectorAll('.jp-Redpill-box').forEach((box, i) => {
    if (i < 20) {
      box.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    }
  });
}

function expectDrawn(payload: any, host = {}): void {
  const view = renderPayload(payload, document, {}, host);
  document.body.appendChild(view.node);
  expect(view.node.querySelector('svg.jp-Redpill-svg')).not.toBeNull();
  selectAll(view.node);
  view.dispose();
}

describe('schema bounds, generated from the schema', () => {
  afterEach(() => document.body.replaceChildren());
  const variants = boundVariants();

  it('covers the bounded places of the schema', () => {
    // Sizes, offsets, refcounts, digit_bits, strings and arrays all have a variant.
    const names = variants.map(v => v.name).join('\n');
    for (const place of [
      'objects.*.fields.*.size = maximum',
      'objects.*.fields.*.offset = minimum',
      'objects.*.memory.hex beyond maxLength',
      'objects.*.int.digit_bits > maximum',
      'objects.*.refcount = maximum',
      'objects.*.type at maxLength',
      'objects.*.holders at maxItems',
      'objects at maxItems',
      'interpreter.pointer_size enum 4'
    ]) {
      expect(names).toContain(place);
    }
    expect(variants.length).toBeGreaterThan(150);
  });

  it.each(variants.filter(x => x.valid).map(v => [v.name, v]))(
    'at the bounds: %s is valid, drawn, masked and selected',
    (_name, v) => {
      const variant = v as IVariant;
      const payload = variant.payload();
      expect(validatePayload(payload).ok).toBe(true);
      expectDrawn(payload);
      // The quiz masking walks every object (10^4 slots add nothing there).
      if (
        !/(names|items|entries|attributes|quiz) at maxItems/.test(variant.name)
      ) {
        expectDrawn({
          ...payload,
          hidden_fields: ['refcount', 'address', 'type', 'immortal']
        });
      }
    }
  );

  it('beyond the bounds: refused with the inline message', async () => {
    for (const v of variants.filter(x => !x.valid)) {
      expect([v.name, validatePayload(v.payload()).ok]).toEqual([
        v.name,
        false
      ]);
    }
    // Through the widget, a sample of them: the message, never a throw.
    for (const v of variants.filter(x => !x.valid).slice(0, 20)) {
      const widget = await render(v.payload());
      expect(
        widget.node.querySelector('.jp-Redpill-error')?.textContent
      ).toContain('does not match the payload schema');
      widget.dispose();
    }
  });
});

describe('payloads that froze or threw', () => {
  afterEach(() => document.body.replaceChildren());

  /** The quiz-masked refcount of an object claiming a huge ob_refcnt field. */
  function hugeField(size: number): any {
    const p = fixture('skeleton.json');
    p.hidden_fields = ['refcount'];
    p.objects[0].fields[0].size = size;
    p.objects[0].fields[1].size = size;
    return p;
  }

  it.each([1e15, 2 ** 63 - 1])(
    'an ob_refcnt of %d bytes on a masked refcount is drawn, masked and selected',
    size => {
      const p = hugeField(size);
      expect(validatePayload(p).ok).toBe(true);
      const view = renderPayload(p, document);
      document.body.appendChild(view.node);
      view.node
        .querySelector('.jp-Redpill-box')!
        .dispatchEvent(new MouseEvent('click', { bubbles: true }));
      // The field claims every byte from offset 0: the dump's 28 are masked, no more.
      const bytes = Array.from(
        view.node.querySelectorAll('.jp-Redpill-hexByte')
      ).map(b => b.textContent);
      expect(bytes).toHaveLength(28);
      expect(bytes.every(b => b === '??')).toBe(true);
      view.dispose();
    }
  );

  it('a field size beyond 2^63-1 is refused with the inline message', async () => {
    const widget = await render(hugeField(2 ** 64));
    expect(
      widget.node.querySelector('.jp-Redpill-error')?.textContent
    ).toContain('does not match the payload schema');
    widget.dispose();
  });

  it('a field starting far before the dump and ending inside it owns only the bytes present', async () => {
    const p = fixture('skeleton.json');
    p.objects[0].fields[0].offset = -(2 ** 40);
    p.objects[0].fields[0].size = 2 ** 40 + 4;
    const widget = await render(p);
    widget.node
      .querySelector('.jp-Redpill-box')!
      .dispatchEvent(new MouseEvent('click', { bubbles: true }));
    const owned = widget.node.querySelectorAll(
      '.jp-Redpill-hexByte[data-field="0"]'
    );
    expect(owned).toHaveLength(4);
    widget.dispose();
  });

  it('a huge digit_bits is refused; the bounds draw their sum', async () => {
    for (const bits of [15, 30]) {
      const p = fixture('skeleton.json');
      p.objects[0].int.digit_bits = bits;
      expectDrawn(p);
    }
    const p = fixture('skeleton.json');
    p.objects[0].int.digit_bits = 1e9;
    const widget = await render(p);
    expect(
      widget.node.querySelector('.jp-Redpill-error')?.textContent
    ).toContain('schema');
    widget.dispose();
  });
});

describe('prototype-named keys, types and names', () => {
  afterEach(() => document.body.replaceChildren());

  it.each(PROTO)(
    'a type, name, attribute and key named %s draws as any other',
    async (word: string) => {
      const p = fixture('kinds.json');
      for (const o of p.objects) {
        delete o.kind; // the kind is looked up by type name
        o.type = word;
        delete o.type_module;
        o.summary = { [word]: word, toString: 'x' };
        o.holders = [
          { name: word },
          { object: o.address, type: word, via: word }
        ];
        o.dict?.entries.forEach((e: any) => (e.key_repr = word));
        o.instance?.attributes.forEach((a: any) => (a.name = word));
        o.fields?.forEach((f: any) => (f.name = word));
      }
      p.names.forEach((n: any) => (n.name = word));
      // Written as JSON, as a kernel sends it: '__proto__' is an own key then.
      const json = JSON.stringify(p);
      const widget = await render(json);
      expect(widget.node.querySelector('.jp-Redpill-error')).toBeNull();
      expect(widget.node.querySelectorAll('.jp-Redpill-box').length).toBe(
        p.objects.length
      );
      expect(
        widget.node.querySelector('[data-kind="other"], [data-kind="instance"]')
      ).not.toBeNull();
      selectAll(widget.node);
      widget.dispose();
      // Masked too (the quiz walk copies every key).
      expectDrawn(JSON.parse(json), { hidden: ['address', 'refcount'] });
    }
  );

  it.each(PROTO)(
    'quiz ids and notebook hidden fields named %s',
    (word: string) => {
      const p = fixture('quiz.json');
      p.quiz.forEach((q: any, i: number) => (q.id = i ? `${word}${i}` : word));
      const quiz = JSON.parse(
        `{"${word}": {"value": "1", "correct": null, "revealed": true}}`
      );
      const view = renderPayload(
        p,
        document,
        {},
        { quiz, hidden: [word, 'refcount'] }
      ) as any;
      document.body.appendChild(view.node);
      expect(view.node.querySelector('svg.jp-Redpill-svg')).not.toBeNull();
      const first = view.node.querySelector(`[data-question="${word}"]`)!;
      // The stored answer of that id is the one shown: revealed.
      expect(first.getAttribute('data-revealed')).toBe('true');
      expect(view.quiz.state[word].revealed).toBe(true);
      view.dispose();
    }
  );
});
