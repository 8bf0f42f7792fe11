/**
 * --steps controls: previous/next buttons, a slider, ←/→ keys, the step's
 * changes (announced politely) and the cell's source with the current
 * statement highlighted. Text only (createElement/textContent).
 */
import { DisposableSet } from '../disposable';

import type { Step } from '../model/payload.generated';
import { htmlEl as el, listen } from '../dom';
import { plural } from '../text';

/** The timeline controls of a --steps output. */
export interface IStepControls {
  node: HTMLElement;
  /** The step shown (0-based). */
  readonly index: number;
  /** Show step `i` (clamped); calls `onChange` when it changes. */
  set(i: number): void;
  /** Text of what the current step changed (set by the owner). */
  describe(text: string): void;
  dispose(): void;
}

/** The source's lines with the statement of `step` marked (1-based lines). */
export function highlightSource(
  doc: Document,
  pre: HTMLElement,
  source: string,
  step: Step | undefined
): void {
  pre.replaceChildren();
  const lines = source.split('\n');
  const [first, last] = step?.lines ?? [0, -1];
  lines.forEach((line, i) => {
    const n = i + 1;
    const row = el(doc, 'span', 'jp-Redpill-sourceLine', undefined, pre);
    row.dataset.line = String(n);
    el(doc, 'span', 'jp-Redpill-lineNo', String(n).padStart(3), row);
    const current = n >= first && n <= last;
    if (current) {
      row.classList.add('jp-Redpill-current');
      row.setAttribute('aria-current', 'step');
    }
    const cols = step?.columns;
    if (current && cols && first === last) {
      // One line: mark the statement's columns (';' separates statements).
      row.appendChild(doc.createTextNode(line.slice(0, cols[0])));
      el(
        doc,
        'mark',
        'jp-Redpill-statement',
        line.slice(cols[0], cols[1]),
        row
      );
      row.appendChild(doc.createTextNode(line.slice(cols[1])));
    } else if (current) {
      el(doc, 'mark', 'jp-Redpill-statement', line, row);
    } else {
      row.appendChild(doc.createTextNode(line));
    }
    row.appendChild(doc.createTextNode('\n'));
  });
}

let counter = 0;

/**
 * Make the timeline controls, showing step `initial`; `onChange` hears every
 * step the user picks.
 */
export function createStepControls(
  doc: Document,
  steps: Step[],
  source: string | undefined,
  initial: number,
  onChange: (index: number) => void,
  skipped = 0
): IStepControls {
  const count = steps.length;
  const id = `jp-Redpill-steps-${++counter}`;
  const node = el(doc, 'div', 'jp-Redpill-steps');
  node.setAttribute('role', 'group');
  node.setAttribute('aria-label', 'Timeline: the state after each statement');
  const bar = el(doc, 'div', 'jp-Redpill-stepBar', undefined, node);
  const prev = el(doc, 'button', 'jp-Redpill-stepPrev', '◀ Previous', bar);
  prev.type = 'button';
  prev.setAttribute('aria-label', 'Previous step');
  const slider = el(doc, 'input', 'jp-Redpill-stepSlider', undefined, bar);
  slider.type = 'range';
  slider.min = '1';
  slider.max = String(count);
  slider.step = '1';
  slider.id = id;
  const label = el(doc, 'label', 'jp-Redpill-stepLabel', '', bar);
  label.htmlFor = id;
  const next = el(doc, 'button', 'jp-Redpill-stepNext', 'Next ▶', bar);
  next.type = 'button';
  next.setAttribute('aria-label', 'Next step');
  const changes = el(doc, 'p', 'jp-Redpill-stepChanges', '', node);
  changes.setAttribute('aria-live', 'polite');
  if (skipped > 0) {
    el(
      doc,
      'p',
      'jp-Redpill-notice jp-Redpill-notice-info',
      `${plural(skipped, 'later statement')} ran without a snapshot.`,
      node
    );
  }
  const pre =
    source !== undefined
      ? el(doc, 'pre', 'jp-Redpill-source', undefined, node)
      : null;
  pre?.setAttribute('aria-label', 'Cell source, current statement marked');

  let index = -1;
  const show = (i: number, notify: boolean) => {
    const j = Math.max(0, Math.min(count - 1, Math.floor(i)));
    if (j === index) {
      return;
    }
    index = j;
    slider.value = String(j + 1);
    const step = steps[j];
    const lines =
      step.lines[0] === step.lines[1]
        ? `line ${step.lines[0]}`
        : `lines ${step.lines[0]}–${step.lines[1]}`;
    label.textContent = `Step ${j + 1} of ${count} (${lines})${step.error ? ` · raised ${step.error}` : ''}`;
    slider.setAttribute('aria-valuetext', label.textContent);
    prev.disabled = j === 0;
    next.disabled = j === count - 1;
    if (pre && source !== undefined) {
      highlightSource(doc, pre, source, step);
    }
    node.dataset.step = String(j);
    if (notify) {
      onChange(j);
    }
  };
  const onPrev = () => show(index - 1, true);
  const onNext = () => show(index + 1, true);
  const onInput = () => show(Number(slider.value) - 1, true);
  const onKey = (event: KeyboardEvent) => {
    if (event.target === slider) {
      return; // the slider handles its own arrows
    }
    if (event.key === 'ArrowLeft') {
      event.preventDefault();
      onPrev();
    } else if (event.key === 'ArrowRight') {
      event.preventDefault();
      onNext();
    }
  };
  const listeners = new DisposableSet();
  listeners.add(listen(prev, 'click', onPrev));
  listeners.add(listen(next, 'click', onNext));
  listeners.add(listen(slider, 'input', onInput));
  listeners.add(listen(slider, 'change', onInput));
  listeners.add(listen(node, 'keydown', onKey));
  show(initial, false);
  return {
    node,
    get index() {
      return index;
    },
    set: (i: number) => show(i, true),
    describe(text: string) {
      changes.textContent = text;
    },
    dispose() {
      listeners.dispose();
      node.remove();
    }
  };
}
