/**
 * --steps controls: previous/next buttons, a slider, ←/→ keys, the step's
 * changes (announced politely), how many steps were recorded of how many
 * ran, the cell's source with the current line highlighted and what the cell
 * printed so far. Text only (createElement/textContent). A fast drag of the
 * slider redraws at most once per animation frame.
 */
import { DisposableSet } from '../disposable';

import type { RedpillPayload } from '../model/payload.generated';
import { freshId, htmlEl as el, listen } from '../dom';
import { clip } from '../model/model';
import { plural } from '../text';
import type { WholeStep as Step } from './model';

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

/** Characters of a function name in the step's label. */
const FUNCTION_CHARS = 40;
/** Characters of the output shown (the end of what the cell printed so far). */
export const OUTPUT_CHARS = 10000;

/**
 * The cell's source, one row per line, with the lines of the current step
 * marked. The rows are built once; moving to another step re-marks only the
 * rows that change, so stepping stays cheap on a long cell. A newline that
 * ends the source ends its last line: it makes no empty row of its own.
 */
export class SourceView {
  /** Fill `pre` with the rows of `source`. */
  constructor(
    private readonly _doc: Document,
    readonly pre: HTMLElement,
    source: string
  ) {
    pre.replaceChildren();
    this._lines = source.replace(/\n$/, '').split('\n');
    this._rows = this._lines.map((_line, i) => {
      const row = el(_doc, 'span', 'jp-Redpill-sourceLine', undefined, pre);
      row.dataset.line = String(i + 1);
      this._fill(row, i, null);
      return row;
    });
  }

  /** Mark the lines of `step` (1-based, as the payload gives them). */
  mark(step: Step | undefined): void {
    const [first, last] = step?.lines ?? [0, -1];
    const cols = step?.columns && first === last ? step.columns : null;
    const from = Math.max(1, first);
    const to = Math.min(this._rows.length, last);
    const next = new Set<number>();
    for (let n = from; n <= to; n++) {
      next.add(n - 1);
    }
    for (const i of this._marked) {
      if (!next.has(i)) {
        this._fill(this._rows[i], i, null);
      }
    }
    for (const i of next) {
      this._fill(this._rows[i], i, cols ?? 'line');
    }
    this._marked = next;
    const firstRow = this._rows[from - 1];
    if (firstRow && next.size) {
      // Keep the marked line in view inside the source's own scroll area
      // (never scroll the notebook).
      const top = firstRow.offsetTop - this.pre.offsetTop;
      const view = this.pre.clientHeight;
      if (
        view > 0 &&
        (top < this.pre.scrollTop ||
          top > this.pre.scrollTop + view - firstRow.offsetHeight)
      ) {
        this.pre.scrollTop = Math.max(0, top - view / 3);
      }
    }
  }

  /** Draw row `i` unmarked (null), marked whole, or with columns marked. */
  private _fill(
    row: HTMLElement,
    i: number,
    mark: null | 'line' | [number, number]
  ): void {
    const doc = this._doc;
    const line = this._lines[i];
    row.replaceChildren();
    el(doc, 'span', 'jp-Redpill-lineNo', String(i + 1).padStart(3), row);
    if (mark === null) {
      row.classList.remove('jp-Redpill-current');
      row.removeAttribute('aria-current');
      row.appendChild(doc.createTextNode(line));
    } else {
      row.classList.add('jp-Redpill-current');
      row.setAttribute('aria-current', 'step');
      if (mark === 'line') {
        el(doc, 'mark', 'jp-Redpill-statement', line, row);
      } else {
        // One line: mark the statement's columns (';' separates statements).
        row.appendChild(doc.createTextNode(line.slice(0, mark[0])));
        el(
          doc,
          'mark',
          'jp-Redpill-statement',
          line.slice(mark[0], mark[1]),
          row
        );
        row.appendChild(doc.createTextNode(line.slice(mark[1])));
      }
    }
    row.appendChild(doc.createTextNode('\n'));
  }

