/**
 * The instructor views around the diagram: --steps (controls, the diagram
 * at the selected step, its changes), --quiz (the masked diagram and the
 * questions) and --diff (change badges), plus hidden_fields. Redraws the
 * inner diagram when the step or a reveal changes. No JupyterLab imports.
 */
import { DisposableDelegate, DisposableSet } from '../disposable';

import type { IChangeMarks } from '../diff/changes';
import { decorateDiagram } from '../diff/decorate';
import { changeList, marksFromDiff } from '../diff/diff-marks';
import type { IExportPalette } from '../draw/export';
import type { IRaster } from '../draw/png';
import { cloneJson } from '../model/json';
import type { IRedpillModel } from '../model/model';
import { own } from '../model/own';
import type { RedpillPayload } from '../model/payload.generated';
import { maskChangeList, maskMarks } from '../quiz/hidden-marks';
import { maskPayload, questionAddresses } from '../quiz/mask';
import { createQuizPanel, IQuizPanel } from '../quiz/panel';
import type { QuizState } from '../quiz/quiz';
import { createStepControls, IStepControls } from '../steps/controls';
import { firstStep, hasSteps, stepState, wholeSteps } from '../steps/model';
import type { IRedpillView, IStaticCopy } from '../view/view';

/** What the widget gives the instructor view (all optional). */
export interface IInstructorHost {
  /** The learner's stored answers (from the output metadata). */
  quiz?: QuizState;
  /** Called to persist the answers (Check, Reveal, typing). */
  onQuiz?: (state: QuizState) => void;
  /** Fields hidden for the whole notebook (notebook metadata). */
  hidden?: string[];
  /**
   * The step shown first (default: the step the first question about a
   * step asks about, else the last).
   */
  step?: number;
}

/** Whether `payload` (or the notebook, through `host`) needs the instructor view. */
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

/** Draws one (masked) payload as a view; the instructor view redraws with it. */
export type DrawPayload = (payload: RedpillPayload) => IRedpillView;

/**
 * The instructor view of one payload: the step controls, the quiz and the
 * change list around the inner diagram shown now. It is a view itself: its
 * model, diagram and exports are the inner diagram's.
 */
export class InstructorView implements IRedpillView {
  /** `draw` makes the inner diagram of each step or reveal. */
  constructor(
    payload: RedpillPayload,
    doc: Document,
    host: IInstructorHost,
    draw: DrawPayload
  ) {
    this._payload = payload;
    this._doc = doc;
    this._host = host;
    this._draw = draw;
    this._questions = payload.quiz ?? [];
    this._hidden = [...(payload.hidden_fields ?? []), ...(host.hidden ?? [])];
    const steps = wholeSteps(payload);
    this._stepIndex = firstStep(payload, host.step);
    this._revealed = new Set(
      this._questions.filter(q => own(host.quiz, q.id)?.revealed).map(q => q.id)
    );

    const node = (this.node = doc.createElement('div'));
    node.className = 'jp-Redpill-view jp-Redpill-instructor';
    this._top = doc.createElement('div');
    this._top.className = 'jp-Redpill-instructorTop';
    node.appendChild(this._top);
    this._slot = doc.createElement('div');
    this._slot.className = 'jp-Redpill-instructorDiagram';
    node.appendChild(this._slot);

    if (steps.length) {
      this.controls = createStepControls(
        doc,
        steps,
        payload.source,
        this._stepIndex,
        i => {
          this._stepIndex = i;
          this._redraw();
        },
        {
          skipped: payload.truncated?.steps ?? 0,
          counts: payload.step_counts
        }
      );
      this._top.appendChild(this.controls.node);
      const controls = this.controls;
      this._disposables.add(new DisposableDelegate(() => controls.dispose()));
    }
    const questions = this._questions;
    if (questions.length) {
      this.quiz = createQuizPanel(
        doc,
        questions,
        host.quiz ?? {},
        (state, revealChanged) => {
          if (revealChanged) {
            this._revealed = new Set(
              questions.filter(q => own(state, q.id)?.revealed).map(q => q.id)
            );
            this._redraw();
          }
          host.onQuiz?.(cloneJson(state));
        },
        payload.truncated?.quiz ?? 0
      );
      node.appendChild(this.quiz.node);
      const quiz = this.quiz;
      this._disposables.add(new DisposableDelegate(() => quiz.dispose()));
    }
    this._current = this._redraw();
  }

