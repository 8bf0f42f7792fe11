/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are loosely typed JSON, mutated into hostile shapes on purpose */
/**
 * Buffers and views, drawn from a real kernel payload (fixtures/buffers.json:
 * bytes, an over-allocated bytearray, a strided memoryview of it, an
 * array.array, a numpy array `a` and its view `b = a[::2]`): each box shows
 * its data's address range and a bar of the buffer that holds the memory, a
 * view's items marked inside its base's buffer; arrows go to the base and
 * the exporter; the details panel lists the buffer's fields. Then the
 * address arithmetic alone, and hostile buffer blocks, which must draw or be
 * refused, never throw.
 */
import {
  BAR_WIDTH,
  itemOffsets,
  parseAddress,
  placement,
  viewExtent
} from '../draw/kinds/buffer';
import { bufferRows } from '../draw/buffer-details';
import { buildModel } from '../model/model';
import { maskPayload } from '../quiz/mask';
import { arrowEnd, boxRect, fixture, onBoundary, render } from './helpers';
import type { RedpillWidget } from './types';

const payload = fixture('buffers.json');
const named = (name: string) => {
  const address = payload.names.find((n: any) => n.name === name).object;
  return payload.objects.find((o: any) => o.address === address);
};

let widget: RedpillWidget;
beforeAll(async () => {
  widget = await render(payload);
});
afterAll(() => {
  widget.dispose();
  document.body.replaceChildren();
});

const box = (address: string) =>
  widget.node.querySelector(`.jp-Redpill-box[data-address="${address}"]`)!;
const arrow = (from: string, to: string) =>
  widget.node.querySelector(
    `.jp-Redpill-arrow[data-from="${from}"][data-to="${to}"]`
  );
const hex = (n: bigint) => `0x${n.toString(16)}`;

describe('the fixture', () => {
  it('is a real payload with every buffer kind', () => {
    expect(payload.objects.map((o: any) => o.kind).sort()).toEqual(
      ['array', 'bytearray', 'bytes', 'memoryview', 'ndarray', 'ndarray'].sort()
    );
    expect(widget.node.querySelector('.jp-Redpill-error')).toBeNull();
  });
});

describe('ndarray view and its base', () => {
  const a = named('a');
  const b = named('b');

  it('draws b → a as a .base arrow ending on a', () => {
    expect(b.buffer.base).toBe(a.address);
    const link = arrow(b.address, a.address)!;
    expect(link).not.toBeNull();
    expect(link.getAttribute('data-label')).toBe('.base');
    expect(onBoundary(arrowEnd(link), boxRect(box(a.address)))).toBe(true);
    expect(
      box(b.address).querySelector('.jp-Redpill-slot')!.textContent
    ).toContain('.base');
  });

  it("shows both address ranges: b's lies inside a's", () => {
    const aStart = BigInt(a.buffer.data);
    const aEnd = aStart + BigInt(a.buffer.nbytes);
    const range = (o: any) =>
      box(o.address).querySelector('.jp-Redpill-bufferRange')!.textContent;
    expect(range(a)).toBe(`data ${hex(aStart)} … ${hex(aEnd)}`);
    // b = a[::2] of 8 float64: items at +0, +16, +32, +48 of a's buffer
    const bStart = BigInt(b.buffer.data);
    expect(bStart).toBe(aStart);
    expect(range(b)).toBe(`data ${hex(bStart)} … ${hex(bStart + 56n)}`);
    expect(
      box(b.address).querySelector('.jp-Redpill-bufferCaption')!.textContent
    ).toBe("bytes +0…+56 of ndarray's 64");
    expect(
      box(a.address).querySelector('.jp-Redpill-bufferCaption')!.textContent
    ).toBe('its own 64 bytes');
  });

  it("marks b's four items in a bar of a's 64 bytes", () => {
    const items = Array.from(
      box(b.address).querySelectorAll('.jp-Redpill-bufferItem')
    );
    expect(items).toHaveLength(4);
    const frame = box(b.address).querySelector('.jp-Redpill-bufferFrame')!;
    const x0 = Number(frame.getAttribute('x'));
    expect(Number(frame.getAttribute('width'))).toBe(BAR_WIDTH);
    const xs = items.map(r => Number(r.getAttribute('x')) - x0);
    // every other item of eight: at 0, 2/8, 4/8, 6/8 of the bar, 1/8 wide each
    expect(xs).toEqual([0, 1, 2, 3].map(i => Math.round((i * BAR_WIDTH) / 4)));
    for (const r of items) {
      expect(Number(r.getAttribute('width'))).toBeCloseTo(BAR_WIDTH / 8, 0);
    }
    // a owns its buffer: one used segment across the whole bar
    const used = box(a.address).querySelector('.jp-Redpill-bufferUsed')!;
    expect(Number(used.getAttribute('width'))).toBe(BAR_WIDTH);
  });

  it('writes dtype, shape, strides and flags', () => {
    const text = box(b.address).textContent!;
    expect(text).toContain('dtype float64 <f8');
    expect(text).toContain('shape (4,)');
    expect(text).toContain('strides (16,)');
    expect(text).toContain('a view · strided · writeable');
    expect(box(a.address).textContent).toContain(
      'owns its data · C and F contiguous · writeable'
    );
  });

  it('lists the buffer fields in the details panel', () => {
    box(b.address).dispatchEvent(new MouseEvent('click', { bubbles: true }));
    const section = widget.node.querySelector(
      '.jp-Redpill-details .jp-Redpill-buffer'
    )!;
    const rows = Object.fromEntries(
      Array.from(section.querySelectorAll('tr')).map(tr => [
        tr.querySelector('th')!.textContent,
        tr.querySelector('td')!.textContent
      ])
    );
    expect(rows.data).toBe(b.buffer.data);
    expect(rows.base).toBe(a.address);
    expect(rows.strides).toBe('(16)');
    expect(rows.flags).toBe(b.buffer.flags.join(' | '));
    expect(rows['in its buffer']).toBe(
      `bytes +0 … +56 of the 64 bytes of ndarray ${a.address}`
    );
    const data = section.querySelector('.jp-Redpill-bufferMemory')!;
    expect(data.querySelectorAll('.jp-Redpill-hexByte')).toHaveLength(
      b.buffer.memory.hex.length / 2
    );
  });
});

