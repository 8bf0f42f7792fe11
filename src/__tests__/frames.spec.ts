/* eslint-disable @typescript-eslint/no-explicit-any -- JSON payloads mutated on purpose */
/**
 * --steps recorded line by line with call frames: the stack of frame boxes
 * (global frame first, one box per call), arrows from each frame's names,
 * the return value and the exception on their frame, suspended frames, the
 * slider over every step, the current line, the output so far, the step
 * counts, frame holders, and hostile frames. The payloads are synthetic
 * recordings (synthetic.ts) that validate against the schema.
 */
import { buildDiagram } from '../draw/diagram';
import { LIGHT_PALETTE, staticSvg, svgMarkup } from '../draw/export';
import { framesOf, MAX_FRAMES_DRAWN, MAX_LOCALS_DRAWN } from '../model/frames';
import { buildModel } from '../model/model';
import { validatePayload } from '../model/validate';
import { maskPayload } from '../quiz/mask';
import { outputUpTo, stepCountsText } from '../steps/controls';
import { stepPayload, wholeSteps } from '../steps/model';
import type { RenderedRedpill } from '../widget';
import { boxRect, fixture, framesPayload, render } from './helpers';

/** The frame boxes drawn now, top to bottom. */
function frameBoxes(node: Element): Element[] {
  return [...node.querySelectorAll('.jp-Redpill-stackFrame')];
}

/** A frame box's rectangle (its transform and outline). */
function frameRect(g: Element) {
  const m = /translate\(([-\d.]+) ([-\d.]+)\)/.exec(
    g.getAttribute('transform') ?? ''
  )!;
  const r = g.querySelector('.jp-Redpill-stackFrameRect')!;
  return {
    x: Number(m[1]),
    y: Number(m[2]),
    width: Number(r.getAttribute('width')),
    height: Number(r.getAttribute('height'))
  };
}

/** A name row's rectangle. */
function nameRect(g: Element) {
  const m = /translate\(([-\d.]+) ([-\d.]+)\)/.exec(
    g.getAttribute('transform') ?? ''
  )!;
  const r = g.querySelector('.jp-Redpill-nameFrame')!;
  return {
    x: Number(m[1]),
    y: Number(m[2]),
    width: Number(r.getAttribute('width')),
    height: Number(r.getAttribute('height'))
  };
}

function slider(node: Element): HTMLInputElement {
  return node.querySelector<HTMLInputElement>('.jp-Redpill-stepSlider')!;
}

/** Move the slider to step `i` (0-based) as a user does. */
function slideTo(node: Element, i: number): void {
  const s = slider(node);
  s.value = String(i + 1);
  s.dispatchEvent(new Event('change'));
}

/** The last step at the deepest recursion before the calls return. */
function deepest(p: any): number {
  let best = 0;
  p.steps.forEach((s: any, i: number) => {
    if (
      s.event !== 'return' &&
      s.frames.length >= p.steps[best].frames.length
    ) {
      best = i;
    }
  });
  return best;
}

describe('synthetic recordings follow the schema', () => {
  it.each([
    ['factorial(4)', framesPayload(4)],
    ['factorial(6), 300 steps', framesPayload(6, 260)]
  ])('%s validates', (_label, p) => {
    const result = validatePayload(p);
    expect(result.ok ? [] : result.details).toEqual([]);
  });
});

