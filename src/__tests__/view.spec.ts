/**
 * The view of a payload frees what it made: after `dispose()` its node is
 * gone, its toolbar widget is disposed and no button, box or key does
 * anything any more; the instructor view disposes its inner diagram too.
 */
import { renderPayload } from '../render';
import { InstructorView } from '../instructor/instructor';
import { RedpillView } from '../view/view';
import { fixture } from './helpers';

afterEach(() => document.body.replaceChildren());

function click(root: ParentNode, selector: string): void {
  root.querySelector<HTMLElement>(selector)!.click();
}

describe('RedpillView', () => {
  it('zooms and selects while shown, and nothing after dispose()', () => {
    const view = renderPayload(fixture('skeleton.json'), document);
    expect(view).toBeInstanceOf(RedpillView);
    document.body.appendChild(view.node);
    const svg = view.svg;
    const width = svg.getAttribute('width');
    click(view.node, '.jp-Redpill-zoomIn');
    expect(svg.getAttribute('width')).not.toBe(width);
    click(view.node, '.jp-Redpill-zoomReset');
    expect(svg.getAttribute('width')).toBe(width);
    const box = svg.querySelector<SVGGElement>('.jp-Redpill-box')!;
    box.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(box.classList).toContain('jp-Redpill-selected');
    box.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })
    );
    expect(box.classList).not.toContain('jp-Redpill-selected');

    const toolbar = view.node.querySelector('.jp-Redpill-toolbar')!;
    view.dispose();
    expect(view.isDisposed).toBe(true);
    expect(view.node.isConnected).toBe(false);
    click(toolbar, '.jp-Redpill-zoomIn');
    expect(svg.getAttribute('width')).toBe(width);
    box.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(box.classList).not.toContain('jp-Redpill-selected');
    view.dispose(); // twice is harmless
  });
});

describe('InstructorView', () => {
  it('delegates to the diagram shown now and disposes it with itself', () => {
    const view = renderPayload(fixture('steps.json'), document);
    expect(view).toBeInstanceOf(InstructorView);
    const instructor = view as InstructorView;
    document.body.appendChild(view.node);
    const first = instructor.current;
    expect(view.svg).toBe(first.svg);
    expect(view.model).toBe(first.model);
    expect(view.svgFile()).toBe(first.svgFile());
    click(view.node, '.jp-Redpill-stepPrev');
    const second = instructor.current;
    expect(second).not.toBe(first);
    expect(first.isDisposed).toBe(true);
    expect(view.svg).toBe(second.svg);

    const prev = view.node.querySelector<HTMLButtonElement>(
      '.jp-Redpill-stepPrev'
    )!;
    view.dispose();
    expect(view.isDisposed).toBe(true);
    expect(second.isDisposed).toBe(true);
    expect(view.node.isConnected).toBe(false);
    prev.click();
    expect(instructor.current).toBe(second);
  });
});
