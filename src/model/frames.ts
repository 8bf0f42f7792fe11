/**
 * The call frames of one --steps step as the diagram draws them: the global
 * frame (the step's names) first, then one frame per active call of cell
 * code, outermost first, with the returning frame's return value and the
 * exception raised in the innermost one. Pure functions; no DOM.
 */
import type { Frame, Step } from './payload.generated';

/**
 * What a drawn step adds to its payload (built by `stepPayload`, not part of
 * the schema's top level): the step's active calls and what happened in the
 * innermost one.
 */
export interface IStepFrames {
  frames?: {
    /** The active calls, outermost first (the payload's `steps[].frames`). */
    calls: Frame[];
    event?: Step['event'];
    exception?: Step['exception'];
  };
}

/** At most this many call frames are drawn (the innermost ones). */
export const MAX_FRAMES_DRAWN = 50;
/** At most this many local names are drawn in one call frame. */
export const MAX_LOCALS_DRAWN = 60;
/** Characters of an exception's message kept in its frame. */
const MESSAGE_CHARS = 80;

/** One frame box of the diagram. */
export interface IFrameRef {
  /** 0 for the global frame, else the call number (the same box across steps). */
  call: number;
  /**
   * The box's title: `Global frame`, or the function's qualified name (as
   * given: the drawing clips it to one line).
   */
  title: string;
  /** The line the frame is at (null for the global frame). */
  line: number | null;
  state: 'global' | 'active' | 'suspended';
  /** `raised ValueError: bad`, on the frame the exception was raised in. */
  exception: string | null;
  /** Lines under the names: locals left out, outer calls not drawn. */
  notes: string[];
}

/** A name row of a frame: a local, or the frame's return value. */
export interface IFrameBinding {
  /** Index of the frame in the list `framesOf` returns. */
  frame: number;
  name: string;
  object: string;
  rebound: boolean;
  /** `return`: the value the frame is returning (drawn as "Return value"). */
  role: 'name' | 'return';
}

/** The frame boxes of a step and their name rows (globals included). */
export interface IFrameLayout {
  frames: IFrameRef[];
  bindings: IFrameBinding[];
}

/**
 * The exception of a step as its frame writes it (the message shortened;
 * the drawing clips the line).
 */
export function exceptionText(exception: Step['exception']): string | null {
  if (!exception) {
    return null;
  }
  const chars = Array.from(exception.message);
  const message = !chars.length
    ? ''
    : chars.length <= MESSAGE_CHARS
      ? `: ${exception.message}`
      : `: ${chars.slice(0, MESSAGE_CHARS - 1).join('')}…`;
  const caught =
    exception.caught === true
      ? ' (caught)'
      : exception.caught === false
        ? ' (not caught)'
        : '';
  return `raised ${exception.type}${message}${caught}`;
}

/**
 * The frames to draw for a step, or null when the step recorded none (a
 * payload recorded statement by statement, or not a step at all). The global
 * frame holds `globals`; at most MAX_FRAMES_DRAWN calls (the innermost) and
 * MAX_LOCALS_DRAWN locals per call are drawn, the rest counted in a note.
 */
export function framesOf(
  data: IStepFrames,
  globals: { name: string; object: string; rebound?: boolean }[]
): IFrameLayout | null {
  const state = data.frames;
  if (!state || !Array.isArray(state.calls)) {
    return null;
  }
  const frames: IFrameRef[] = [
    {
      call: 0,
      title: 'Global frame',
      line: null,
      state: 'global',
      exception: null,
      notes: []
    }
  ];
  const bindings: IFrameBinding[] = globals.map(n => ({
    frame: 0,
    name: n.name,
    object: n.object,
    rebound: n.rebound === true,
    role: 'name'
  }));
  const calls = state.calls;
  const hidden = Math.max(0, calls.length - MAX_FRAMES_DRAWN);
  if (hidden > 0) {
    frames[0].notes.push(
      `… ${hidden} outer call${hidden === 1 ? '' : 's'} not drawn`
    );
  }
  const raised = exceptionText(state.exception);
  calls.slice(hidden).forEach((call, i, drawn) => {
    const index = frames.length;
    const innermost = i === drawn.length - 1;
    const notes: string[] = [];
    const locals = call.names.slice(0, MAX_LOCALS_DRAWN);
    const left = call.names.length - locals.length + (call.truncated ?? 0);
    if (left > 0) {
      notes.push(`… ${left} more local${left === 1 ? '' : 's'} not drawn`);
    }
    frames.push({
      call: call.call,
      title: call.function,
      line: call.line,
      state: call.state === 'suspended' ? 'suspended' : 'active',
      exception: innermost ? raised : null,
      notes
    });
    for (const n of locals) {
      bindings.push({
        frame: index,
        name: n.name,
        object: n.object,
        rebound: n.rebound === true,
        role: 'name'
      });
    }
    if (call.return !== undefined) {
      bindings.push({
        frame: index,
        name: 'Return value',
        object: call.return,
        rebound: false,
        role: 'return'
      });
    }
  });
  if (raised && frames.length === 1) {
    // Raised at the top level: on the global frame.
    frames[0].exception = raised;
  }
  return { frames, bindings };
}