describe('frames of a step (model)', () => {
  it('global frame first, then the calls outermost first, locals in each', () => {
    const p = framesPayload(4);
    const view = stepPayload(p, deepest(p));
    const model = buildModel(view.payload);
    expect(model.warnings).toEqual([]);
    expect(model.frames!.map(f => [f.title, f.call, f.state])).toEqual([
      ['Global frame', 0, 'global'],
      ['fact', 1, 'active'],
      ['fact', 2, 'active'],
      ['fact', 3, 'active'],
      ['fact', 4, 'active']
    ]);
    const locals = model.names.filter(n => n.frame! > 0);
    expect(locals.map(n => [n.frame, n.name, n.address])).toEqual(
      view.payload.frames!.calls.map((c, i) => [i + 1, 'n', c.names[0].object])
    );
    // Each local has its arrow (an edge from its name row).
    for (const ref of locals) {
      const index = model.names.indexOf(ref);
      expect(model.edges).toContainEqual(
        expect.objectContaining({ from: `name:${index}`, to: ref.address })
      );
    }
  });

  it('a payload recorded statement by statement has no frame boxes', () => {
    const p = framesPayload(2);
    for (const s of p.steps) {
      delete s.frames;
      delete s.event;
    }
    expect(buildModel(stepPayload(p, 0).payload).frames).toBeNull();
  });

  it('caps the calls and the locals drawn, and says so', () => {
    const calls = Array.from({ length: 1000 }, (_, i) => ({
      call: i + 1,
      function: 'f',
      line: 1,
      names: Array.from({ length: i === 999 ? 500 : 1 }, (_, k) => ({
        name: `v${k}`,
        object: '0x10'
      })),
      truncated: i === 999 ? 7 : undefined
    }));
    const layout = framesOf({ frames: { calls } }, [])!;
    expect(layout.frames).toHaveLength(MAX_FRAMES_DRAWN + 1);
    expect(layout.frames[0].notes).toEqual([
      `… ${1000 - MAX_FRAMES_DRAWN} outer calls not drawn`
    ]);
    // The innermost calls are the ones drawn.
    expect(layout.frames[MAX_FRAMES_DRAWN].call).toBe(1000);
    expect(layout.frames[MAX_FRAMES_DRAWN].notes).toEqual([
      `… ${500 - MAX_LOCALS_DRAWN + 7} more locals not drawn`
    ]);
    expect(
      layout.bindings.filter(b => b.frame === MAX_FRAMES_DRAWN)
    ).toHaveLength(MAX_LOCALS_DRAWN);
  });
});

