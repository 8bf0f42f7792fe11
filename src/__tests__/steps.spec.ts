/**
 * --steps: the payload at step i (real kernel fixtures), the step controls
 * and the widget drawing the selected step.
 */
import { buildModel } from '../model/model';
import type { RedpillPayload } from '../model/payload.generated';
import { createStepControls, highlightSource } from '../steps/controls';
import { describeChanges, refcountTimeline, stepPayload } from '../steps/model';
import { fixture, render } from './helpers';

const steps = (): RedpillPayload => fixture('steps.json');

function refcountShown(node: HTMLElement): string | null {
  return (
    node.querySelector('.jp-Redpill-box .jp-Redpill-refcount')?.textContent ??
    null
  );
}

describe('steps model', () => {
  it('a = 1042; b = a; del a reads 1 → 2 → 1', () => {
    const p = steps();
    expect(p.steps).toHaveLength(3);
    const counts = [0, 1, 2].map(
      i => stepPayload(p, i).payload.objects[0].refcount
    );
    expect(counts).toEqual([1, 2, 1]);
    expect(refcountTimeline(p, 'b')).toEqual([null, 2, 1]);
  });

  it('merges the stored version with the step values', () => {
    const p = steps();
    const s1 = stepPayload(p, 1);
    const obj = s1.payload.objects[0];
    expect(obj.holders).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(obj.version).toBeUndefined();
    expect(obj.fields?.find(f => f.name === 'ob_refcnt')?.value).toBe(4);
    expect(obj.int?.digits).toEqual([1042]);
    expect(s1.payload.names.map(n => n.name)).toEqual(['a', 'b']);
    // The result is a drawable model without warnings.
    expect(buildModel(s1.payload).warnings).toEqual([]);
  });

  it('reports what each step changed', () => {
    const p = steps();
    const c0 = stepPayload(p, 0).changes;
    expect(c0.bound).toEqual(['a']);
    expect(c0.created).toHaveLength(1);
    const c1 = stepPayload(p, 1).changes;
    expect(c1.bound).toEqual(['b']);
    expect([...c1.refcounts.values()]).toEqual([[1, 2]]);
    const c2 = stepPayload(p, 2).changes;
    expect(c2.deleted).toEqual(['a']);
    expect(describeChanges(c2)).toMatch(
      /unbound a; refcount of 0x[0-9a-f]+ 2 → 1/
    );
  });

  it('clamps the index and refuses a payload without steps', () => {
    const p = steps();
    expect(stepPayload(p, 99).index).toBe(2);
    expect(stepPayload(p, -3).index).toBe(0);
    expect(() => stepPayload(fixture('skeleton.json'), 0)).toThrow();
  });

  it('handles ; statements on one line (columns)', () => {
    const p: RedpillPayload = fixture('steps-list.json');
    const s = p.steps!.find(st => st.columns && st.columns[0] > 0)!;
    const pre = document.createElement('pre');
    highlightSource(document, pre, p.source!, s);
    const mark = pre.querySelector('mark')!;
    expect(mark.textContent).toBe('t = (xs,)');
    expect(pre.querySelectorAll('[aria-current="step"]')).toHaveLength(1);
  });
});

describe('step controls', () => {
  it('slider, buttons and arrow keys change the step', () => {
    const p = steps();
    const seen: number[] = [];
    const c = createStepControls(document, p.steps!, p.source, 2, i =>
      seen.push(i)
    );
    document.body.appendChild(c.node);
    const next = c.node.querySelector<HTMLButtonElement>(
      '.jp-Redpill-stepNext'
    )!;
    const prev = c.node.querySelector<HTMLButtonElement>(
      '.jp-Redpill-stepPrev'
    )!;
    const slider = c.node.querySelector<HTMLInputElement>('input[type=range]')!;
    expect(next.disabled).toBe(true);
    expect(slider.value).toBe('3');
    expect(c.node.querySelector('label')!.textContent).toBe(
      'Step 3 of 3 (line 4)'
    );
    prev.click();
    expect(seen).toEqual([1]);
    slider.value = '1';
    slider.dispatchEvent(new Event('input'));
    expect(seen).toEqual([1, 0]);
    expect(prev.disabled).toBe(true);
    c.node.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight' }));
    expect(c.index).toBe(1);
    const current = c.node.querySelector('.jp-Redpill-current')!;
    expect(current.textContent).toContain('b = a');
    c.dispose();
  });
});

describe('widget with --steps', () => {
  it('draws the last step first and follows the controls (1 → 2 → 1)', async () => {
    const widget = await render(steps(), { staticCopies: false });
    const node = widget.node;
    expect(node.querySelector('.jp-Redpill-steps')).not.toBeNull();
    expect(refcountShown(node)).toBe('refcnt 1');
    const prev = node.querySelector<HTMLButtonElement>('.jp-Redpill-stepPrev')!;
    prev.click();
    expect(refcountShown(node)).toBe('refcnt 2');
    expect(node.querySelectorAll('.jp-Redpill-name')).toHaveLength(2);
    expect(node.querySelector('.jp-Redpill-changeBadge')!.textContent).toBe(
      'refcnt 1 → 2 ↑'
    );
    prev.click();
    expect(refcountShown(node)).toBe('refcnt 1');
    expect(node.querySelector('.jp-Redpill-stepChanges')!.textContent).toMatch(
      /^Step 1: bound a; new int 1042/
    );
    widget.dispose();
  });
});
