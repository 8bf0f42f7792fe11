/**
 * The walking skeleton: `age = 1042; b = age` is two names with arrows into
 * ONE int box that shows its address, type and refcount 2.
 */
import { MIME_TYPE } from '../tokens';
import {
  arrowEnd,
  boxRect,
  fixture,
  mimeModel,
  onBoundary,
  render,
  serialize
} from './helpers';

const ADDRESS = '0x7f3a2c0b1f30';

describe('skeleton: age = 1042; b = age', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  it('draws two names, one box, two arrows ending on that box', async () => {
    const widget = await render(fixture('skeleton.json'));
    const svg = widget.node.querySelector('svg.jp-Redpill-svg')!;
    expect(svg).not.toBeNull();
    expect(widget.node.querySelector('.jp-Redpill-error')).toBeNull();

    const names = Array.from(svg.querySelectorAll('[data-name]'));
    expect(names.map(n => n.getAttribute('data-name'))).toEqual(['age', 'b']);
    expect(names.map(n => n.textContent)).toEqual(['age', 'b']);

    const boxes = svg.querySelectorAll('.jp-Redpill-box');
    expect(boxes).toHaveLength(1);
    const box = boxes[0];
    expect(box.getAttribute('data-address')).toBe(ADDRESS);
    expect(box.getAttribute('data-type')).toBe('int');
    expect(box.getAttribute('data-refcount')).toBe('2');
    expect(box.getAttribute('tabindex')).toBe('0');

    const text = box.textContent!;
    expect(text).toContain(ADDRESS);
    expect(box.querySelector('.jp-Redpill-type')!.textContent).toBe('int');
    expect(box.querySelector('.jp-Redpill-refcount')!.textContent).toBe(
      'refcnt 2'
    );

    const arrows = Array.from(svg.querySelectorAll('.jp-Redpill-arrow'));
    expect(arrows).toHaveLength(2);
    expect(arrows.map(a => a.getAttribute('data-from'))).toEqual(['age', 'b']);
    const rect = boxRect(box);
    for (const arrow of arrows) {
      expect(arrow.getAttribute('data-to')).toBe(ADDRESS);
      const end = arrowEnd(arrow);
      expect(onBoundary(end, rect)).toBe(true);
      // The arrowhead's tip is the same point.
      expect(Number(arrow.getAttribute('data-end-x'))).toBeCloseTo(end.x, 1);
      expect(Number(arrow.getAttribute('data-end-y'))).toBeCloseTo(end.y, 1);
    }
    widget.dispose();
  });

  it('names do not overlap the box and arrows go left to right', async () => {
    const widget = await render(fixture('skeleton.json'));
    const box = boxRect(widget.node.querySelector('.jp-Redpill-box')!);
    for (const arrow of Array.from(
      widget.node.querySelectorAll('.jp-Redpill-arrow')
    )) {
      expect(arrowEnd(arrow).x).toBeCloseTo(box.x, 1);
    }
    widget.dispose();
  });

  it('has a text alternative naming both names and the shared object', async () => {
    const widget = await render(fixture('skeleton.json'));
    const svg = widget.node.querySelector('svg.jp-Redpill-svg')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.querySelector(':scope > title')!.textContent).toContain(
      '2 names, 1 object'
    );
    const desc = svg.querySelector(':scope > desc')!.textContent!;
    expect(desc).toContain('age → int 1042 at 0x7f3a2c0b1f30, refcount 2');
    expect(desc).toContain(
      'b → int 1042 at 0x7f3a2c0b1f30, refcount 2 (the same object as age)'
    );
    expect(svg.getAttribute('aria-label')).toContain(desc);
    widget.dispose();
  });

  it('renderModel is idempotent', async () => {
    const widget = await render(fixture('skeleton.json'));
    const first = serialize(widget.node);
    await widget.renderModel(mimeModel(fixture('skeleton.json')));
    await widget.renderModel(mimeModel(fixture('skeleton.json')));
    expect(widget.node.querySelectorAll('svg.jp-Redpill-svg')).toHaveLength(1);
    expect(serialize(widget.node)).toBe(first);
    widget.dispose();
    expect(widget.node.childElementCount).toBe(0);
  });

  it('reads its own MIME type from the bundle', async () => {
    const widget = await render(undefined);
    expect(widget.node.querySelector('.jp-Redpill-error')).not.toBeNull();
    await widget.renderModel(mimeModel(fixture('skeleton.json'), MIME_TYPE));
    expect(widget.node.querySelector('.jp-Redpill-error')).toBeNull();
    expect(widget.node.querySelectorAll('.jp-Redpill-box')).toHaveLength(1);
    widget.dispose();
  });
});