describe('the stack of frame boxes (diagram)', () => {
  it('stacks the frames, names inside their box, arrows from each name', () => {
    const p = framesPayload(4);
    const model = buildModel(stepPayload(p, deepest(p)).payload);
    const { svg } = buildDiagram(document, model, { maxObjects: 100 });
    const boxes = frameBoxes(svg);
    expect(boxes.map(b => b.getAttribute('data-call'))).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4'
    ]);
    expect(
      boxes.map(
        b => b.querySelector('.jp-Redpill-stackFrameTitle')!.textContent
      )
    ).toEqual(['Global frame', 'fact', 'fact', 'fact', 'fact']);
    expect(
      boxes.map(b => b.querySelector('.jp-Redpill-stackFrameLine')?.textContent)
    ).toEqual([undefined, 'line 4', 'line 4', 'line 4', 'line 3']);
    // The innermost frame is the current one.
    expect(
      boxes.map(b => b.classList.contains('jp-Redpill-stackFrame-current'))
    ).toEqual([false, false, false, false, true]);
    // Stacked top to bottom without overlapping.
    const rects = boxes.map(frameRect);
    for (let i = 1; i < rects.length; i++) {
      expect(rects[i].y).toBeGreaterThanOrEqual(
        rects[i - 1].y + rects[i - 1].height
      );
    }
    // Every name row lies inside its frame's box.
    for (const g of svg.querySelectorAll('.jp-Redpill-name')) {
      const call = g.getAttribute('data-frame')!;
      const box =
        rects[boxes.findIndex(b => b.getAttribute('data-call') === call)];
      const r = nameRect(g);
      expect(r.x).toBeGreaterThanOrEqual(box.x);
      expect(r.y).toBeGreaterThanOrEqual(box.y);
      expect(r.x + r.width).toBeLessThanOrEqual(box.x + box.width);
      expect(r.y + r.height).toBeLessThanOrEqual(box.y + box.height);
    }
    // Objects right of the stack.
    const stackRight = Math.max(...rects.map(r => r.x + r.width));
    for (const b of svg.querySelectorAll('.jp-Redpill-box')) {
      expect(boxRect(b).x).toBeGreaterThan(stackRight);
    }
    // Each frame's n points at its own int, drawn from inside its frame.
    const arrows = [...svg.querySelectorAll('.jp-Redpill-arrow-name')].filter(
      a => a.getAttribute('data-frame') !== '0'
    );
    expect(arrows.map(a => a.getAttribute('data-frame'))).toEqual([
      '1',
      '2',
      '3',
      '4'
    ]);
    arrows.forEach((a, i) => {
      const target = svg.querySelector(
        `.jp-Redpill-box[data-address="${a.getAttribute('data-to')}"]`
      )!;
      expect(target.getAttribute('aria-label')).toContain(`value ${4 - i}`);
      const tail = a.querySelector('.jp-Redpill-arrowTail')!;
      const box = rects[i + 1];
      const y = Number(tail.getAttribute('cy'));
      expect(y).toBeGreaterThan(box.y);
      expect(y).toBeLessThan(box.y + box.height);
    });
    // The text alternative tells the frames.
    expect(svg.getAttribute('aria-label')).toContain('4 call frames');
    expect(svg.getAttribute('aria-label')).toContain('fact: n → int 4');
  });

  it('shows the return value on the returning frame', () => {
    const p = framesPayload(4);
    const i = p.steps.findIndex(
      (s: any) => s.event === 'return' && s.frames.length === 1
    );
    const { svg } = buildDiagram(
      document,
      buildModel(stepPayload(p, i).payload),
      { maxObjects: 100 }
    );
    const row = svg.querySelector('.jp-Redpill-name-return')!;
    expect(row.getAttribute('data-frame')).toBe('1');
    expect(row.textContent).toBe('Return value');
    const arrow = [...svg.querySelectorAll('.jp-Redpill-arrow-name')].find(
      a => a.getAttribute('data-label') === 'Return value'
    )!;
    const target = svg.querySelector(
      `.jp-Redpill-box[data-address="${arrow.getAttribute('data-to')}"]`
    )!;
    expect(target.getAttribute('aria-label')).toContain('value 24');
  });

  it('draws a suspended generator frame dimmed', () => {
    const p = framesPayload(2);
    const i = deepest(p);
    p.steps[i].frames[0].state = 'suspended';
    p.steps[i].frames[0].function = 'gen';
    expect(validatePayload(p).ok).toBe(true);
    const { svg } = buildDiagram(
      document,
      buildModel(stepPayload(p, i).payload),
      { maxObjects: 100 }
    );
    const [, suspended, active] = frameBoxes(svg);
    expect(
      suspended.classList.contains('jp-Redpill-stackFrame-suspended')
    ).toBe(true);
    expect(suspended.getAttribute('data-function')).toBe('gen');
    expect(
      suspended.querySelector('.jp-Redpill-stackFrameLine')!.textContent
    ).toMatch(/suspended/);
    expect(active.classList.contains('jp-Redpill-stackFrame-active')).toBe(
      true
    );
  });

  it('shows an exception on the frame that raised it', () => {
    const p = framesPayload(3);
    const i = deepest(p);
    p.steps[i].event = 'exception';
    p.steps[i].exception = {
      type: 'ValueError',
      message: 'n too small',
      caught: true
    };
    expect(validatePayload(p).ok).toBe(true);
    const { svg } = buildDiagram(
      document,
      buildModel(stepPayload(p, i).payload),
      { maxObjects: 100 }
    );
    const raised = [...svg.querySelectorAll('.jp-Redpill-stackFrameException')];
    expect(raised).toHaveLength(1);
    expect(raised[0].textContent).toBe(
      'raised ValueError: n too small (caught)'
    );
    expect(
      raised[0].closest('.jp-Redpill-stackFrame')!.getAttribute('data-call')
    ).toBe('3');
  });
});

