/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are loosely typed JSON, mutated into invalid shapes on purpose */
/**
 * Malformed data never throws out of the renderer: it shows a clear inline
 * message. Inconsistent-but-valid payloads (dangling addresses, duplicates,
 * cycles) still draw, with warnings.
 */
import { validatePayload } from '../model/validate';
import { fixture, mimeModel, render } from './helpers';

const skeleton = () => fixture('skeleton.json');

function errorText(node: HTMLElement): string | null {
  return node.querySelector('.jp-Redpill-error')?.textContent ?? null;
}

describe('malformed payloads show an inline message', () => {
  afterEach(() => document.body.replaceChildren());

  const cases: [string, unknown, RegExp][] = [
    ['null', null, /holds null, not a payload object/],
    ['undefined', undefined, /holds a undefined, not a payload object/],
    ['a number', 42, /not a payload object/],
    ['an array', [1, 2], /holds an array/],
    ['bad JSON text', '{"schema_version": 1,', /not valid JSON/],
    [
      'no schema_version',
      { names: [] },
      /no schema_version.*understands schema_version 1/
    ],
    [
      'schema_version 2',
      { ...skeleton(), schema_version: 2 },
      /schema_version 2; this renderer understands schema_version 1/
    ],
    [
      'schema_version "1"',
      { ...skeleton(), schema_version: '1' },
      /schema_version "1"/
    ],
    [
      'missing objects',
      (() => {
        const p = skeleton();
        delete p.objects;
        return p;
      })(),
      /does not match the payload schema/
    ],
    [
      'a bad address',
      (() => {
        const p = skeleton();
        p.names[0].object = 'javascript:alert(1)';
        return p;
      })(),
      /does not match/
    ],
    ['objects not an array', { ...skeleton(), objects: {} }, /does not match/],
    ['an unknown key', { ...skeleton(), surprise: true }, /does not match/]
  ];

  it.each(cases)('%s', async (_label, data, message) => {
    const widget = await render(data);
    const text = errorText(widget.node);
    expect(text).toMatch(message);
    expect(widget.node.querySelector('svg')).toBeNull();
    expect(
      widget.node.querySelector('.jp-Redpill-error')!.getAttribute('role')
    ).toBe('alert');
    widget.dispose();
  });

  it('lists where the schema failed', async () => {
    const p = skeleton();
    p.objects[0].refcount = 'two';
    const widget = await render(p);
    const items = Array.from(
      widget.node.querySelectorAll('.jp-Redpill-error li')
    ).map(li => li.textContent);
    expect(items.join('\n')).toContain('/objects/0/refcount: must be integer');
    widget.dispose();
  });

  it('recovers: a good payload after a bad one draws normally', async () => {
    const widget = await render(null);
    expect(errorText(widget.node)).not.toBeNull();
    await widget.renderModel(mimeModel(skeleton()));
    expect(errorText(widget.node)).toBeNull();
    expect(widget.node.querySelectorAll('.jp-Redpill-box')).toHaveLength(1);
    widget.dispose();
  });

  it('a failure inside drawing becomes an inline message too', async () => {
    const p = skeleton();
    // Valid per schema, but a getter that throws stands in for any bug.
    const widget = await render(p);
    const evil = { ...p };
    Object.defineProperty(evil, 'objects', {
      enumerable: true,
      get() {
        throw new Error('boom');
      }
    });
    await expect(widget.renderModel(mimeModel(evil))).resolves.toBeUndefined();
    expect(errorText(widget.node)).toMatch(/redpill: .*boom/);
    widget.dispose();
  });

  it('a string payload holding JSON is parsed', () => {
    expect(validatePayload(JSON.stringify(skeleton())).ok).toBe(true);
  });
});

describe('valid but inconsistent payloads draw with warnings', () => {
  afterEach(() => document.body.replaceChildren());

  it('a name pointing at an address not in objects', async () => {
    const p = skeleton();
    p.names.push({ name: 'ghost', object: '0xdead' });
    const widget = await render(p);
    expect(errorText(widget.node)).toBeNull();
    const ghost = widget.node.querySelector('[data-name="ghost"]')!;
    expect(ghost.classList).toContain('jp-Redpill-name-missing');
    expect(
      widget.node.querySelectorAll('.jp-Redpill-arrow[data-from="ghost"]')
    ).toHaveLength(0);
    expect(
      widget.node.querySelector('.jp-Redpill-notice-warning')!.textContent
    ).toContain(
      "Name 'ghost' holds 0xdead, which is not among the payload's objects."
    );
    widget.dispose();
  });

  it('a container item not in objects', async () => {
    const p = fixture('kinds.json');
    const lst = p.objects.find(
      (o: any) => o.type === 'list' && o.items.length === 3
    );
    lst.items[1] = '0xbeef';
    const widget = await render(p);
    expect(errorText(widget.node)).toBeNull();
    const warnings = widget.node.querySelector(
      '.jp-Redpill-notices'
    )!.textContent!;
    expect(warnings).toContain(`Slot [1] of ${lst.address} points at 0xbeef`);
    const slot = widget.node.querySelector(
      `[data-address="${lst.address}"] [data-slot="1"]`
    )!;
    expect(slot.textContent).toContain('0xbeef (not drawn)');
    expect(
      widget.node.querySelectorAll('.jp-Redpill-arrow[data-to="0xbeef"]')
    ).toHaveLength(0);
    widget.dispose();
  });

  it('a duplicated object address', async () => {
    const p = skeleton();
    p.objects.push({ ...p.objects[0], refcount: 99 });
    const widget = await render(p);
    expect(widget.node.querySelectorAll('.jp-Redpill-box')).toHaveLength(1);
    expect(
      widget.node
        .querySelector('.jp-Redpill-box')!
        .getAttribute('data-refcount')
    ).toBe('2');
    expect(widget.node.textContent).toContain('listed more than once');
    widget.dispose();
  });

  it('cycles: a list holding itself and two lists holding each other', async () => {
    const a = '0x1000';
    const b = '0x2000';
    const c = '0x3000';
    const list = (address: string, items: string[]) => ({
      address,
      type: 'list',
      kind: 'list',
      refcount: 2,
      immortal: false,
      items,
      list: { allocated: items.length }
    });
    const p = {
      ...skeleton(),
      names: [
        { name: 'me', object: a },
        { name: 'x', object: b }
      ],
      objects: [list(a, [a]), list(b, [c]), list(c, [b])]
    };
    const widget = await render(p);
    expect(errorText(widget.node)).toBeNull();
    expect(widget.node.querySelectorAll('.jp-Redpill-box')).toHaveLength(3);
    const self = widget.node.querySelector(
      `.jp-Redpill-arrow[data-from="${a}"][data-to="${a}"]`
    );
    expect(self).not.toBeNull();
    expect(
      widget.node.querySelector(
        `.jp-Redpill-arrow[data-from="${c}"][data-to="${b}"]`
      )
    ).not.toBeNull();
    widget.dispose();
  });

  it('no names at all', async () => {
    const p = { ...skeleton(), names: [] };
    const widget = await render(p);
    expect(errorText(widget.node)).toBeNull();
    expect(widget.node.textContent).toContain('The cell bound no names.');
    expect(widget.node.querySelectorAll('.jp-Redpill-box')).toHaveLength(1);
    widget.dispose();
  });

  it('the cell raised: the error is reported above the diagram', async () => {
    const widget = await render({ ...skeleton(), error: 'ZeroDivisionError' });
    expect(
      widget.node.querySelector('.jp-Redpill-notice-error')!.textContent
    ).toContain('ZeroDivisionError');
    widget.dispose();
  });
});
