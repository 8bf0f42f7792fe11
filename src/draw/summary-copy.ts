/**
 * The summary copy: what the stored PNG shows of a diagram too large for its
 * budget even in monochrome. Not a part of the picture: every name and every
 * object, one line each (type, address, refcount, value, holders), without
 * the fields and bytes, under a note saying what it is. A plain SVG with
 * literal colours, rastered like the diagram's static copy.
 */
import type { IRedpillModel } from '../model/model';
import { clip } from '../model/model';
import { describeObject, typeLabel } from './box';
import { summarize } from './diagram';
import type { IExportPalette } from './export';
import {
  CHAR_WIDTH,
  CODE_FONT,
  LINE_HEIGHT,
  oneLine,
  svgEl,
  svgText
} from './svg';

/** Most characters of one line of the summary (longer ones end in …). */
export const SUMMARY_LINE_CHARS = 150;

/** Space around the summary's lines, in pixels. */
const SUMMARY_MARGIN = 12;

/** The summary copy's SVG and its size in CSS pixels. */
export interface ISummaryCopy {
  svg: SVGSVGElement;
  width: number;
  height: number;
  /** Its lines, as drawn (for tests and the text alternative). */
  lines: string[];
}

/** The lines of the summary copy: a title, a note, the names, the objects. */
export function summaryLines(model: IRedpillModel): string[] {
  const { title } = summarize(model, 0);
  const lines = [
    title,
    'The whole diagram is too large for the picture saved with the notebook:',
    'every name and object is listed here, without its fields and bytes.',
    '',
    'Names'
  ];
  for (const ref of model.names) {
    const obj = model.objects.get(ref.address);
    const what = obj ? `${typeLabel(obj)} at ${ref.address}` : ref.address;
    lines.push(`  ${oneLine(ref.name)} → ${what}`);
  }
  lines.push('', `Objects (${model.order.length})`);
  for (const address of model.order) {
    const obj = model.objects.get(address);
    if (obj) {
      lines.push(`  ${describeObject(obj)}`);
    }
  }
  return lines.map(line => clip(oneLine(line), SUMMARY_LINE_CHARS));
}

/**
 * The summary copy of `model` in `palette`: its lines in the code font, the
 * title and the section heads in bold, on the palette's background.
 */
export function summaryCopy(
  doc: Document,
  model: IRedpillModel,
  palette: IExportPalette
): ISummaryCopy {
  const lines = summaryLines(model);
  const longest = lines.reduce((n, line) => Math.max(n, line.length), 0);
  const width = Math.ceil(2 * SUMMARY_MARGIN + longest * CHAR_WIDTH);
  const height = 2 * SUMMARY_MARGIN + lines.length * LINE_HEIGHT;
  const svg = svgEl(doc, 'svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    'font-family': CODE_FONT,
    'font-size': 12,
    style: 'white-space:pre'
  });
  svgEl(
    doc,
    'rect',
    { width: '100%', height: '100%', fill: palette.background },
    svg
  );
  lines.forEach((line, i) => {
    const head = i === 0 || (line !== '' && !line.startsWith(' ') && i > 2);
    const note = i === 1 || i === 2;
    const text = svgText(
      doc,
      svg,
      SUMMARY_MARGIN,
      SUMMARY_MARGIN + (i + 1) * LINE_HEIGHT - 5,
      line,
      undefined,
      {
        fill: note ? palette.muted : palette.text,
        'font-weight': head ? '700' : undefined,
        'xml:space': line.startsWith(' ') ? 'preserve' : undefined
      }
    );
    if (line.startsWith(' ')) {
      text.setAttribute('style', 'white-space:pre');
    }
  });
  return { svg, width, height, lines };
}