  private _lines: string[];
  private _rows: HTMLElement[];
  private _marked = new Set<number>();
}

/** The source's lines with the lines of `step` marked (1-based lines). */
export function highlightSource(
  doc: Document,
  pre: HTMLElement,
  source: string,
  step: Step | undefined
): void {
  new SourceView(doc, pre, source).mark(step);
}

/** What happened at a step, for its label: `call fact`, `fact returns`. */
export function eventText(step: Step): string {
  const innermost = step.frames?.length
    ? step.frames[step.frames.length - 1]
    : undefined;
  const fn = innermost ? clip(innermost.function, FUNCTION_CHARS) : '';
  switch (step.event) {
    case 'call':
      return fn ? `call ${fn}` : 'call';
    case 'return':
      return fn ? `${fn} returns` : 'return';
    case 'exception':
      return step.exception
        ? `raised ${clip(step.exception.type, FUNCTION_CHARS)}`
        : 'raised';
    default:
      return step.error ? `raised ${clip(step.error, FUNCTION_CHARS)}` : '';
  }
}

/**
 * How many steps were recorded of how many lines ran: "N steps recorded, then
 * the cell ran on without recording: more than M lines executed" when it ran
 * past the cap or the steps' size budget (`exact` false),
 * else "N steps recorded: every line executed (M lines)", which says the
 * steps beyond the lines are the calls, returns and raises; null without
 * counts.
 */
export function stepCountsText(
  counts: RedpillPayload['step_counts']
): string | null {
  if (!counts) {
    return null;
  }
  const recorded = plural(counts.recorded, 'step');
  if (!counts.exact) {
    return `${recorded} recorded, then the cell ran on without recording: more than ${plural(counts.executed, 'line')} executed.`;
  }
  if (counts.recorded < counts.executed) {
    return `${recorded} recorded of ${plural(counts.executed, 'line')} executed.`;
  }
  const every = `${recorded} recorded: every line executed (${plural(counts.executed, 'line')})`;
  return counts.recorded > counts.executed
    ? `${every}, and each call, return and raise.`
    : `${every}.`;
}

/**
 * What the cell printed up to step `index` (the end of it, at most
 * OUTPUT_CHARS), split into what earlier steps printed and what this step
 * printed.
 */
export function outputUpTo(
  steps: Step[],
  index: number
): { before: string; now: string; clipped: boolean } {
  const now = clip(steps[index]?.stdout ?? '', OUTPUT_CHARS);
  const parts: string[] = [];
  let length = Array.from(now).length;
  let i = index - 1;
  for (; i >= 0 && length < OUTPUT_CHARS; i--) {
    const text = steps[i].stdout;
    if (text) {
      parts.push(text);
      length += text.length;
    }
  }
  let before = parts.reverse().join('');
  const room = OUTPUT_CHARS - Array.from(now).length;
  let clipped = i >= 0 && steps.slice(0, i + 1).some(s => s.stdout);
  if (before.length > room) {
    before = before.slice(before.length - room);
    clipped = true;
  }
  return { before, now, clipped };
}

