/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are loosely typed JSON */
/**
 * Arrows never cross boxes: every pointer leaves its source column straight,
 * curves through the free gap between columns, and a pointer back to an
 * earlier column runs around the boxes (below the diagram) into the target's
 * right edge.
 */
import {
  boxRect,
  fixture,
  IBoxRect,
  render,
  syntheticPayload
} from './helpers';
import { intEntry, strEntry } from './synthetic';

type P = { x: number; y: number };

/** Points along an arrow path (absolute M, L, Q, C commands, as we draw). */
export function samplePath(d: string, steps = 24): P[] {
  const tokens = d.match(/[MLQC]|-?\d+(\.\d+)?/g)!;
  const points: P[] = [];
  let cur: P = { x: 0, y: 0 };
  let i = 0;
  const num = () => Number(tokens[i++]);
  while (i < tokens.length) {
    const cmd = tokens[i++];
    if (cmd === 'M' || cmd === 'L') {
      const next = { x: num(), y: num() };
      if (cmd === 'L') {
        for (let k = 1; k <= steps; k++) {
          const t = k / steps;
          points.push({
            x: cur.x + (next.x - cur.x) * t,
            y: cur.y + (next.y - cur.y) * t
          });
        }
      } else {
        points.push(next);
      }
      cur = next;
    } else if (cmd === 'Q') {
      const c = { x: num(), y: num() };
      const e = { x: num(), y: num() };
      for (let k = 1; k <= steps; k++) {
        const t = k / steps;
        const u = 1 - t;
        points.push({
          x: u * u * cur.x + 2 * u * t * c.x + t * t * e.x,
          y: u * u * cur.y + 2 * u * t * c.y + t * t * e.y
        });
      }
      cur = e;
    } else if (cmd === 'C') {
      const c1 = { x: num(), y: num() };
      const c2 = { x: num(), y: num() };
      const e = { x: num(), y: num() };
      for (let k = 1; k <= steps * 2; k++) {
        const t = k / (steps * 2);
        const u = 1 - t;
        points.push({
          x:
            u * u * u * cur.x +
            3 * u * u * t * c1.x +
            3 * u * t * t * c2.x +
            t * t * t * e.x,
          y:
            u * u * u * cur.y +
            3 * u * u * t * c1.y +
            3 * u * t * t * c2.y +
            t * t * t * e.y
        });
      }
      cur = e;
    } else {
      throw new Error(`unexpected path command ${cmd}`);
    }
  }
  return points;
}

function inside(p: P, r: IBoxRect, inset = 1): boolean {
  return (
    p.x > r.x + inset &&
    p.x < r.x + r.width - inset &&
    p.y > r.y + inset &&
    p.y < r.y + r.height - inset
  );
}

/** Arrows that pass through a box other than their own source/target. */
function crossings(node: HTMLElement): string[] {
  const boxes = new Map<string, IBoxRect>();
  node
    .querySelectorAll('.jp-Redpill-box')
    .forEach(b => boxes.set(b.getAttribute('data-address')!, boxRect(b)));
  const found: string[] = [];
  node.querySelectorAll('.jp-Redpill-arrow').forEach(arrow => {
    const from = arrow.getAttribute('data-from')!;
    const to = arrow.getAttribute('data-to')!;
    const d = arrow.querySelector('.jp-Redpill-arrowPath')!.getAttribute('d')!;
    const points = samplePath(d);
    for (const [address, rect] of boxes) {
      if (address === from || address === to) {
        continue;
      }
      const hit = points.find(p => inside(p, rect));
      if (hit) {
        found.push(
          `${from} → ${to} crosses ${address} at ${hit.x.toFixed(0)},${hit.y.toFixed(0)}`
        );
        break;
      }
    }
    // Into the target only at its end (not through its body first).
    const target = boxes.get(to);
    if (target && from !== to) {
      const body = points.slice(0, -2).filter(p => inside(p, target, 3));
      if (body.length) {
        found.push(`${from} → ${to} runs through its own target`);
      }
    }
  });
  return found;
}

/**
 * Wide and narrow boxes in one column, keys no name reaches (roots of their
 * own, in column 0), pointers back to earlier columns and a cycle.
 */
function tangled(): any {
  const hex = (n: number) => '0x' + (0x7f0000100000 + n * 0x40).toString(16);
  const int = (n: number, v: number) => intEntry(hex(n), v, 2);
  const str = (n: number, text: string) => strEntry(hex(n), text);
  const list = (n: number, items: number[]) => ({
    address: hex(n),
    type: 'list',
    kind: 'list',
    refcount: 1,
    immortal: false,
    repr: `<list of ${items.length} items>`,
    items: items.map(hex),
    items_total: items.length,
    list: { allocated: items.length }
  });
  return {
    schema_version: 1,
    interpreter: {
      implementation: 'CPython',
      version: '3.13.5',
      pointer_size: 8,
      free_threaded: false
    },
    names: [
      { name: 'a', object: hex(0) },
      { name: 'big', object: hex(1) },
      { name: 'nested', object: hex(2) }
    ],
    deleted: [],
    objects: [
      list(0, [10, 11]),
      int(1, 1042),
      list(2, [3, 1, 0]),
      // depth 1: a list pointing back at column 0 boxes and at itself
      list(3, [1, 0, 3, 12]),
      {
        address: hex(4),
        type: 'dict',
        kind: 'dict',
        refcount: 1,
        immortal: false,
        repr: '<dict of 2 items>',
        dict: {
          used: 2,
          entries: [
            { key: hex(5), value: hex(10), key_repr: "'first key'" },
            { key: hex(6), value: hex(11), key_repr: "'second key'" }
          ]
        }
      },
      str(5, 'a rather long first key to widen column zero'),
      str(6, 'second key'),
      int(10, 5000),
      str(11, 'x'),
      list(12, [2, 1])
    ]
  };
}

describe('arrow routing', () => {
  afterEach(() => document.body.replaceChildren());

  it.each([
    ['kinds.json', () => fixture('kinds.json')],
    ['tangled', tangled],
    ['synthetic 60', () => syntheticPayload(60)]
  ])('%s: no arrow crosses a box', async (_name, make) => {
    const widget = await render(make());
    expect(widget.node.querySelector('.jp-Redpill-error')).toBeNull();
    expect(crossings(widget.node)).toEqual([]);
    widget.dispose();
  });

  it('routes pointers back to an earlier column below the boxes', async () => {
    const widget = await render(tangled());
    const svg = widget.node.querySelector('svg.jp-Redpill-svg')!;
    const bottom = Math.max(
      ...Array.from(widget.node.querySelectorAll('.jp-Redpill-box')).map(b => {
        const r = boxRect(b);
        return r.y + r.height;
      })
    );
    const back = Array.from(
      widget.node.querySelectorAll('.jp-Redpill-arrow-slot')
    ).filter(a => {
      const from = svg.querySelector(
        `[data-address="${a.getAttribute('data-from')}"]`
      )!;
      const to = svg.querySelector(
        `[data-address="${a.getAttribute('data-to')}"]`
      )!;
      return boxRect(to).x < boxRect(from).x;
    });
    expect(back.length).toBeGreaterThan(0);
    const [, , , h] = svg.getAttribute('viewBox')!.split(' ').map(Number);
    for (const arrow of back) {
      const points = samplePath(
        arrow.querySelector('.jp-Redpill-arrowPath')!.getAttribute('d')!
      );
      const lowest = Math.max(...points.map(p => p.y));
      expect(lowest).toBeGreaterThan(bottom);
      expect(lowest).toBeLessThanOrEqual(h);
    }
    widget.dispose();
  });
});