describe('stepping through every step (widget)', () => {
  let widget: RenderedRedpill | null = null;
  afterEach(() => {
    widget?.dispose();
    widget = null;
  });

  it('the slider reaches every step: frames, line, label follow (1 → 4 → 1)', async () => {
    const p = framesPayload(4);
    widget = await render(p, { staticCopies: false });
    const node = widget.node;
    expect(slider(node).max).toBe(String(p.steps.length));
    const depths: number[] = [];
    for (let i = 0; i < p.steps.length; i++) {
      slideTo(node, i);
      const step = p.steps[i];
      depths.push(frameBoxes(node).length - 1);
      expect(
        node.querySelector('.jp-Redpill-stepLabel')!.textContent
      ).toContain(`Step ${i + 1} of ${p.steps.length} (line ${step.lines[0]})`);
      const current = [
        ...node.querySelectorAll('.jp-Redpill-sourceLine.jp-Redpill-current')
      ];
      expect(current.map(r => r.getAttribute('data-line'))).toEqual([
        String(step.lines[0])
      ]);
      expect(current[0].querySelector('mark')!.textContent).toBe(
        p.source.split('\n')[step.lines[0] - 1]
      );
    }
    // Depth 0 → 1 → 2 → 3 → 4 and back to 0, never skipping a level.
    expect(Math.max(...depths)).toBe(4);
    for (let i = 1; i < depths.length; i++) {
      expect(Math.abs(depths[i] - depths[i - 1])).toBeLessThanOrEqual(1);
    }
    expect(depths[0]).toBe(0);
    expect(depths[depths.length - 1]).toBe(0);
    // The events read in the label.
    slideTo(node, 1);
    expect(node.querySelector('.jp-Redpill-stepLabel')!.textContent).toMatch(
      /· call fact$/
    );
    const ret = p.steps.findIndex((s: any) => s.event === 'return');
    slideTo(node, ret);
    expect(node.querySelector('.jp-Redpill-stepLabel')!.textContent).toMatch(
      /· fact returns$/
    );
  });

  it('keeps one box per call across steps (data-call)', async () => {
    const p = framesPayload(3);
    widget = await render(p, { staticCopies: false });
    const node = widget.node;
    const seen = new Map<string, string>();
    for (let i = 0; i < p.steps.length; i++) {
      slideTo(node, i);
      for (const box of frameBoxes(node).slice(1)) {
        const call = box.getAttribute('data-call')!;
        const n = node
          .querySelector(`.jp-Redpill-name[data-frame="${call}"]`)!
          .getAttribute('data-target')!;
        // A call keeps its argument: the same n in every step it is active.
        expect(seen.get(call) ?? n).toBe(n);
        seen.set(call, n);
      }
    }
    expect([...seen.keys()]).toEqual(['1', '2', '3']);
  });

  it('previous/next and arrow keys move one step; the line mark moves', async () => {
    const p = framesPayload(2);
    widget = await render(p, { staticCopies: false });
    const node = widget.node;
    const steps = node.querySelector<HTMLElement>('.jp-Redpill-steps')!;
    expect(steps.dataset.step).toBe(String(p.steps.length - 1));
    node.querySelector<HTMLButtonElement>('.jp-Redpill-stepPrev')!.click();
    expect(steps.dataset.step).toBe(String(p.steps.length - 2));
    steps.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft' }));
    expect(steps.dataset.step).toBe(String(p.steps.length - 3));
    steps.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight' }));
    expect(steps.dataset.step).toBe(String(p.steps.length - 2));
    expect(
      node.querySelectorAll('.jp-Redpill-sourceLine.jp-Redpill-current')
    ).toHaveLength(1);
  });

  it('a fast drag over hundreds of steps draws the last value', async () => {
    const p = framesPayload(6, 300);
    widget = await render(p, { staticCopies: false });
    const node = widget.node;
    const s = slider(node);
    for (let i = 1; i <= p.steps.length; i += 3) {
      s.value = String(i);
      s.dispatchEvent(new Event('input'));
    }
    s.value = '5';
    s.dispatchEvent(new Event('input'));
    // The label follows at once; the diagram within a frame.
    expect(node.querySelector('.jp-Redpill-stepLabel')!.textContent).toMatch(
      /^Step 5 of /
    );
    await new Promise(resolve => requestAnimationFrame(() => resolve(null)));
    expect(frameBoxes(node)).toHaveLength(p.steps[4].frames.length + 1);
    expect(node.querySelector('.jp-Redpill-stepChanges')!.textContent).toMatch(
      /^Step 5:/
    );
  });

  it('shows what the cell printed so far, this step marked', async () => {
    const p = framesPayload(3, 2);
    widget = await render(p, { staticCopies: false });
    const node = widget.node;
    const now = () => node.querySelector('.jp-Redpill-stdoutNow')!.textContent;
    const all = () => node.querySelector('.jp-Redpill-stdoutText')!.textContent;
    // Last step: three prints of 6.
    expect(now()).toBe('6\n');
    expect(all()).toBe('6\n6\n6\n');
    const first = p.steps.findIndex((s: any) => s.stdout);
    slideTo(node, first - 1);
    expect(now()).toBe('');
    expect(all()).toBe('');
    slideTo(node, first);
    expect(now()).toBe('6\n');
    expect(all()).toBe('6\n');
  });

  it('says how many steps were recorded of how many ran', async () => {
    const p = framesPayload(2);
    p.step_counts = { recorded: p.steps.length, executed: 5000, exact: false };
    widget = await render(p, { staticCopies: false });
    expect(
      widget.node.querySelector('.jp-Redpill-stepCounts')!.textContent
    ).toBe(
      `${p.steps.length} steps recorded, then the cell ran on without recording: more than 5000 lines executed.`
    );
    expect(stepCountsText({ recorded: 12, executed: 9, exact: true })).toBe(
      '12 steps recorded: every line executed (9 lines), and each call, return and raise.'
    );
    expect(stepCountsText({ recorded: 1, executed: 1, exact: true })).toBe(
      '1 step recorded: every line executed (1 line).'
    );
    expect(stepCountsText({ recorded: 3, executed: 8, exact: true })).toBe(
      '3 steps recorded of 8 lines executed.'
    );
  });

  it('lists a frame local as a holder and explains the refcount', async () => {
    const p = framesPayload(4);
    const i = deepest(p);
    widget = await render(p, { staticCopies: false });
    const node = widget.node;
    slideTo(node, i);
    const four = p.steps[i].frames[0].names[0].object;
    node
      .querySelector(`.jp-Redpill-box[data-address="${four}"]`)!
      .dispatchEvent(new MouseEvent('click', { bubbles: true }));
    const holders = [
      ...node.querySelectorAll('.jp-Redpill-holdersList li')
    ].map(li => li.textContent);
    expect(holders).toEqual(['frame fact: n']);
    expect(
      node.querySelector('.jp-Redpill-holdersList')!.textContent
    ).toContain(
      'A local variable of an active call holds one of the references'
    );
    // The box's header says so too.
    expect(
      node.querySelector(
        `.jp-Redpill-box[data-address="${four}"] .jp-Redpill-holders`
      )!.textContent
    ).toBe('held by frame fact: n');
  });
});