/** What the controls show besides the steps (all optional). */
export interface IStepControlsOptions {
  /** Statements that ran after the last snapshot (payloads recorded the old way). */
  skipped?: number;
  /** How many steps were recorded of how many ran. */
  counts?: RedpillPayload['step_counts'];
}

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
  options: IStepControlsOptions = {}
): IStepControls {
  const count = steps.length;
  const id = freshId(doc, 'jp-Redpill-steps-');
  const node = el(doc, 'div', 'jp-Redpill-steps');
  node.setAttribute('role', 'group');
  node.setAttribute('aria-label', 'Timeline: the state after each step');
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
  const countsText = stepCountsText(options.counts);
  if (countsText) {
    el(doc, 'p', 'jp-Redpill-stepCounts', countsText, node);
  }
  const changes = el(doc, 'p', 'jp-Redpill-stepChanges', '', node);
  changes.setAttribute('aria-live', 'polite');
  const skipped = options.skipped ?? 0;
  if (skipped > 0) {
    el(
      doc,
      'p',
      'jp-Redpill-notice jp-Redpill-notice-info',
      `${plural(skipped, 'later statement')} ran without a snapshot.`,
      node
    );
  }
  let sourceView: SourceView | null = null;
  if (source !== undefined) {
    const pre = el(doc, 'pre', 'jp-Redpill-source', undefined, node);
    pre.setAttribute('aria-label', 'Cell source, current line marked');
    sourceView = new SourceView(doc, pre, source);
  }
  let output: { before: Text; now: HTMLElement; clipped: HTMLElement } | null =
    null;
  if (steps.some(step => step.stdout)) {
    const box = el(doc, 'div', 'jp-Redpill-stdout', undefined, node);
    el(doc, 'p', 'jp-Redpill-stdoutTitle', 'Output so far', box);
    const pre = el(doc, 'pre', 'jp-Redpill-stdoutText', undefined, box);
    pre.setAttribute(
      'aria-label',
      'What the cell printed so far, this step last'
    );
    const clipped = el(doc, 'span', 'jp-Redpill-muted', '…', pre);
    const before = doc.createTextNode('');
    pre.appendChild(before);
    const now = el(doc, 'mark', 'jp-Redpill-stdoutNow', '', pre);
    output = { before, now, clipped };
  }

  let index = -1;
  /** The step `onChange` last heard of. */
  let told = initial;
  /** Show step `i` in the controls (cheap); true when it changed. */
  const update = (i: number): boolean => {
    const j = Math.max(0, Math.min(count - 1, Math.floor(i)));
    if (j === index || Number.isNaN(j)) {
      return false;
    }
    index = j;
    slider.value = String(j + 1);
    const step = steps[j];
    const lines =
      step.lines[0] === step.lines[1]
        ? `line ${step.lines[0]}`
        : `lines ${step.lines[0]}–${step.lines[1]}`;
    const event = eventText(step);
    label.textContent = `Step ${j + 1} of ${count} (${lines})${event ? ` · ${event}` : ''}`;
    slider.setAttribute('aria-valuetext', label.textContent);
    prev.disabled = j === 0;
    next.disabled = j === count - 1;
    sourceView?.mark(step);
    if (output) {
      const text = outputUpTo(steps, j);
      output.clipped.textContent = text.clipped ? '…' : '';
      output.before.data = text.before;
      output.now.textContent = text.now;
    }
    node.dataset.step = String(j);
    return true;
  };
  const tell = () => {
    if (told !== index) {
      told = index;
      onChange(index);
    }
  };
  const show = (i: number, notify: boolean) => {
    update(i);
    if (notify) {
      tell();
    } else {
      told = index;
    }
  };
  // A drag of the slider fires many inputs: the controls follow each one;
  // the diagram (the owner's redraw) at most once per animation frame, the
  // last value winning. Releasing the slider ('change') draws at once.
  const view = doc.defaultView;
  let frame = 0;
  const onInput = () => {
    update(Number(slider.value) - 1);
    if (!view || typeof view.requestAnimationFrame !== 'function') {
      tell();
      return;
    }
    if (frame) {
      return; // drawn when the frame comes
    }
    tell();
    frame = view.requestAnimationFrame(() => {
      frame = 0;
      tell();
    });
  };
  const onRelease = () => show(Number(slider.value) - 1, true);
  const onPrev = () => show(index - 1, true);
  const onNext = () => show(index + 1, true);
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
  listeners.add(listen(slider, 'change', onRelease));
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
      if (frame && view) {
        view.cancelAnimationFrame(frame);
        frame = 0;
      }
      listeners.dispose();
      node.remove();
    }
  };
}
