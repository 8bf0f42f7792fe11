/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are loosely typed JSON, mutated into invalid shapes on purpose */
/**
 * The type internals drawn for each kind match the payload: int digit cells
 * and the written-out sum, float bits, str state and characters, container
 * slots with arrows to the right boxes, dict entries, instance attributes.
 */
import {
  digitSum,
  digitTerms,
  describeTag,
  smallIntRange
} from '../draw/kinds/int';
import { hexToBits } from '../draw/kinds/float';
import { arrowEnd, boxRect, fixture, onBoundary, render } from './helpers';
import type { RedpillWidget } from './types';

const kinds = fixture('kinds.json');
const byName = (name: string) => {
  const address = kinds.names.find((n: any) => n.name === name).object;
  return kinds.objects.find((o: any) => o.address === address);
};

let widget: RedpillWidget;
beforeAll(async () => {
  widget = await render(kinds);
});
afterAll(() => {
  widget.dispose();
  document.body.replaceChildren();
});

const box = (address: string) =>
  widget.node.querySelector(`.jp-Redpill-box[data-address="${address}"]`)!;
const texts = (root: Element, selector: string) =>
  Array.from(root.querySelectorAll(selector)).map(n => n.textContent);

describe('every object', () => {
  it('gets exactly one box with its kind, type and refcount', () => {
    for (const obj of kinds.objects) {
      const boxes = widget.node.querySelectorAll(
        `.jp-Redpill-box[data-address="${obj.address}"]`
      );
      expect(boxes).toHaveLength(1);
      expect(boxes[0].getAttribute('data-kind')).toBe(obj.kind);
      expect(boxes[0].getAttribute('data-refcount')).toBe(String(obj.refcount));
      expect(boxes[0].querySelector('.jp-Redpill-type')!.textContent).toContain(
        obj.type
      );
      expect(boxes[0].textContent).toContain(obj.address);
      if (obj.type_address) {
        expect(
          boxes[0].querySelector('.jp-Redpill-typeAddress')!.textContent
        ).toContain(obj.type_address);
      }
    }
  });

  it('every arrow ends on the boundary of the box it points at', () => {
    const arrows = Array.from(
      widget.node.querySelectorAll('.jp-Redpill-arrow')
    );
    expect(arrows.length).toBeGreaterThan(20);
    for (const arrow of arrows) {
      const target = box(arrow.getAttribute('data-to')!);
      expect(onBoundary(arrowEnd(arrow), boxRect(target))).toBe(true);
    }
  });

  it('shows the immortal badge only on immortal objects', () => {
    for (const obj of kinds.objects) {
      expect(
        box(obj.address).querySelector('.jp-Redpill-badge-immortal') !== null
      ).toBe(obj.immortal);
    }
  });

  it('lists holders in the box and in its tooltip, and the unexplained part', () => {
    const n = byName('n');
    const b = box(n.address);
    expect(b.querySelector('.jp-Redpill-holders')!.textContent).toBe(
      'held by n, list[0]'
    );
    expect(b.querySelector('title')!.textContent).toContain(
      `held by: name n; list ${kinds.names[6].object} [0]`
    );
    expect(
      b.querySelector('.jp-Redpill-badge-unexplained .jp-Redpill-badgeText')!
        .textContent
    ).toBe('+1 unexplained');
  });
});