describe('bytearray and its memoryview', () => {
  const ba = named('ba');
  const mv = named('mv');

  it('shows the over-allocation: used and spare parts of the buffer', () => {
    const { nbytes, allocated } = ba.buffer;
    expect(allocated).toBeGreaterThan(nbytes);
    const b = box(ba.address);
    expect(b.querySelector('.jp-Redpill-bufferCaption')!.textContent).toBe(
      `${nbytes} used + ${allocated - nbytes} spare of ${allocated} bytes allocated`
    );
    const used = Number(
      b.querySelector('.jp-Redpill-bufferUsed')!.getAttribute('width')
    );
    const spare = Number(
      b.querySelector('.jp-Redpill-bufferSpare')!.getAttribute('width')
    );
    expect(used / (used + spare)).toBeCloseTo(nbytes / allocated, 1);
    expect(b.textContent).toContain(
      `ob_size ${nbytes}  ·  ob_alloc ${allocated}`
    );
    // its bytes, one cell each
    expect(
      Array.from(
        b.querySelectorAll('.jp-Redpill-byte .jp-Redpill-cellText')
      ).map(n => n.textContent)
    ).toEqual(ba.buffer.memory.hex.match(/../g));
  });

  it('draws the .obj arrow to the exporter', () => {
    const link = arrow(mv.address, ba.address)!;
    expect(link.getAttribute('data-label')).toBe('.obj');
    expect(onBoundary(arrowEnd(link), boxRect(box(ba.address)))).toBe(true);
    expect(
      ba.holders.some((h: any) => h.object === mv.address && h.via === '.obj')
    ).toBe(true);
  });

  it("marks the view's items inside the bytearray's used bytes", () => {
    const caption = box(mv.address).querySelector(
      '.jp-Redpill-bufferCaption'
    )!.textContent;
    expect(caption).toBe(`bytes +1…+10 of bytearray's ${ba.buffer.nbytes}`);
    expect(
      box(mv.address).querySelectorAll('.jp-Redpill-bufferItem')
    ).toHaveLength(mv.buffer.shape[0]);
  });
});

describe('array.array', () => {
  it('shows the typecode, the items and its buffer', () => {
    const arr = named('arr');
    const text = box(arr.address).textContent!;
    expect(text).toContain("typecode 'd'  ·  itemsize 8  ·  ob_size 3");
    expect(text).toContain("array('d', [1.5, 2.5, 3.5])");
    expect(
      box(arr.address).querySelector('.jp-Redpill-bufferUsed')
    ).not.toBeNull();
  });
});