describe('quiz questions about frames', () => {
  it('shows the prompt and hides the answer in the frame', async () => {
    const p = framesPayload(3);
    const last = p.steps.length - 1;
    const i = deepest(p);
    // The question is about the innermost n at its deepest step; the kernel
    // chooses, the renderer shows the prompt it is given.
    p.steps[last] = { ...p.steps[i] };
    const n = p.steps[i].frames[2].names[0].object;
    p.quiz = [
      {
        id: 'q1',
        field: 'refcount',
        name: 'n',
        object: n,
        frame: 3,
        step: last,
        input: 'integer',
        prompt: 'What is the refcount of n in the third frame?',
        answer: 1
      }
    ];
    expect(validatePayload(p).ok).toBe(true);
    const widget = await render(p, { staticCopies: false });
    const node = widget.node;
    expect(node.querySelector('.jp-Redpill-prompt')!.textContent).toBe(
      'What is the refcount of n in the third frame?'
    );
    const box = node.querySelector(`.jp-Redpill-box[data-address="${n}"]`)!;
    expect(box.querySelector('.jp-Redpill-refcount')!.textContent).toBe(
      'refcnt ?'
    );
    widget.dispose();
  });

  it('a same-object question about a frame masks that frame’s names', () => {
    const p = framesPayload(2);
    const view = stepPayload(p, deepest(p)).payload;
    const a = view.frames!.calls[1].names[0].object;
    const masked = maskPayload(view, [
      {
        id: 'q1',
        field: 'same-object',
        name: 'n',
        object: a,
        other: 'n',
        other_object: a,
        frame: 2,
        input: 'boolean',
        prompt: 'Same object?',
        answer: true
      }
    ]) as typeof view;
    expect(JSON.stringify(masked)).not.toContain(a);
    expect(masked.frames!.calls[0].names[0].object).not.toMatch(/\?/);
    expect(masked.frames!.calls[1].names[0].object).toMatch(/\?/);
  });
});