describe('int', () => {
  it('draws one cell per 30-bit digit, in order', () => {
    const big = byName('big');
    expect(big.int.digits.length).toBe(3);
    expect(
      texts(box(big.address), '.jp-Redpill-digit .jp-Redpill-cellText')
    ).toEqual(big.int.digits.map(String));
    expect(
      texts(box(big.address), '.jp-Redpill-digit .jp-Redpill-caption')
    ).toEqual(['ob_digit[0]', 'ob_digit[1]', 'ob_digit[2]']);
  });

  it('writes the sum out and it equals the value', () => {
    for (const name of ['n', 'big', 'neg']) {
      const obj = byName(name);
      const sum = box(obj.address).querySelector('.jp-Redpill-sum')!;
      expect(sum.getAttribute('data-sum')).toBe(obj.int.value);
      expect(box(obj.address).textContent).toContain('value = Σ dᵢ·2^(30·i)');
    }
    expect(box(byName('big').address).textContent).toContain(
      '12345·2^0 + 0·2^30 + 1024·2^60'
    );
    expect(digitSum([12345, 0, 1024], 30).toString()).toBe(
      (2n ** 70n + 12345n).toString()
    );
    expect(digitTerms([5, 1], 15)).toEqual(['5·2^0', '1·2^15']);
  });

  it('decodes the sign/size tag as this CPython stores it', () => {
    expect(box(byName('neg').address).textContent).toContain(
      'lv_tag = 10 → ndigits 1 (tag>>3), sign − (tag&3 = 2)'
    );
    const tag = (tag_field: 'lv_tag' | 'ob_size', t: string) =>
      describeTag({
        value: '0',
        sign: 0,
        ndigits: 0,
        digits: [],
        digit_bits: 30,
        small_int_cached: true,
        tag_field,
        tag: t
      });
    expect(tag('ob_size', '-2')).toBe('ob_size = -2 → 2 digits, sign −');
    expect(tag('lv_tag', '1')).toContain('ndigits 0 (tag>>3), sign 0');
  });

  it('shows the small-int cache badge with the range this CPython caches', () => {
    expect(
      box(byName('n').address).querySelector(
        '.jp-Redpill-badge-smallint .jp-Redpill-badgeText'
      )!.textContent
    ).toBe('small-int cache -5..256');
    expect(
      box(byName('big').address).querySelector('.jp-Redpill-badge-smallint')
    ).toBeNull();
    const interp = {
      implementation: 'CPython',
      pointer_size: 8 as const,
      free_threaded: false
    };
    expect(smallIntRange({ ...interp, version: '3.15.0a1' })).toEqual([
      -5, 1024
    ]);
    expect(smallIntRange({ ...interp, version: '3.12.3' })).toEqual([-5, 256]);
    expect(
      smallIntRange({
        ...interp,
        version: '3.12.3',
        small_int_range: [-5, 300]
      })
    ).toEqual([-5, 300]);
  });
});

describe('float', () => {
  it('shows sign, exponent and mantissa bits of ob_fval', () => {
    const pi = byName('pi');
    const b = box(pi.address);
    const bits = hexToBits(pi.float.hex);
    expect(bits).toHaveLength(64);
    expect(texts(b, '.jp-Redpill-bitText')).toEqual([
      bits.slice(0, 1),
      bits.slice(1, 12),
      bits.slice(12)
    ]);
    expect(parseInt(bits.slice(1, 12), 2)).toBe(pi.float.exponent);
    expect(b.textContent).toContain('ob_fval = 3.14');
    expect(b.textContent).toContain('exponent 1024 − 1023 = 1');
  });
});

describe('str and bytes', () => {
  it('shows length, hash, state bits and one cell per character', () => {
    const u = byName('u');
    const b = box(u.address);
    expect(b.textContent).toContain('length 7');
    expect(b.textContent).toContain('hash 123456789');
    expect(b.textContent).toContain('kind 2 = 2 bytes/char (Py_UCS2)');
    expect(b.textContent).toContain('ascii 0 · compact 1 · interned (mortal)');
    expect(texts(b, '.jp-Redpill-char .jp-Redpill-cellText')).toEqual([
      'h',
      'é',
      'l',
      'l',
      'o',
      '€',
      '\\n'
    ]);
    expect(box(byName('s').address).textContent).toContain(
      'hash -1 (not computed)'
    );
  });

  it('shows bytes as hex cells', () => {
    expect(
      texts(box(byName('bs').address), '.jp-Redpill-byte .jp-Redpill-cellText')
    ).toEqual(['00', '41', '42', 'ff']);
  });
});

