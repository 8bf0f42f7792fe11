/**
 * --steps: the payload at step i (real kernel fixtures), the step controls
 * and the widget drawing the selected step.
 */
import { buildModel } from '../model/model';
import type { RedpillPayload } from '../model/payload.generated';
import { createStepControls, highlightSource } from '../steps/controls';
import { validatePayload } from '../model/validate';
import {
  describeChanges,
  refcountTimeline,
  stepPayload,
  storedVersions,
  wholeSteps
} from '../steps/model';
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
    const s = wholeSteps(p).find(st => st.columns && st.columns[0] > 0)!;
    const pre = document.createElement('pre');
    highlightSource(document, pre, p.source!, s);
    const mark = pre.querySelector('mark')!;
    expect(mark.textContent).toBe('t = (xs,)');
    expect(pre.querySelectorAll('[aria-current="step"]')).toHaveLength(1);
  });

  it('draws no empty last row for a source that ends with a newline', () => {
    // (a cell written by a tool, as nbconvert runs it, often ends with one)
    const rows = (source: string): string[] => {
      const pre = document.createElement('pre');
      highlightSource(document, pre, source, undefined);
      return [...pre.querySelectorAll('.jp-Redpill-sourceLine')].map(
        row => row.textContent ?? ''
      );
    };
    expect(rows('a = 1\nb = a\n')).toEqual(['  1a = 1\n', '  2b = a\n']);
    expect(rows('a = 1\nb = a')).toEqual(rows('a = 1\nb = a\n'));
    // a blank line the cell ends with is still its own row
    expect(rows('a = 1\n\n')).toEqual(['  1a = 1\n', '  2\n']);
  });
});

describe('stored versions sent as differences (like)', () => {
  const loop = (): RedpillPayload => fixture('steps-loop.json');

  /** The int an object's bytes hold in its first 30-bit digit. */
  const firstDigit = (hex: string): number =>
    parseInt(hex.slice(-8).match(/../g)!.reverse().join(''), 16);

  it('completes every int of a counting loop from the entry it names', () => {
    const p = loop();
    expect(validatePayload(p).ok).toBe(true);
    const written = p.step_objects!.filter(o => o.like !== undefined);
    expect(written.length).toBeGreaterThanOrEqual(5);
    // what a difference leaves out is shared with its base
    expect(written.every(o => o.type_address === undefined)).toBe(true);
    const whole = storedVersions(p);
    expect(whole).toHaveLength(p.step_objects!.length);
    for (const o of whole.filter(e => e.kind === 'int' && e.repr !== '0')) {
      expect(o.like).toBeUndefined();
      expect(o.type_address).toMatch(/^0x/);
      expect(o.declaration).toBe('PyLongObject');
      expect(o.int!.value).toBe(o.repr);
      const digit = o.fields!.find(f => f.name === 'ob_digit[0]')!;
      expect(digit.value).toBe(Number(o.repr));
      expect(firstDigit(o.memory!.hex)).toBe(Number(o.repr));
      expect(o.fields!.map(f => f.name)).toEqual(
        p.step_objects![0].fields!.map(f => f.name)
      );
    }
  });

  it('draws each step with the value its names hold', () => {
    const p = loop();
    for (let i = 0; i < p.steps!.length; i++) {
      const view = stepPayload(p, i);
      const s = view.payload.names.find(n => n.name === 's');
      if (!s) {
        continue;
      }
      const obj = view.payload.objects.find(o => o.address === s.object)!;
      expect(obj.int?.value).toBe(obj.repr);
      expect(obj.type_module).toBe('builtins');
    }
    const last = stepPayload(p, p.steps!.length - 1).payload;
    const s = last.names.find(n => n.name === 's')!;
    expect(last.objects.find(o => o.address === s.object)!.repr).toBe('15000');
  });

  it('leaves out an entry whose like names no earlier whole entry', () => {
    const likes = loop()
      .step_objects!.map((o, i) => (o.like !== undefined ? i : -1))
      .filter(i => i >= 0);
    const [first, second] = likes;
    for (const [at, like] of [
      [first, first + 1], // a later entry
      [first, first], // itself
      [second, first], // an entry that is itself a difference
      [first, 10000] // none
    ]) {
      const p = loop();
      const entry = p.step_objects![at];
      entry.like = like;
      expect(storedVersions(p)).toHaveLength(p.step_objects!.length - 1);
      expect(storedVersions(p)).not.toContain(entry);
      // the steps that draw it still draw, and say it is missing
      const drawing = wholeSteps(p).findIndex(st =>
        st.objects.some(
          o => o.address === entry.address && o.version === entry.version
        )
      );
      expect(drawing).toBeGreaterThanOrEqual(0);
      const view = stepPayload(p, drawing);
      expect(view.payload.notes).toContainEqual(
        expect.stringContaining('missing from step_objects')
      );
    }
  });
});

