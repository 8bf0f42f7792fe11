/**
 * --quiz: checking a prediction against a question's answer, and the
 * learner's state (predictions, results, reveals) as stored in the output's
 * metadata under `redpill.quiz`, keyed by question id. Pure; no DOM.
 */
import { emptyRecord } from '../model/own';
import type { Question } from '../model/payload.generated';

/** One question's state, as persisted. */
export interface IAnswerState {
  /** The prediction as typed. */
  value: string;
  /** The result of the last Check (null: not checked, or unreadable). */
  correct: boolean | null;
  revealed: boolean;
}

/**
 * Answers by question id. Made with `emptyRecord()` (no prototype), and read
 * with `own()`: ids come from the payload.
 */
export type QuizState = Record<string, IAnswerState>;

/** Output metadata key of the learner's state. */
export const QUIZ_META_KEY = 'redpill';

/** The quiz state stored in an output's metadata (tolerant of junk). */
export function quizStateOf(metadata: unknown): QuizState {
  const root = (metadata as Record<string, unknown> | null)?.[QUIZ_META_KEY];
  const quiz = (root as Record<string, unknown> | null | undefined)?.quiz;
  const out: QuizState = emptyRecord();
  if (!quiz || typeof quiz !== 'object') {
    return out;
  }
  for (const [id, raw] of Object.entries(quiz as Record<string, unknown>)) {
    const r = raw as Record<string, unknown> | null;
    if (!r || typeof r !== 'object') {
      continue;
    }
    out[id] = {
      value: typeof r.value === 'string' ? r.value : '',
      correct: typeof r.correct === 'boolean' ? r.correct : null,
      revealed: r.revealed === true
    };
  }
  return out;
}

/** The metadata with `state` stored (other keys kept). */
export function withQuizState(
  metadata: Record<string, unknown> | undefined,
  state: QuizState
): Record<string, unknown> {
  const root = (metadata?.[QUIZ_META_KEY] ?? {}) as Record<string, unknown>;
  return {
    ...(metadata ?? {}),
    [QUIZ_META_KEY]: { ...root, quiz: state }
  };
}

const TRUE = new Set(['yes', 'y', 'true', 't', '1', 'same']);
const FALSE = new Set(['no', 'n', 'false', 'f', '0', 'different']);

/** Parse a prediction for the question's input kind (null: unreadable). */
export function parsePrediction(
  question: Question,
  text: string
): number | string | boolean | number[] | null {
  const t = text.trim();
  if (!t) {
    return null;
  }
  switch (question.input) {
    case 'integer':
      return /^[+-]?\d+$/.test(t) ? parseInt(t, 10) : null;
    case 'boolean': {
      const l = t.toLowerCase();
      return TRUE.has(l) ? true : FALSE.has(l) ? false : null;
    }
    case 'integer-list': {
      const parts = t
        .replace(/^\[|\]$/g, '')
        .split(/[\s,]+/)
        .filter(Boolean);
      return parts.every(p => /^[+-]?\d+$/.test(p))
        ? parts.map(p => parseInt(p, 10))
        : null;
    }
    default:
      return t;
  }
}

/** Is the prediction right? null when it cannot be read. */
export function checkPrediction(
  question: Question,
  text: string
): boolean | null {
  const value = parsePrediction(question, text);
  if (value === null) {
    return null;
  }
  const answer = question.answer;
  if (Array.isArray(answer)) {
    return (
      Array.isArray(value) &&
      value.length === answer.length &&
      value.every((v, i) => v === answer[i])
    );
  }
  if (typeof answer === 'string' && typeof value === 'string') {
    if (question.field === 'address') {
      const norm = (s: string) => s.toLowerCase().replace(/^0x0*/, '');
      return norm(value) === norm(answer);
    }
    return value.toLowerCase() === answer.toLowerCase();
  }
  return value === answer;
}

/** The answer in words. */
export function answerText(question: Question): string {
  const a = question.answer;
  if (Array.isArray(a)) {
    return `[${a.join(', ')}]`;
  }
  if (typeof a === 'boolean') {
    return a ? 'yes' : 'no';
  }
  return String(a);
}

/** A hint on the expected format of the input. */
export function inputHint(question: Question): string {
  switch (question.input) {
    case 'integer':
      return 'a whole number';
    case 'boolean':
      return 'yes or no';
    case 'integer-list':
      return 'numbers separated by commas';
    default:
      return question.field === 'address' ? 'hex, like 0x7f…' : 'text';
  }
}
