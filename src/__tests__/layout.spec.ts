/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are loosely typed JSON, mutated into invalid shapes on purpose */
/**
 * Layout: no overlaps, deterministic, names in binding order on the left,
 * columns by depth, elision beyond the cap with counts.
 */
import {
  depthOrder,
  ILayoutInput,
  layoutDiagram,
  overlaps
} from '../geometry/placement';
import {
  boxRect,
  fixture,
  render,
  serialize,
  syntheticPayload
} from './helpers';

function rects(root: HTMLElement, selector: string) {
  return Array.from(root.querySelectorAll(selector)).map(el => ({
    el,
    rect: boxRect(el)
  }));
}

function nameRects(root: HTMLElement) {
  return Array.from(root.querySelectorAll('.jp-Redpill-name')).map(el => {
    const m = /translate\(([-\d.]+) ([-\d.]+)\)/.exec(
      el.getAttribute('transform')!
    )!;
    const frame = el.querySelector('rect')!;
    return {
      x: Number(m[1]),
      y: Number(m[2]),
      width: Number(frame.getAttribute('width')),
      height: Number(frame.getAttribute('height'))
    };
  });
}

function expectNoOverlaps(
  list: { x: number; y: number; width: number; height: number }[]
) {
  // Sweep by y so 1000 boxes stay fast.
  const sorted = [...list].sort((a, b) => a.y - b.y);
  for (let i = 0; i < sorted.length; i++) {
    for (
      let j = i + 1;
      j < sorted.length && sorted[j].y < sorted[i].y + sorted[i].height;
      j++
    ) {
      if (overlaps(sorted[i], sorted[j])) {
        throw new Error(
          `overlap: ${JSON.stringify(sorted[i])} ${JSON.stringify(sorted[j])}`
        );
      }
    }
  }
}

describe('layout of drawn diagrams', () => {
  afterEach(() => document.body.replaceChildren());

  it.each(['kinds.json', 'skeleton.json'])(
    '%s: no box overlaps another box or a name',
    async name => {
      const widget = await render(fixture(name));
      const boxes = rects(widget.node, '.jp-Redpill-box').map(b => b.rect);
      expectNoOverlaps([...boxes, ...nameRects(widget.node)]);
      widget.dispose();
    }
  );

  it('100 objects: all drawn, no overlaps, inside the SVG', async () => {
    const widget = await render(syntheticPayload(100));
    const boxes = rects(widget.node, '.jp-Redpill-box').map(b => b.rect);
    expect(boxes).toHaveLength(100);
    expectNoOverlaps([...boxes, ...nameRects(widget.node)]);
    const svg = widget.node.querySelector('svg.jp-Redpill-svg')!;
    const [, , w, h] = svg.getAttribute('viewBox')!.split(' ').map(Number);
    for (const r of boxes) {
      expect(r.x).toBeGreaterThanOrEqual(0);
      expect(r.y).toBeGreaterThanOrEqual(0);
      expect(r.x + r.width).toBeLessThanOrEqual(w);
      expect(r.y + r.height).toBeLessThanOrEqual(h);
    }
    // Several columns: the tree spreads to the right.
    expect(new Set(boxes.map(r => r.x)).size).toBeGreaterThan(2);
    widget.dispose();
  });

  it('is deterministic: the same payload draws the same SVG', async () => {
    const a = await render(syntheticPayload(100));
    const b = await render(syntheticPayload(100));
    expect(serialize(a.node.querySelector('svg.jp-Redpill-svg')!)).toBe(
      serialize(b.node.querySelector('svg.jp-Redpill-svg')!)
    );
    a.dispose();
    b.dispose();
  });

  it('names sit on the left in binding order, boxes to their right', async () => {
    const widget = await render(fixture('kinds.json'));
    const names = nameRects(widget.node);
    const order = Array.from(widget.node.querySelectorAll('[data-name]')).map(
      n => n.getAttribute('data-name')
    );
    expect(order).toEqual(fixture('kinds.json').names.map((n: any) => n.name));
    for (let i = 1; i < names.length; i++) {
      expect(names[i].y).toBeGreaterThan(names[i - 1].y);
    }
    const rightOfNames = Math.max(...names.map(n => n.x + n.width));
    for (const { rect } of rects(widget.node, '.jp-Redpill-box')) {
      expect(rect.x).toBeGreaterThan(rightOfNames);
    }
    widget.dispose();
  });

  it('1000 objects: elides beyond the cap and says how many', async () => {
    // (how fast is benchmarks/renderer's business, measured against a baseline)
    const widget = await render(syntheticPayload(1000), { maxObjects: 300 });
    expect(widget.node.querySelectorAll('.jp-Redpill-box')).toHaveLength(300);
    expect(
      widget.node.querySelector('.jp-Redpill-notices')!.textContent
    ).toContain('700 objects not drawn: the diagram shows at most 300.');
    expect(
      widget.node.querySelector('.jp-Redpill-elided')!.textContent
    ).toContain('700 more objects not drawn');
    expect(widget.node.querySelector('svg desc')!.textContent).toContain(
      '700 more objects not drawn'
    );
    // Arrows only go to drawn boxes.
    const drawn = new Set(
      Array.from(widget.node.querySelectorAll('.jp-Redpill-box')).map(b =>
        b.getAttribute('data-address')
      )
    );
    for (const arrow of Array.from(
      widget.node.querySelectorAll('.jp-Redpill-arrow')
    )) {
      expect(drawn.has(arrow.getAttribute('data-to'))).toBe(true);
    }
    widget.dispose();
  });

  it('1000 objects without a cap: no overlaps', async () => {
    const widget = await render(syntheticPayload(1000), { maxObjects: 5000 });
    const boxes = rects(widget.node, '.jp-Redpill-box').map(b => b.rect);
    expect(boxes).toHaveLength(1000);
    expectNoOverlaps(boxes);
    widget.dispose();
  });

  it('the default cap is 300', async () => {
    const widget = await render(syntheticPayload(400));
    expect(widget.node.querySelectorAll('.jp-Redpill-box')).toHaveLength(300);
    widget.dispose();
  });

  it("reports the collector's own truncation", async () => {
    const p = fixture('skeleton.json');
    p.truncated = { names: 3, objects: 12 };
    const widget = await render(p);
    const text = widget.node.querySelector('.jp-Redpill-notices')!.textContent!;
    expect(text).toContain('3 more names bound but not collected.');
    expect(text).toContain(
      "12 more reachable objects beyond the collector's cap."
    );
    widget.dispose();
  });
});