describe('unchanged objects and frames sent as indices (step_index)', () => {
  const fact = (): RedpillPayload => fixture('steps-frames.json');

  it('completes each index from the step before, as the kernel wrote it', () => {
    const p = fact();
    expect(validatePayload(p).ok).toBe(true);
    const steps = wholeSteps(p);
    let indices = 0;
    p.steps!.forEach((step, i) => {
      for (const key of ['objects', 'frames'] as const) {
        (step[key] ?? []).forEach((item, k) => {
          const whole = steps[i][key]![k];
          expect(typeof whole).toBe('object');
          if (typeof item === 'number') {
            indices++;
            expect(whole).toBe(steps[i - 1][key]![item]);
          } else {
            expect(whole).toBe(item);
          }
        });
      }
    });
    expect(indices).toBeGreaterThanOrEqual(10);
    // the frames waiting for an inner call: fact(4) while fact(1) runs
    const deepest = steps.findIndex(s => s.frames!.length === 4);
    const sent = p.steps![deepest + 1].frames!;
    expect(sent.filter(f => typeof f === 'number').length).toBeGreaterThan(0);
    expect(stepPayload(p, deepest + 1).payload.frames!.calls).toHaveLength(
      steps[deepest + 1].frames!.length
    );
  });

  it('draws a step written with indices as the same step written out', () => {
    const p = fact();
    const whole = { ...p, steps: wholeSteps(p) } as RedpillPayload;
    for (let i = 0; i < p.steps!.length; i++) {
      expect(stepPayload(p, i).payload).toEqual(stepPayload(whole, i).payload);
    }
  });

  it('leaves out an index that names nothing in the step before, and says so', () => {
    for (const bad of [9999, 500]) {
      const p = fact();
      const i = p.steps!.findIndex(
        (s, k) => k > 0 && s.objects.some(o => typeof o === 'number')
      );
      const before = wholeSteps(fact())[i].objects.length;
      p.steps![i].objects[0] = bad;
      expect(validatePayload(p).ok).toBe(true); // within the schema's bound
      const view = stepPayload(p, i);
      expect(view.payload.objects.length).toBeLessThan(before);
      expect(view.payload.notes).toContainEqual(
        expect.stringContaining('name nothing in the step before it')
      );
    }
    const first = fact();
    first.steps![0].objects = [0];
    expect(wholeSteps(first)[0].objects).toEqual([]);
    // (the schema refuses these; completed without it, they still name nothing)
    for (const bad of [-1, 0.5]) {
      const p = fact();
      p.steps![1].objects = [bad];
      expect(wholeSteps(p)[1].objects).toEqual([]);
    }
  });

  it('refuses an index beyond the schema bound', () => {
    const p = fact();
    p.steps![1].objects[0] = 10000;
    expect(validatePayload(p).ok).toBe(false);
  });
});

describe('step controls', () => {
  it('label their own slider when two copies of the code draw on one page', () => {
    // The live page's bundles (one per output's set of features) each carry this
    // code: two module registries stand for two bundles on one page.
    const copies = [0, 1].map(() => {
      let make: typeof createStepControls | null = null;
      jest.isolateModules(() => {
        make =
          jest.requireActual<typeof import('../steps/controls')>(
            '../steps/controls'
          ).createStepControls;
      });
      return make!;
    });
    const p = steps();
    const nodes = copies.map(make => {
      const c = make(document, wholeSteps(p), p.source, 0, () => undefined);
      document.body.appendChild(c.node);
      return c.node;
    });
    const sliders = nodes.map(n => n.querySelector('input[type=range]')!);
    expect(sliders[0].id).not.toBe(sliders[1].id);
    nodes.forEach((n, i) => {
      const label = n.querySelector('label')!;
      expect(document.getElementById(label.htmlFor)).toBe(sliders[i]);
    });
    nodes.forEach(n => n.remove());
  });

  it('slider, buttons and arrow keys change the step', () => {
    const p = steps();
    const seen: number[] = [];
    const c = createStepControls(document, wholeSteps(p), p.source, 2, i =>
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