describe('address arithmetic', () => {
  const buf = (over: any) => ({
    data: '0x1000',
    nbytes: 0,
    itemsize: 4,
    format: 'i',
    ndim: 1,
    shape: [3],
    strides: [4],
    readonly: false,
    owns_data: false,
    c_contiguous: true,
    f_contiguous: true,
    ...over
  });

  it('spans a negative stride below the data pointer', () => {
    expect(viewExtent(buf({ shape: [3], strides: [-8] }))).toEqual({
      start: 0x1000n - 16n,
      end: 0x1004n
    });
    expect(itemOffsets(buf({ shape: [3], strides: [-8] }))).toEqual([
      0n,
      -8n,
      -16n
    ]);
  });

  it('is empty for a zero-length axis and one item for zero strides', () => {
    const empty = viewExtent(
      buf({ shape: [0, 5], strides: [20, 4], ndim: 2 })
    )!;
    expect(empty.end - empty.start).toBe(0n);
    expect(viewExtent(buf({ shape: [1000], strides: [0] }))).toEqual({
      start: 0x1000n,
      end: 0x1004n
    });
  });

  it('gives up on malformed numbers instead of guessing', () => {
    expect(parseAddress('0x?')).toBeNull();
    expect(parseAddress('0x' + 'f'.repeat(17))).toBeNull();
    expect(viewExtent(buf({ data: 'nope' }))).toBeNull();
    expect(viewExtent(buf({ shape: [1, 2], strides: [4] }))).toBeNull();
    expect(
      itemOffsets(buf({ shape: [2 ** 40, 2 ** 40], strides: [1, 1] }))
    ).toBeNull();
  });

  it('places a view outside its host when the numbers say so', () => {
    const host = {
      address: '0xa',
      type: 'ndarray',
      refcount: 1,
      immortal: false,
      kind: 'ndarray',
      buffer: buf({ owns_data: true, nbytes: 8 })
    };
    const view = {
      address: '0xb',
      type: 'ndarray',
      refcount: 1,
      immortal: false,
      kind: 'ndarray',
      buffer: buf({ base: '0xa', owner: '0xa', data: '0x1006' })
    };
    const objects = new Map<string, any>([
      ['0xa', host],
      ['0xb', view]
    ]);
    const place = placement(view as any, objects)!;
    expect(place.inside).toBe(false);
    expect(
      bufferRows(
        view as any,
        buildModel({
          ...payload,
          objects: [host, view]
        } as any)
      ).find(([k]) => k === 'in its buffer')![1]
    ).toBe('outside the 8 bytes of ndarray 0xa');
  });
});

describe('hostile buffer blocks', () => {
  // What the schema refuses is refused with the inline message; the rest is drawn.
  const variants: [string, (b: any, o: any) => void][] = [
    ['a data pointer that is not an address (refused)', b => (b.data = '0x?')],
    ['an owner that is itself', (b, o) => (b.owner = o.address)],
    ['a base that is not drawn', b => (b.base = '0x1234')],
    [
      'huge shape and strides',
      b => {
        b.shape = [2 ** 63 - 1, 2 ** 63 - 1];
        b.strides = [-(2 ** 63 - 1), 2 ** 63 - 1];
        b.ndim = 2;
      }
    ],
    ['shape and strides of different lengths', b => (b.strides = [])],
    [
      '64 axes',
      b => {
        b.shape = new Array(64).fill(2);
        b.strides = new Array(64).fill(8);
        b.ndim = 64;
      }
    ],
    [
      'allocated below nbytes',
      b => {
        b.owns_data = true;
        b.nbytes = 100;
        b.allocated = 1;
      }
    ],
    [
      'markup in the format and flags',
      b => {
        b.format = '<img src=x onerror=alert(1)>';
        b.flags = ['<svg onload=alert(2)>'];
      }
    ],
    [
      'memory with placeholder bytes (refused)',
      b => (b.memory = { ...b.memory, hex: '????' })
    ]
  ];

  it.each(variants)(
    '%s: drawn or refused, never thrown',
    async (name, mutate) => {
      const p = JSON.parse(JSON.stringify(payload));
      for (const o of p.objects) {
        if (o.buffer && o.kind !== 'bytes') {
          mutate(o.buffer, o);
        }
      }
      const w = await render(p);
      try {
        const drawn = w.node.querySelector('svg.jp-Redpill-svg');
        const refused = w.node.querySelector('.jp-Redpill-error');
        if (name.endsWith('(refused)')) {
          expect(refused).not.toBeNull();
        } else {
          expect(drawn).not.toBeNull();
          expect(w.node.querySelectorAll('.jp-Redpill-box')).toHaveLength(
            p.objects.length
          );
        }
        expect(w.node.querySelector('img, [onerror], [onload]')).toBeNull();
        for (const b of Array.from(
          w.node.querySelectorAll('.jp-Redpill-box')
        )) {
          b.dispatchEvent(new MouseEvent('click', { bubbles: true }));
        }
      } finally {
        w.dispose();
      }
    }
  );

  it('hides the data pointers when addresses are masked', async () => {
    const masked = maskPayload(payload, [], new Set(), ['address']);
    for (const o of masked.objects) {
      if (o.buffer) {
        expect(o.buffer.data).toBe('0x?');
        expect(o.buffer.memory).toBeUndefined();
      }
    }
    // (in the buffer blocks: other pointers, such as ob_type, are not object addresses)
    const blocks = JSON.stringify(masked.objects.map(o => o.buffer));
    for (const o of payload.objects) {
      if (o.buffer) {
        expect(blocks).not.toContain(o.buffer.data);
      }
    }
    const w = await render(payload, { hidden: ['address'] } as any);
    try {
      expect(w.node.querySelector('svg.jp-Redpill-svg')).not.toBeNull();
    } finally {
      w.dispose();
    }
  });
});