describe('layoutDiagram (pure)', () => {
  const input = (): ILayoutInput => ({
    names: [
      { width: 40, height: 20, target: 'a' },
      { width: 60, height: 20, target: 'a' },
      { width: 30, height: 20, target: 'c' }
    ],
    nodes: [
      { id: 'a', width: 100, height: 80 },
      { id: 'b', width: 120, height: 40 },
      { id: 'c', width: 90, height: 50 },
      { id: 'orphan', width: 50, height: 50 }
    ],
    edges: [
      { from: 'a', to: 'b', fromY: 30 },
      { from: 'b', to: 'a', fromY: 20 },
      { from: 'c', to: 'c', fromY: 20 }
    ]
  });

  it('orders breadth-first from the names, then unreached objects', () => {
    const { order, depth } = depthOrder(input());
    expect(order).toEqual(['a', 'c', 'b', 'orphan']);
    expect(Object.fromEntries(depth)).toEqual({ a: 0, c: 0, b: 1, orphan: 0 });
  });

  it('places columns by depth without overlaps, names right-aligned', () => {
    const out = layoutDiagram(input());
    const a = out.nodes.get('a')!;
    const b = out.nodes.get('b')!;
    const c = out.nodes.get('c')!;
    expect(a.column).toBe(0);
    expect(b.column).toBe(1);
    expect(b.x).toBeGreaterThan(a.x + a.width);
    expect(c.y).toBeGreaterThanOrEqual(a.y + a.height);
    const rights = out.names.map(n => n.x + n.width);
    expect(new Set(rights).size).toBe(1);
    const all = [...out.nodes.values(), ...out.names];
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        expect(overlaps(all[i], all[j])).toBe(false);
      }
    }
    expect(out.width).toBeGreaterThanOrEqual(b.x + b.width);
    expect(out.height).toBeGreaterThanOrEqual(
      Math.max(...all.map(r => r.y + r.height))
    );
  });

  it('is a pure function of its input', () => {
    const one = layoutDiagram(input());
    const two = layoutDiagram(input());
    expect([...one.nodes.entries()]).toEqual([...two.nodes.entries()]);
    expect(one.names).toEqual(two.names);
  });

  it('elides the latest nodes in breadth-first order', () => {
    const out = layoutDiagram({ ...input(), maxNodes: 2 });
    expect([...out.nodes.keys()].sort()).toEqual(['a', 'c']);
    expect(out.elided).toEqual(['b', 'orphan']);
  });
});

describe('text alternative for large payloads', () => {
  it('spells out the first 40 names and counts the rest', async () => {
    const widget = await render(syntheticPayload(200, 60));
    const desc = widget.node.querySelector('svg desc')!.textContent!;
    expect(desc).toContain('v39 →');
    expect(desc).not.toContain('v40 →');
    expect(desc).toContain('and 20 more names');
    widget.dispose();
    document.body.replaceChildren();
  });
});