describe('hostile frames', () => {
  it('huge stacks, long and markup names: drawn capped, nothing injected', async () => {
    const p = framesPayload(2);
    const i = deepest(p);
    const obj = p.steps[i].frames[0].names[0].object;
    const evil = '<img src=x onerror="window.__pwned=1">\u0000\n\u2028';
    p.steps[i].frames = Array.from({ length: 1000 }, (_, k) => ({
      call: k + 1,
      function: evil.repeat(40),
      line: 2147483647,
      names: Array.from({ length: 300 }, (_, j) => ({
        name: `${evil}${j}`,
        object: j % 2 ? obj : '0xdead'
      })),
      state: k % 3 ? 'active' : 'suspended',
      truncated: Number.MAX_SAFE_INTEGER,
      ...(k === 999 ? { return: '0xbeef' } : {})
    }));
    p.steps[i].exception = { type: evil.repeat(40), message: evil.repeat(500) };
    p.steps[i].stdout = evil.repeat(1000);
    expect(validatePayload(p).ok).toBe(true);
    const widget = await render(p, { staticCopies: false });
    const node = widget.node;
    slideTo(node, i);
    expect(node.querySelector('img')).toBeNull();
    expect((window as any).__pwned).toBeUndefined();
    expect(frameBoxes(node)).toHaveLength(MAX_FRAMES_DRAWN + 1);
    for (const t of node.querySelectorAll(
      '.jp-Redpill-stackFrameTitle, .jp-Redpill-stackFrameException, .jp-Redpill-stackFrame .jp-Redpill-muted'
    )) {
      expect(Array.from(t.textContent!).length).toBeLessThanOrEqual(90);
      // eslint-disable-next-line no-control-regex -- hostile names carry control characters
      expect(t.textContent).not.toMatch(/[\n\u0000]/);
    }
    // Names whose object is missing are marked and warned about, not thrown.
    expect(
      node.querySelectorAll('.jp-Redpill-name-missing').length
    ).toBeGreaterThan(0);
    expect(
      node.querySelector('.jp-Redpill-stdoutNow')!.textContent!.length
    ).toBeLessThanOrEqual(10000);
    widget.dispose();
  }, 60000);

  it('frames naming objects not in the step draw, with a warning', () => {
    const p = framesPayload(2);
    const i = deepest(p);
    p.steps[i].frames[0].names.push({ name: 'ghost', object: '0x1234' });
    const model = buildModel(stepPayload(p, i).payload);
    expect(model.warnings).toEqual([
      "Name 'ghost' in frame fact holds 0x1234, which is not among the payload's objects."
    ]);
    expect(() =>
      buildDiagram(document, model, { maxObjects: 100 })
    ).not.toThrow();
  });

  it('the output so far stays bounded', () => {
    const steps: any[] = Array.from({ length: 1000 }, () => ({
      stdout: 'x'.repeat(100000)
    }));
    const out = outputUpTo(steps, 999);
    expect(out.now.length).toBeLessThanOrEqual(10000);
    expect(out.before.length + out.now.length).toBeLessThanOrEqual(10000);
    expect(out.clipped).toBe(true);
  });
});

