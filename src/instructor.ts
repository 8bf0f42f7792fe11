/**
 * The instructor views around the diagram: --steps (controls, the diagram
 * at the selected step, its changes), --quiz (the masked diagram and the
 * questions) and --diff (change badges), plus hidden_fields. Redraws the
 * inner diagram when the step or a reveal changes. No JupyterLab imports.
 */
import { changeList, decorateDiagram } from './diff/decorate';
import { IChangeMarks, marksFromDiff, marksFromStep } from './diff/changes';
import type { IRedpillModel } from './model/model';
import { own } from './model/own';
import type { RedpillPayload } from './model/payload.generated';
import { maskPayload, questionAddresses } from './quiz/mask';
import { createQuizPanel, IQuizPanel } from './quiz/panel';
import type { QuizState } from './quiz/quiz';
import { createStepControls, IStepControls } from './steps/controls';
import { describeChanges, hasSteps, stepPayload } from './steps/model';

/** What the widget gives the instructor view (all optional). */
export interface IInstructorHost {
  /** The learner's stored answers (from the output metadata). */
  quiz?: QuizState;
  /** Called to persist the answers (Check, Reveal, typing). */
  onQuiz?: (state: QuizState) => void;
  /** Fields hidden for the whole notebook (notebook metadata). */
  hidden?: string[];
  /** The step shown first (default: the last). */
  step?: number;
}

/** The part of a drawn view the instructor view wraps. */
export interface IInnerView {
  node: HTMLElement;
  model: IRedpillModel;
  svg: SVGSVGElement;
  dispose(): void;
}

export function needsInstructorView(
  payload: RedpillPayload,
  host: IInstructorHost = {}
): boolean {
  return (
    hasSteps(payload) ||
    (payload.quiz?.length ?? 0) > 0 ||
    payload.diff !== undefined ||
    (payload.hidden_fields?.length ?? 0) > 0 ||
    (host.hidden?.length ?? 0) > 0
  );
}

const ADDRESS = /0x[0-9a-f]{4,}/gi;

export interface IInstructorView<V extends IInnerView> {
  node: HTMLElement;
  /** The inner diagram shown now. */
  readonly current: V;
  readonly controls: IStepControls | null;
  readonly quiz: IQuizPanel | null;
  dispose(): void;
}

export function instructorView<V extends IInnerView>(
  payload: RedpillPayload,
  doc: Document,
  host: IInstructorHost,
  draw: (payload: RedpillPayload) => V
): V & { instructor: IInstructorView<V> } {
  const node = doc.createElement('div');
  node.className = 'jp-Redpill-view jp-Redpill-instructor';
  const questions = payload.quiz ?? [];
  const hidden = [...(payload.hidden_fields ?? []), ...(host.hidden ?? [])];
  const hideAddresses = hidden.includes('address');
  const steps = payload.steps ?? [];
  let stepIndex = steps.length
    ? Math.max(0, Math.min(steps.length - 1, host.step ?? steps.length - 1))
    : -1;
  let revealed = new Set(
    questions.filter(q => own(host.quiz, q.id)?.revealed).map(q => q.id)
  );

  const top = doc.createElement('div');
  top.className = 'jp-Redpill-instructorTop';
  node.appendChild(top);
  const slot = doc.createElement('div');
  slot.className = 'jp-Redpill-instructorDiagram';
  node.appendChild(slot);

  let current: V | null = null;
  let changes: HTMLElement | null = null;
  let controls: IStepControls | null = null;

  const stripMarks = (marks: IChangeMarks): IChangeMarks => {
    if (!hidden.includes('refcount')) {
      return marks;
    }
    const objects = new Map(marks.objects);
    objects.forEach((m, a) => {
      const { refcount: _drop, ...rest } = m;
      void _drop;
      objects.set(a, rest);
    });
    return { ...marks, objects };
  };
  const label = (base: RedpillPayload) => (address: string) => {
    const obj =
      base.objects.find(o => o.address === address) ??
      (payload.step_objects ?? []).find(o => o.address === address);
    if (questions.some(q => !revealed.has(q.id) && q.object === address)) {
      return 'an object asked about';
    }
    const where = hideAddresses ? '' : ` at ${address}`;
    if (!obj) {
      return hideAddresses ? 'an object' : address;
    }
    return `${obj.type}${obj.repr !== undefined ? ` ${obj.repr}` : ''}${where}`;
  };

  const redraw = () => {
    let base = payload;
    let marks: IChangeMarks | null = null;
    let heading = '';
    const skip = questionAddresses(questions, revealed);
    if (stepIndex >= 0) {
      const view = stepPayload(payload, stepIndex);
      // Open questions: their objects' refcount changes are not told.
      skip.forEach(a => view.changes.refcounts.delete(a));
      base = view.payload;
      marks = stepIndex > 0 ? marksFromStep(view.changes) : null;
      heading = `Step ${stepIndex + 1}`;
      controls?.describe(
        `Step ${stepIndex + 1}: ${describeChanges(view.changes, label(base))}`
      );
    } else if (payload.diff) {
      marks = marksFromDiff(payload.diff);
      heading =
        payload.diff.previous === null
          ? 'Changes'
          : `Changes since snapshot ${payload.diff.previous.serial}`;
    }
    const masked = maskPayload(base, questions, revealed, host.hidden ?? []);
    const next = draw(masked);
    if (marks) {
      marks = stripMarks(marks);
      decorateDiagram(doc, next.svg, marks, skip);
    }
    changes?.remove();
    changes = null;
    if (marks && payload.diff && stepIndex < 0) {
      changes = changeList(doc, marks, heading);
      if (hideAddresses) {
        changes
          .querySelectorAll('li')
          .forEach(
            li =>
              (li.textContent = (li.textContent ?? '').replace(ADDRESS, '0x?'))
          );
      }
      top.appendChild(changes);
    }
    current?.dispose();
    current = next;
    slot.replaceChildren(next.node);
  };

  if (steps.length) {
    controls = createStepControls(
      doc,
      steps,
      payload.source,
      stepIndex,
      i => {
        stepIndex = i;
        redraw();
      },
      payload.truncated?.steps ?? 0
    );
    top.appendChild(controls.node);
  }
  let quiz: IQuizPanel | null = null;
  if (questions.length) {
    quiz = createQuizPanel(
      doc,
      questions,
      host.quiz ?? {},
      (state, revealChanged) => {
        if (revealChanged) {
          revealed = new Set(
            questions.filter(q => own(state, q.id)?.revealed).map(q => q.id)
          );
          redraw();
        }
        host.onQuiz?.(JSON.parse(JSON.stringify(state)) as QuizState);
      },
      payload.truncated?.quiz ?? 0
    );
    node.appendChild(quiz.node);
  }
  redraw();

  const instructor: IInstructorView<V> = {
    node,
    get current() {
      return current!;
    },
    controls,
    quiz,
    dispose() {
      controls?.dispose();
      quiz?.dispose();
      current?.dispose();
      node.remove();
    }
  };
  // The wrapper behaves as the inner view, delegating to the one shown now.
  return new Proxy(current! as V & { instructor: IInstructorView<V> }, {
    get(_target, key) {
      if (key === 'node') {
        return node;
      }
      if (key === 'instructor') {
        return instructor;
      }
      if (key === 'dispose') {
        return () => instructor.dispose();
      }
      const value = (current as unknown as Record<PropertyKey, unknown>)[key];
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(current)
        : value;
    }
  });
}
