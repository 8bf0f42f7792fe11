/**
 * The frame boxes of a --steps step that recorded its calls (the global
 * frame, then one box per active call, Python Tutor's stack of frames): their
 * texts and the room they need, and their drawing. Only a step's payload has
 * frames, so the live page's bundles without steps carry none of this
 * (src/live/without-steps.ts stands in). Pure DOM construction; no
 * JupyterLab imports.
 */
import { FRAME_PAD, ILayoutFrame, IRect } from '../geometry/placement';
import type { IFrameRef } from '../model/frames';
import { clip } from '../model/model';
import { LINE_HEIGHT, oneLine, round, svgEl, svgText, textWidth } from './svg';

/** Characters of a frame's title (the function's qualified name). */
const FRAME_TITLE_CHARS = 40;
/** Characters of a line under a frame's names (an exception, a note). */
const FRAME_NOTE_CHARS = 90;
/** Height of a frame box's title band. */
const FRAME_HEADER = LINE_HEIGHT + 10;

/** A frame's title on one line, short enough for its box and for a sentence. */
export function frameTitle(frame: IFrameRef): string {
  return clip(oneLine(frame.title), FRAME_TITLE_CHARS);
}

/** A line under a frame's names (a note, the exception), on one line. */
export function frameNote(text: string): string {
  return clip(oneLine(text), FRAME_NOTE_CHARS);
}

/** The texts of one frame box, and the room they need. */
export interface IFrameText {
  title: string;
  line: string;
  /** Lines under the names: notes, then the exception. */
  below: string[];
  spec: ILayoutFrame;
}

/** The texts of `frame`'s box, and the room they need. */
export function frameText(frame: IFrameRef): IFrameText {
  const title = frame.state === 'global' ? frame.title : frameTitle(frame);
  const line =
    frame.line === null
      ? ''
      : `line ${frame.line}${frame.state === 'suspended' ? ' · suspended' : ''}`;
  const below = [
    ...frame.notes,
    ...(frame.exception ? [frame.exception] : [])
  ].map(frameNote);
  let minWidth = textWidth(title) + (line ? textWidth(line) + 16 : 0);
  for (const text of below) {
    minWidth = Math.max(minWidth, textWidth(text));
  }
  return {
    title,
    line,
    below,
    spec: {
      header: FRAME_HEADER,
      footer: below.length * LINE_HEIGHT,
      minWidth: Math.ceil(minWidth + 2 * FRAME_PAD)
    }
  };
}

/**
 * One frame box: its outline, its title band, the notes below its names;
 * `current`: the innermost frame, where the step's line runs.
 */
export function drawFrameBox(
  doc: Document,
  parent: Element,
  frame: IFrameRef,
  text: IFrameText,
  rect: IRect,
  current: boolean
): void {
  const state = `jp-Redpill-stackFrame-${frame.state}${current ? ' jp-Redpill-stackFrame-current' : ''}`;
  const g = svgEl(
    doc,
    'g',
    {
      class: `jp-Redpill-stackFrame ${state}`,
      'data-call': frame.call,
      'data-function': text.title,
      ...(frame.line !== null ? { 'data-line': frame.line } : {}),
      transform: `translate(${round(rect.x)} ${round(rect.y)})`
    },
    parent
  );
  svgEl(
    doc,
    'rect',
    {
      class: 'jp-Redpill-stackFrameRect',
      x: 0,
      y: 0,
      width: round(rect.width),
      height: round(rect.height),
      rx: 4
    },
    g
  );
  svgText(
    doc,
    g,
    FRAME_PAD,
    LINE_HEIGHT,
    text.title,
    'jp-Redpill-stackFrameTitle'
  );
  if (text.line) {
    svgText(
      doc,
      g,
      rect.width - FRAME_PAD,
      LINE_HEIGHT,
      text.line,
      'jp-Redpill-stackFrameLine'
    ).setAttribute('text-anchor', 'end');
  }
  const first = rect.height - FRAME_PAD - text.below.length * LINE_HEIGHT;
  text.below.forEach((line, i) => {
    const isException = frame.exception !== null && i === text.below.length - 1;
    svgText(
      doc,
      g,
      FRAME_PAD,
      first + (i + 1) * LINE_HEIGHT - 4,
      line,
      isException ? 'jp-Redpill-stackFrameException' : 'jp-Redpill-muted'
    );
  });
}