  /** The view's root node. */
  readonly node: HTMLElement;
  /** The step controls (--steps), or null. */
  readonly controls: IStepControls | null = null;
  /** The questions (--quiz), or null. */
  readonly quiz: IQuizPanel | null = null;

  /** The inner diagram shown now. */
  get current(): IRedpillView {
    return this._current;
  }

  /** The model of the diagram shown now. */
  get model(): IRedpillModel {
    return this._current.model;
  }

  /** The diagram shown now. */
  get svg(): SVGSVGElement {
    return this._current.svg;
  }

  /** Whether the view was disposed. */
  get isDisposed(): boolean {
    return this._disposables.isDisposed;
  }

  /** A standalone .svg file of the diagram shown now. */
  svgFile(palette?: IExportPalette): string {
    return this._current.svgFile(palette);
  }

  /** The PNG stored in the output bundle, of the diagram shown now. */
  staticCopy(): Promise<IStaticCopy> {
    return this._current.staticCopy();
  }

  /** A PNG of the diagram shown now. */
  png(palette?: IExportPalette): Promise<IRaster> {
    return this._current.png(palette);
  }

  /** Dispose of the controls, the quiz and the inner diagram; remove the node. */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._disposables.dispose();
    this._current.dispose();
    this.node.remove();
  }

  /** Draw the diagram of the current step and reveals; returns it. */
  private _redraw(): IRedpillView {
    const payload = this._payload;
    const doc = this._doc;
    let base = payload;
    let marks: IChangeMarks | null = null;
    let heading = '';
    const skip = questionAddresses(this._questions, this._revealed);
    if (this._stepIndex >= 0) {
      const step = stepState(
        payload,
        this._stepIndex,
        skip,
        this._hidden,
        this._questions.filter(q => !this._revealed.has(q.id))
      );
      base = step.payload;
      marks = step.marks;
      this.controls?.describe(step.description);
    } else if (payload.diff) {
      marks = marksFromDiff(payload.diff);
      heading =
        payload.diff.previous === null
          ? 'Changes'
          : `Changes since snapshot ${payload.diff.previous.serial}`;
    }
    const masked = maskPayload(
      base,
      this._questions,
      this._revealed,
      this._host.hidden ?? []
    );
    const next = this._draw(masked);
    if (marks) {
      marks = maskMarks(marks, this._hidden);
      decorateDiagram(doc, next.svg, marks, skip);
    }
    this._changes?.remove();
    this._changes = null;
    if (marks && payload.diff && this._stepIndex < 0) {
      const changes = (this._changes = changeList(doc, marks, heading));
      maskChangeList(changes, this._hidden);
      this._top.appendChild(changes);
    }
    // (The first draw happens in the constructor, before `_current` is set.)
    (this._current as IRedpillView | undefined)?.dispose();
    this._current = next;
    this._slot.replaceChildren(next.node);
    return next;
  }

  private _payload: RedpillPayload;
  private _doc: Document;
  private _host: IInstructorHost;
  private _draw: DrawPayload;
  private _questions: NonNullable<RedpillPayload['quiz']>;
  private _hidden: string[];
  private _stepIndex: number;
  private _revealed: Set<string>;
  private _top: HTMLElement;
  private _slot: HTMLElement;
  private _changes: HTMLElement | null = null;
  private _current!: IRedpillView;
  private _disposables = new DisposableSet();
}