describe('containers and instances', () => {
  const arrowsFrom = (address: string) =>
    Array.from(
      widget.node.querySelectorAll(`.jp-Redpill-arrow[data-from="${address}"]`)
    ).map(a => [a.getAttribute('data-label'), a.getAttribute('data-to')]);

  it('list: ob_size, allocated and one slot per item with an arrow to it', () => {
    const lst = byName('lst');
    const b = box(lst.address);
    expect(b.textContent).toContain('ob_size 3  ·  allocated 4');
    expect(b.textContent).toContain('+ 1 spare slot (allocated, unused)');
    expect(texts(b, '.jp-Redpill-slotLabel')).toEqual(['[0]', '[1]', '[2]']);
    expect(arrowsFrom(lst.address)).toEqual(
      lst.items.map((to: string, i: number) => [`[${i}]`, to])
    );
  });

  it('slot arrows start at their slot row', () => {
    const lst = byName('lst');
    const b = box(lst.address);
    const origin = boxRect(b);
    for (const arrow of Array.from(
      widget.node.querySelectorAll(
        `.jp-Redpill-arrow[data-from="${lst.address}"]`
      )
    )) {
      const d = arrow
        .querySelector('.jp-Redpill-arrowPath')!
        .getAttribute('d')!;
      const [sx, sy] = d
        .match(/-?\d+(\.\d+)?/g)!
        .slice(0, 2)
        .map(Number);
      const index = Number(arrow.getAttribute('data-label')!.slice(1, -1));
      const slot = b.querySelector(
        `[data-slot="${index}"] .jp-Redpill-slotFrame`
      )!;
      const top = origin.y + Number(slot.getAttribute('y'));
      expect(sy).toBeGreaterThanOrEqual(top);
      expect(sy).toBeLessThanOrEqual(top + Number(slot.getAttribute('height')));
      expect(sx).toBeGreaterThan(origin.x);
      expect(sx).toBeLessThanOrEqual(origin.x + origin.width);
    }
  });

  it('tuple items go one column further right', () => {
    const lst = byName('lst');
    const tup = kinds.objects.find((o: any) => o.type === 'tuple');
    expect(boxRect(box(tup.address)).x).toBeGreaterThan(
      boxRect(box(lst.address)).x + boxRect(box(lst.address)).width
    );
  });

  it("dict: entries labelled ['key'] with arrows to the values", () => {
    const d = byName('d');
    expect(texts(box(d.address), '.jp-Redpill-slotLabel')).toEqual([
      "['k']",
      "['x']"
    ]);
    expect(arrowsFrom(d.address)).toEqual([
      ["['k']", d.dict.entries[0].value],
      ["['x']", d.dict.entries[1].value]
    ]);
    expect(box(d.address).textContent).toContain('ma_used 2');
  });

  it('instance: attributes labelled .name, an unfollowed one without an arrow', () => {
    const p = byName('p');
    expect(texts(box(p.address), '.jp-Redpill-slotLabel')).toEqual([
      '.x',
      '.y',
      '.label'
    ]);
    expect(arrowsFrom(p.address)).toEqual([
      ['.x', p.instance.attributes[0].value],
      ['.y', p.instance.attributes[1].value]
    ]);
    expect(
      box(p.address).querySelector('[data-slot="2"]')!.textContent
    ).toContain('(not followed)');
  });

  it('set members and a self-referencing list', () => {
    const st = byName('st');
    expect(arrowsFrom(st.address).map(([label]) => label)).toEqual([
      '{0}',
      '{1}'
    ]);
    const loop = byName('loop');
    expect(arrowsFrom(loop.address)).toEqual([['[0]', loop.address]]);
  });

  it('aliasing: several arrows into one box', () => {
    const n = byName('n');
    const into = widget.node.querySelectorAll(
      `.jp-Redpill-arrow[data-to="${n.address}"]`
    );
    // name n, lst[0], tup[0], p.x, st{0}
    expect(into).toHaveLength(5);
  });
});

describe('others', () => {
  it('function: summary facts and size', () => {
    const f = byName('area');
    const b = box(f.address);
    expect(b.textContent).toContain('__qualname__: area');
    expect(b.textContent).toContain('size 160 bytes');
  });

  it('None: repr and immortal refcount', () => {
    const none = kinds.objects.find((o: any) => o.kind === 'none');
    expect(box(none.address).textContent).toContain('None');
    expect(
      box(none.address).querySelector('.jp-Redpill-refcount')!.textContent
    ).toBe('refcnt 4294967295');
  });
});
