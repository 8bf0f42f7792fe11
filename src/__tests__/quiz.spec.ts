/**
 * --quiz: no answer can be seen before reveal (the masked payload, the drawn
 * SVG and the details panel), checking predictions, and the state kept in
 * the output's metadata.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';

import type { Question, RedpillPayload } from '../model/payload.generated';
import { HIDDEN, maskPayload } from '../quiz/mask';
import { checkPrediction, quizStateOf, withQuizState } from '../quiz/quiz';
import { MIME_TYPE } from '../tokens';
import { RenderedRedpill } from '../widget';
import { fixture } from './helpers';

const quiz = (): RedpillPayload => fixture('quiz.json');
const all = (): RedpillPayload => fixture('quiz-all.json');

function shown(node: Element): string {
  // Everything a learner can see or hear: text and the accessible labels.
  const labels = [...node.querySelectorAll('[aria-label],[title]')].map(
    e =>
      `${e.getAttribute('aria-label') ?? ''} ${e.getAttribute('title') ?? ''}`
  );
  return `${node.textContent ?? ''} ${labels.join(' ')}`;
}

function addressBytes(address: string): string {
  return (address.slice(2).padStart(16, '0').match(/../g) ?? [])
    .reverse()
    .join('');
}

describe('checking predictions', () => {
  const q = (field: string, input: string, answer: unknown) =>
    ({
      id: 'q',
      field,
      input,
      answer,
      name: 'x',
      object: '0x1',
      prompt: ''
    }) as Question;
  it.each([
    [q('refcount', 'integer', 2), '2', true],
    [q('refcount', 'integer', 2), ' 3 ', false],
    [q('refcount', 'integer', 2), 'two', null],
    [q('same-object', 'boolean', true), 'yes', true],
    [q('same-object', 'boolean', true), 'no', false],
    [q('digits', 'integer-list', [1042]), '[1042]', true],
    [q('digits', 'integer-list', [1, 2]), '1, 2', true],
    [q('address', 'text', '0x7f00ab'), '0x7F00AB', true],
    [q('type', 'text', 'int'), 'Int', true],
    [q('type', 'text', 'int'), '', null]
  ])('%#', (question, text, expected) => {
    expect(checkPrediction(question, text)).toBe(expected);
  });
});

describe('masking', () => {
  it('refcount: text, holders, ob_refcnt field and bytes', () => {
    const p = quiz();
    const m = maskPayload(
      p,
      p.quiz!.filter(q => q.field === 'refcount')
    );
    const q = p.quiz![0];
    const obj = m.objects.find(o => o.address === q.object)!;
    expect(obj.refcount as unknown).toBe(HIDDEN);
    expect(obj.holders).toBeUndefined();
    expect(obj.unexplained).toBeUndefined();
    expect(obj.refcount_raw).toBeUndefined();
    const f = obj.fields!.find(x => x.name === 'ob_refcnt')!;
    expect(f.value).toBe(HIDDEN);
    expect(obj.memory!.hex.slice(0, 16)).toBe('?'.repeat(16));
    expect(m.quiz).toBeUndefined();
    // The input is not changed.
    expect(p.objects.find(o => o.address === q.object)!.refcount).toBe(2);
  });

  it('same-object: neither the boxes nor the arrows nor the addresses tell', () => {
    const p = quiz();
    const q = p.quiz!.find(x => x.field === 'same-object')!;
    const m = maskPayload(p, [q]);
    const text = JSON.stringify(m);
    expect(text).not.toContain(q.object);
    expect(m.objects.find(o => o.address === q.object)).toBeUndefined();
    expect(m.names.map(n => n.object)).toEqual(['0x?', '0x?']);
    // Items reachable only through the pair are not drawn either.
    expect(m.objects).toHaveLength(0);
  });

  it('address: every text and pointer byte of it is masked', () => {
    const p = all();
    const qs = p.quiz!.filter(q => q.field === 'address');
    const m = maskPayload(p, qs);
    const text = JSON.stringify(m);
    for (const q of qs) {
      expect(text).not.toContain(q.object.slice(2));
      expect(text).not.toContain(addressBytes(q.object));
    }
  });

  it('answers revealed are drawn again', () => {
    const p = quiz();
    const m = maskPayload(p, p.quiz!, new Set(['q1', 'q2']));
    expect(m).toBe(p);
  });

  it('hidden_fields mask every object for the whole notebook', () => {
    const p: RedpillPayload = fixture('hidden.json');
    const m = maskPayload(p);
    const text = JSON.stringify(m);
    for (const obj of p.objects) {
      expect(text).not.toContain(obj.address);
    }
    expect(m.objects.every(o => (o.refcount as unknown) === HIDDEN)).toBe(true);
  });
});

function model(data: unknown, metadata: Record<string, unknown> = {}) {
  const m = {
    trusted: false,
    data: { [MIME_TYPE]: data } as IRenderMime.IMimeModel['data'],
    metadata: metadata as IRenderMime.IMimeModel['metadata'],
    setData(options: IRenderMime.IMimeModel.ISetDataOptions) {
      if (options.data) {
        m.data = options.data;
      }
      if (options.metadata) {
        m.metadata = options.metadata;
      }
      calls.push(options);
    }
  };
  const calls: IRenderMime.IMimeModel.ISetDataOptions[] = [];
  return { m, calls };
}

async function widgetFor(mm: IRenderMime.IMimeModel) {
  const w = new RenderedRedpill(
    {
      mimeType: MIME_TYPE,
      sanitizer: {} as never,
      resolver: null,
      linkHandler: null,
      latexTypesetter: null
    },
    { staticCopies: false }
  );
  document.body.appendChild(w.node);
  await w.renderModel(mm);
  return w;
}

describe('the quiz in the widget', () => {
  it('no answer is visible before reveal, for every field asked', async () => {
    const p = all();
    const { m } = model(p);
    const w = await widgetFor(m);
    const text = shown(w.node);
    for (const q of p.quiz!) {
      if (q.field === 'address') {
        expect(text).not.toContain(q.object);
      }
    }
    // The boxes of the names asked about (n and l): nothing answered.
    const asked = [
      ...w.node.querySelectorAll('.jp-Redpill-box[data-address^="0x?"]')
    ];
    expect(asked).toHaveLength(2);
    for (const box of asked) {
      const seen = shown(box);
      expect(seen).not.toMatch(/refcnt \d/);
      expect(seen).not.toMatch(/ob_digit|allocated|ob_size|lv_tag/);
      expect(seen).not.toMatch(/\bint\b|\blist\b|1042|\[1, 2, 3\]/);
      expect(seen).not.toMatch(/immortal|small-int|bytes/);
    }
    // Nor in the details panel, once a box is selected.
    asked[0].dispatchEvent(new MouseEvent('click', { bubbles: true }));
    const details = shown(w.node.querySelector('.jp-Redpill-details')!);
    expect(details).not.toMatch(/refcnt \d|ob_refcnt \d|1042/);
    expect(
      w.node.querySelectorAll('.jp-Redpill-answer:not(:empty)')
    ).toHaveLength(0);
    expect(w.node.querySelectorAll('.jp-Redpill-question')).toHaveLength(16);
    expect(w.node.querySelectorAll('label[for]').length).toBeGreaterThanOrEqual(
      16
    );
    w.dispose();
  });

  it('Check says right or wrong, Reveal shows the answer; state is stored', async () => {
    const { m, calls } = model(quiz());
    const w = await widgetFor(m);
    const item = w.node.querySelector<HTMLElement>('[data-question="q1"]')!;
    const input = item.querySelector<HTMLInputElement>('input')!;
    input.value = '3';
    item.querySelector<HTMLButtonElement>('.jp-Redpill-check')!.click();
    expect(item.dataset.result).toBe('wrong');
    expect(item.querySelector('[aria-live]')!.textContent).toBe('✗ Not quite');
    expect(item.textContent).not.toContain('Answer');
    input.value = '2';
    item.querySelector<HTMLButtonElement>('.jp-Redpill-check')!.click();
    expect(item.dataset.result).toBe('right');
    expect(w.node.querySelector('svg.jp-Redpill-svg')!.textContent).not.toMatch(
      /refcnt 2/
    );
    item.querySelector<HTMLButtonElement>('.jp-Redpill-reveal')!.click();
    expect(item.querySelector('.jp-Redpill-answer')!.textContent).toBe(
      'Answer: 2'
    );
    // The list stays hidden while same-object (q2) is open.
    expect(w.node.querySelector('svg.jp-Redpill-svg')!.textContent).not.toMatch(
      /refcnt 2/
    );
    w.node
      .querySelector<HTMLButtonElement>(
        '[data-question="q2"] .jp-Redpill-reveal'
      )!
      .click();
    expect(w.node.querySelector('svg.jp-Redpill-svg')!.textContent).toMatch(
      /refcnt 2/
    );
    const last = calls[calls.length - 1];
    expect(last.data).toBe(m.data);
    expect(quizStateOf(last.metadata)).toEqual({
      q1: { value: '2', correct: true, revealed: true },
      q2: { value: '', correct: null, revealed: true }
    });
    // setData re-renders: idempotent, the panel keeps its state.
    await w.renderModel(m as unknown as IRenderMime.IMimeModel);
    expect(
      w.node.querySelector<HTMLElement>('[data-question="q1"]')!.dataset.result
    ).toBe('right');
    w.dispose();
  });

  it('a stored state is shown again after reload', async () => {
    const p = quiz();
    const metadata = withQuizState(
      { other: 1 },
      {
        q2: { value: 'yes', correct: true, revealed: false }
      }
    );
    const { m } = model(p, metadata);
    const w = await widgetFor(m);
    const item = w.node.querySelector<HTMLElement>('[data-question="q2"]')!;
    expect(item.dataset.result).toBe('right');
    expect(item.querySelector('select')!.value).toBe('yes');
    expect(item.querySelector('.jp-Redpill-answer')!.textContent).toBe('');
    w.dispose();
    expect(quizStateOf({ redpill: { quiz: 'junk' } })).toEqual({});
  });
});

describe('the quiz with --steps', () => {
  it('the step changes do not tell an asked refcount', async () => {
    const p: RedpillPayload = fixture('steps.json');
    const b = p.names[0];
    p.quiz = [
      {
        id: 'q1',
        field: 'refcount',
        name: b.name,
        object: b.object,
        input: 'integer',
        prompt: 'What is the reference count of the object b names?',
        answer: 1
      }
    ];
    const { m } = model(p);
    const w = await widgetFor(m);
    const text = shown(w.node);
    expect(text).not.toMatch(/refcnt \d|refcount \d|refcount of/);
    expect(w.node.querySelectorAll('.jp-Redpill-changeBadge')).toHaveLength(0);
    // Earlier steps neither.
    w.node.querySelector<HTMLButtonElement>('.jp-Redpill-stepPrev')!.click();
    expect(shown(w.node)).not.toMatch(/refcnt \d|refcount \d|refcount of/);
    expect(w.node.querySelector('.jp-Redpill-stepChanges')!.textContent).toBe(
      'Step 2: bound b'
    );
    w.dispose();
  });
});
