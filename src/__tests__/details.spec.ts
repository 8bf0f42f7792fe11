/**
 * Interaction: selecting a box (click or keyboard) shows its holders, struct
 * fields and memory view; fields and bytes cross-highlight; zoom works.
 */
import { byteOwners, fieldNote } from '../draw/details';
import type { Field, RedpillObject } from '../model/payload.generated';
import { fixture, memoryOpenAfterSelecting, render } from './helpers';

const ADDRESS = '0x7f3a2c0b1f30';

describe('details panel', () => {
  afterEach(() => document.body.replaceChildren());

  it('starts with a hint and fills in on click', async () => {
    const widget = await render(fixture('skeleton.json'));
    const details = widget.node.querySelector('.jp-Redpill-details')!;
    expect(details.getAttribute('aria-live')).toBe('polite');
    expect(details.textContent).toContain('Select a box');
    const box = widget.node.querySelector(
      `.jp-Redpill-box[data-address="${ADDRESS}"]`
    )!;
    box.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(box.classList).toContain('jp-Redpill-selected');
    expect(details.querySelector('h3')!.textContent).toBe(`int at ${ADDRESS}`);
    expect(
      Array.from(details.querySelectorAll('.jp-Redpill-holdersList li')).map(
        li => li.textContent
      )
    ).toEqual(['name age', 'name b']);
    expect(details.textContent).toContain(
      'Every reference is explained by the holders above.'
    );
    // Arrows into the selected box are highlighted too.
    expect(
      widget.node.querySelectorAll('.jp-Redpill-arrow.jp-Redpill-selected')
    ).toHaveLength(2);
    widget.dispose();
  });

  it('keyboard: Enter selects the focused box, Escape clears', async () => {
    const widget = await render(fixture('skeleton.json'));
    const box = widget.node.querySelector('.jp-Redpill-box') as SVGGElement;
    box.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })
    );
    const details = widget.node.querySelector('.jp-Redpill-details')!;
    expect(details.querySelector('h3')!.textContent).toContain(ADDRESS);
    box.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })
    );
    expect(details.textContent).toContain('Select a box');
    widget.dispose();
  });

  it('struct fields table follows the payload', async () => {
    const widget = await render(fixture('skeleton.json'));
    widget.node
      .querySelector('.jp-Redpill-box')!
      .dispatchEvent(new MouseEvent('click', { bubbles: true }));
    const rows = Array.from(
      widget.node.querySelectorAll('.jp-Redpill-fieldRow')
    );
    expect(
      rows.map(r =>
        Array.from(r.children)
          .slice(0, 4)
          .map(td => td.textContent)
      )
    ).toEqual([
      ['0', 'ob_refcnt', 'Py_ssize_t', '8'],
      ['8', 'ob_type', 'PyTypeObject *', '8'],
      ['16', 'lv_tag', 'uintptr_t', '8'],
      ['24', 'ob_digit[0]', 'digit', '4']
    ]);
    expect(rows[1].textContent).toContain('→ 0x55d0c2a3e8c0');
    widget.dispose();
  });

  it('memory view: bytes coloured by field, hover cross-highlights', async () => {
    const widget = await render(fixture('skeleton.json'), { memoryOpen: true });
    widget.node
      .querySelector('.jp-Redpill-box')!
      .dispatchEvent(new MouseEvent('click', { bubbles: true }));
    const memory = widget.node.querySelector(
      'details.jp-Redpill-memory'
    ) as HTMLDetailsElement;
    expect(memory.open).toBe(true);
    expect(memory.querySelector('summary')!.textContent).toBe(
      `Memory at ${ADDRESS}: 28 of 28 bytes`
    );
    const bytes = Array.from(memory.querySelectorAll('.jp-Redpill-hexByte'));
    expect(bytes).toHaveLength(28);
    expect(bytes.map(b => b.textContent).join('')).toBe(
      fixture('skeleton.json').objects[0].memory.hex
    );
    expect(bytes.map(b => (b as HTMLElement).dataset.field).join(',')).toBe(
      [
        ...Array(8).fill('0'),
        ...Array(8).fill('1'),
        ...Array(8).fill('2'),
        ...Array(4).fill('3')
      ].join(',')
    );
    expect(bytes[24].classList).toContain('jp-Redpill-field-c3');
    // Field row → its bytes.
    const lvTag = widget.node.querySelectorAll('.jp-Redpill-fieldRow')[2];
    lvTag.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    const lit = () =>
      Array.from(widget.node.querySelectorAll('.jp-Redpill-hl'));
    expect(
      lit().filter(e => e.classList.contains('jp-Redpill-hexByte'))
    ).toHaveLength(8);
    expect(lit()).toContain(lvTag);
    // Byte → its field row and sibling bytes.
    bytes[25].dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    expect(lit()).toContain(
      widget.node.querySelectorAll('.jp-Redpill-fieldRow')[3]
    );
    expect(
      lit().filter(e => e.classList.contains('jp-Redpill-hexByte'))
    ).toHaveLength(4);
    widget.node
      .querySelector('.jp-Redpill-details')!
      .dispatchEvent(new MouseEvent('mouseleave'));
    expect(lit()).toHaveLength(0);
    widget.dispose();
  });

  it('memory view is closed by default', async () => {
    const widget = await render(fixture('skeleton.json'));
    expect(memoryOpenAfterSelecting(widget)).toBe(false);
    widget.dispose();
  });

  it('byteOwners maps a pre-header dump (memory starts before the object)', () => {
    const owners = byteOwners({
      address: '0x1010',
      type: 'list',
      refcount: 1,
      immortal: false,
      fields: [
        { name: 'gc_prev', offset: -16, size: 8, ctype: 'uintptr_t', value: 0 },
        { name: 'ob_refcnt', offset: 0, size: 8, ctype: 'Py_ssize_t', value: 1 }
      ],
      memory: { address: '0x1000', size: 24, hex: '00'.repeat(24) }
    });
    expect(owners).toEqual([
      ...Array(8).fill(0),
      ...Array(8).fill(-1),
      ...Array(8).fill(1)
    ]);
  });
});

