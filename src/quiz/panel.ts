/**
 * --quiz inputs: one labelled input per question, Check (right or wrong,
 * announced) and Reveal (shows the answer, and the value in the diagram).
 * The answer is put in the DOM only when revealed. Text only.
 */
import { DisposableSet } from '../disposable';

import type { Question } from '../model/payload.generated';
import {
  answerText,
  checkPrediction,
  IAnswerState,
  inputHint,
  QuizState
} from './quiz';
import { freshId, htmlEl as el, listen } from '../dom';
import { emptyRecord, own } from '../model/own';
import { plural } from '../text';

/** The questions of a --quiz output, with the learner's current answers. */
export interface IQuizPanel {
  node: HTMLElement;
  readonly state: QuizState;
  dispose(): void;
}

/**
 * `onChange(state, revealChanged)` is called after every Check or Reveal
 * (and after typing, without a reveal change, once the input loses focus).
 */
export function createQuizPanel(
  doc: Document,
  questions: Question[],
  initial: QuizState,
  onChange: (state: QuizState, revealChanged: boolean) => void,
  omitted = 0
): IQuizPanel {
  const state: QuizState = emptyRecord();
  for (const q of questions) {
    const stored = own(initial, q.id);
    state[q.id] = stored
      ? { ...stored }
      : { value: '', correct: null, revealed: false };
  }
  const node = el(doc, 'div', 'jp-Redpill-quiz');
  node.setAttribute('role', 'group');
  node.setAttribute('aria-label', 'Predict, then reveal');
  el(
    doc,
    'p',
    'jp-Redpill-quizIntro',
    'Predict, then check. The values asked are hidden in the diagram until you reveal them.',
    node
  );
  const listeners = new DisposableSet();
  const list = el(doc, 'ol', 'jp-Redpill-questions', undefined, node);
  for (const q of questions) {
    const s = state[q.id];
    const id = freshId(doc, 'jp-Redpill-q-');
    const item = el(doc, 'li', 'jp-Redpill-question', undefined, list);
    item.dataset.question = q.id;
    item.dataset.field = q.field;
    const label = el(doc, 'label', 'jp-Redpill-prompt', q.prompt, item);
    label.htmlFor = id;
    const row = el(doc, 'div', 'jp-Redpill-answerRow', undefined, item);
    let input: HTMLInputElement | HTMLSelectElement;
    if (q.input === 'boolean') {
      const select = el(doc, 'select', 'jp-Redpill-prediction', undefined, row);
      for (const [value, text] of [
        ['', 'Choose…'],
        ['yes', 'Yes'],
        ['no', 'No']
      ]) {
        const option = el(doc, 'option', '', text, select);
        option.value = value;
      }
      input = select;
    } else {
      const text = el(doc, 'input', 'jp-Redpill-prediction', undefined, row);
      text.type = 'text';
      text.autocomplete = 'off';
      text.spellcheck = false;
      text.placeholder = inputHint(q);
      if (q.input === 'integer') {
        text.inputMode = 'numeric';
      }
      input = text;
    }
    input.id = id;
    input.value = s.value;
    const check = el(doc, 'button', 'jp-Redpill-check', 'Check', row);
    check.type = 'button';
    check.setAttribute('aria-label', `Check your answer: ${q.prompt}`);
    const reveal = el(doc, 'button', 'jp-Redpill-reveal', 'Reveal', row);
    reveal.type = 'button';
    reveal.setAttribute('aria-label', `Reveal the answer: ${q.prompt}`);
    const result = el(doc, 'span', 'jp-Redpill-result', '', row);
    result.setAttribute('role', 'status');
    result.setAttribute('aria-live', 'polite');
    const answer = el(doc, 'span', 'jp-Redpill-answer', undefined, row);

    const paint = (st: IAnswerState) => {
      item.dataset.result =
        st.correct === null ? 'none' : st.correct ? 'right' : 'wrong';
      result.textContent =
        st.correct === null ? '' : st.correct ? '✓ Right' : '✗ Not quite';
      item.dataset.revealed = String(st.revealed);
      reveal.disabled = st.revealed;
      // The answer enters the DOM only once revealed.
      answer.textContent = st.revealed ? `Answer: ${answerText(q)}` : '';
    };
    paint(s);
    const onCheck = () => {
      const st = state[q.id];
      st.value = input.value;
      const ok = checkPrediction(q, input.value);
      if (ok === null) {
        st.correct = null;
        paint(st);
        result.textContent = `Type ${inputHint(q)} first.`;
        onChange(state, false);
        return;
      }
      st.correct = ok;
      paint(st);
      onChange(state, false);
    };
    const onReveal = () => {
      const st = state[q.id];
      st.value = input.value;
      st.revealed = true;
      paint(st);
      onChange(state, true);
    };
    const onCommit = () => {
      const st = state[q.id];
      if (st.value !== input.value) {
        st.value = input.value;
        onChange(state, false);
      }
    };
    const onKey = (event: Event) => {
      if ((event as KeyboardEvent).key === 'Enter') {
        event.preventDefault();
        onCheck();
      }
    };
    listeners.add(listen(check, 'click', onCheck));
    listeners.add(listen(reveal, 'click', onReveal));
    listeners.add(listen(input, 'change', onCommit));
    listeners.add(listen(input, 'keydown', onKey));
  }
  if (omitted > 0) {
    el(
      doc,
      'p',
      'jp-Redpill-notice jp-Redpill-notice-info',
      `${plural(omitted, 'more question')} left out.`,
      node
    );
  }
  return {
    node,
    state,
    dispose() {
      listeners.dispose();
      node.remove();
    }
  };
}