describe('real kernel recordings (fixtures from ipykernel)', () => {
  /** Step through a fixture in a widget; `check` sees each step. */
  async function sweep(
    name: string,
    check: (node: HTMLElement, step: any, i: number) => void
  ): Promise<any> {
    const p = fixture(name);
    expect(validatePayload(p).ok).toBe(true);
    // (as the kernel sends them: unchanged items as indices into the step before)
    const steps = wholeSteps(p);
    const widget = await render(p, { staticCopies: false });
    try {
      for (let i = 0; i < steps.length; i++) {
        slideTo(widget.node, i);
        // The drawn frames are the step's calls, under the global frame.
        expect(
          frameBoxes(widget.node).map(b => b.getAttribute('data-call'))
        ).toEqual(['0', ...steps[i].frames!.map(f => String(f.call))]);
        check(widget.node, steps[i], i);
      }
    } finally {
      widget.dispose();
    }
    return p;
  }

  /** The repr of the box a name row of frame `call` points at. */
  function local(node: Element, call: number, name: string): string {
    const row = node.querySelector(
      `.jp-Redpill-name[data-frame="${call}"][data-name="${name}"]`
    )!;
    const box = node.querySelector(
      `.jp-Redpill-box[data-address="${row.getAttribute('data-target')}"]`
    )!;
    return /value ([^,]+)/.exec(box.getAttribute('aria-label')!)![1];
  }

  it('factorial(4): depth 0 → 4 → 0, n = 4 … 1, returns 24, prints 24', async () => {
    const depths: number[] = [];
    const returned: string[] = [];
    const p = await sweep('steps-frames.json', (node, step) => {
      depths.push(step.frames.length);
      step.frames.forEach((f: any, k: number) =>
        expect(local(node, f.call, 'n')).toBe(String(4 - k))
      );
      if (step.event === 'return') {
        const row = node.querySelector('.jp-Redpill-name-return')!;
        const box = node.querySelector(
          `.jp-Redpill-box[data-address="${row.getAttribute('data-target')}"]`
        )!;
        returned.push(
          /value ([^,]+)/.exec(box.getAttribute('aria-label')!)![1]
        );
      }
      const marked = node.querySelector(
        '.jp-Redpill-sourceLine.jp-Redpill-current'
      )!;
      expect(marked.getAttribute('data-line')).toBe(String(step.lines[0]));
    });
    expect(Math.max(...depths)).toBe(4);
    expect(depths[0]).toBe(0);
    expect(depths[depths.length - 1]).toBe(0);
    expect(returned).toEqual(['1', '2', '6', '24']);
    const widget = await render(p, { staticCopies: false });
    expect(
      widget.node.querySelector('.jp-Redpill-stdoutNow')!.textContent
    ).toBe('24\n');
    expect(
      widget.node.querySelector('.jp-Redpill-stepCounts')!.textContent
    ).toBe(
      `${p.step_counts.recorded} steps recorded: every line executed (${p.step_counts.executed} lines), and each call, return and raise.`
    );
    widget.dispose();
  });

  it('a generator: its frame is drawn dimmed while suspended', async () => {
    const states: string[] = [];
    await sweep('steps-generator.json', (node, step) => {
      for (const f of step.frames) {
        const box = node.querySelector(
          `.jp-Redpill-stackFrame[data-call="${f.call}"]`
        )!;
        const suspended = box.classList.contains(
          'jp-Redpill-stackFrame-suspended'
        );
        expect(suspended).toBe(f.state === 'suspended');
        states.push(suspended ? 'suspended' : 'active');
      }
    });
    expect(states).toContain('suspended');
    expect(states).toContain('active');
  });

  it('an exception raised in a nested call and caught outside', async () => {
    const shown: string[] = [];
    await sweep('steps-exception.json', (node, step) => {
      const raised = [
        ...node.querySelectorAll('.jp-Redpill-stackFrameException')
      ];
      if (step.event === 'exception') {
        expect(raised).toHaveLength(1);
        const owner = raised[0].closest('.jp-Redpill-stackFrame')!;
        expect(owner.getAttribute('data-call')).toBe(
          String(step.frames[step.frames.length - 1].call)
        );
        shown.push(
          `${owner.getAttribute('data-function')}: ${raised[0].textContent}`
        );
      } else {
        expect(raised).toHaveLength(0);
      }
    });
    // Raised in inner, then unwinding into outer, where it is caught.
    expect(shown).toEqual([
      'inner: raised ValueError: bad 42 (caught)',
      'outer: raised ValueError: bad 42 (caught)'
    ]);
  });
});