describe('toolbar', () => {
  afterEach(() => document.body.replaceChildren());

  it('shows the interpreter and zooms the SVG', async () => {
    const widget = await render(fixture('skeleton.json'));
    expect(
      widget.node.querySelector('.jp-Redpill-interpreter')!.textContent
    ).toBe('CPython 3.13.5 · 64-bit');
    const svg = widget.node.querySelector('svg.jp-Redpill-svg')!;
    const width = Number(svg.getAttribute('width'));
    (
      widget.node.querySelector('.jp-Redpill-zoomIn') as HTMLButtonElement
    ).click();
    expect(Number(svg.getAttribute('width'))).toBe(Math.round(width * 1.25));
    expect(
      widget.node.querySelector('.jp-Redpill-zoomReset')!.textContent
    ).toBe('125%');
    (
      widget.node.querySelector('.jp-Redpill-zoomReset') as HTMLButtonElement
    ).click();
    expect(Number(svg.getAttribute('width'))).toBe(width);
    (
      widget.node.querySelector('.jp-Redpill-zoomOut') as HTMLButtonElement
    ).click();
    expect(Number(svg.getAttribute('width'))).toBe(Math.round(width * 0.8));
    widget.dispose();
  });

  it('explains well-known fields the payload leaves unexplained', () => {
    const obj = { type: 'list' } as RedpillObject;
    const field = (name: string, value: string, note?: string): Field => ({
      name,
      offset: 0,
      size: 8,
      ctype: 'uintptr_t',
      value,
      ...(note ? { note } : {})
    });
    expect(fieldNote(field('_gc_next', '0x7f0000001000'), obj)).toBe(
      'PyGC_Head: next object in its GC list'
    );
    expect(fieldNote(field('_gc_prev', '0x7f0000001002'), obj)).toBe(
      'PyGC_Head: previous object, flags 2'
    );
    expect(fieldNote(field('_gc_prev', '?'), obj)).toBe(
      'PyGC_Head: previous object'
    );
    expect(fieldNote(field('ob_type', '0x7f0000002000'), obj)).toBe(
      'type list'
    );
    expect(
      fieldNote(field('ob_type', '0x7f0000002000'), {
        type: '?'
      } as RedpillObject)
    ).toBe('');
    expect(fieldNote(field('ob_refcnt', '2', 'includes 1'), obj)).toBe(
      'includes 1'
    );
    expect(fieldNote(field('ob_size', '1'), obj)).toBe('');
  });
});