describe('what a step did in its calls (the step line)', () => {
  it('calls, returns, exceptions and locals bound, in words', async () => {
    const said = async (name: string): Promise<string[]> => {
      const p = fixture(name);
      const widget = await render(p, { staticCopies: false });
      const out: string[] = [];
      for (let i = 0; i < p.steps.length; i++) {
        slideTo(widget.node, i);
        out.push(
          widget.node.querySelector('.jp-Redpill-stepChanges')!.textContent!
        );
      }
      widget.dispose();
      return out;
    };
    const fact = await said('steps-frames.json');
    expect(fact[1]).toMatch(/^Step 2: called fact\(n\)(;|$)/);
    expect(
      fact
        .filter(t => / returns /.test(t))
        .map(t => /returns int (\d+)/.exec(t)![1])
    ).toEqual(['1', '2', '6', '24']);
    const raised = await said('steps-exception.json');
    expect(
      raised.filter(t => /raised/.test(t)).map(t => t.split(';')[0])
    ).toEqual([
      'Step 6: ValueError raised in inner',
      'Step 7: ValueError raised in outer'
    ]);
    expect(raised[7]).toMatch(/^Step 8: in outer: bound e(;|$)/);
  });
});

describe('a question about one step', () => {
  it('opens the timeline at that step, the prompt shown, n hidden', async () => {
    const p = fixture('steps-frames.json');
    const steps = wholeSteps(p);
    const k = steps.findIndex(s => s.frames!.length === 3);
    const call = steps[k].frames![2];
    p.quiz = [
      {
        id: 'q1',
        field: 'refcount',
        name: 'n',
        object: call.names[0].object,
        frame: call.call,
        step: k,
        input: 'integer',
        prompt: 'At this step, what is the refcount of n in the third frame?',
        answer: 1
      }
    ];
    expect(validatePayload(p).ok).toBe(true);
    const widget = await render(p, { staticCopies: false });
    const node = widget.node;
    expect(
      node.querySelector<HTMLElement>('.jp-Redpill-steps')!.dataset.step
    ).toBe(String(k));
    expect(frameBoxes(node)).toHaveLength(4);
    expect(node.querySelector('.jp-Redpill-prompt')!.textContent).toBe(
      'At this step, what is the refcount of n in the third frame?'
    );
    const box = node.querySelector(
      `.jp-Redpill-box[data-address="${call.names[0].object}"]`
    )!;
    expect(box.querySelector('.jp-Redpill-refcount')!.textContent).toBe(
      'refcnt ?'
    );
    widget.dispose();
  });
});

describe('the static copies of a step with frames', () => {
  it('keep the frame boxes, dimmed when suspended, and their data', () => {
    const p = fixture('steps-generator.json');
    const k = wholeSteps(p).findIndex(s =>
      s.frames!.some(f => f.state === 'suspended')
    );
    const { svg } = buildDiagram(
      document,
      buildModel(stepPayload(p, k).payload),
      { maxObjects: 100 }
    );
    const markup = svgMarkup(staticSvg(svg, LIGHT_PALETTE));
    const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
    const box = doc.querySelector('g[data-call="1"]')!;
    expect(box.getAttribute('data-function')).toBe('squares');
    expect(box.getAttribute('opacity')).toBe('0.55');
    expect(
      doc.querySelectorAll('g[data-frame="1"][data-name]').length
    ).toBeGreaterThan(0);
  });
});
