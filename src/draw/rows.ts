/**
 * A row builder for box contents: each row knows its size up front (text
 * widths are estimated from character counts in the monospace code font), so
 * the layout can place boxes before anything is drawn.
 */
import type { ISlot } from '../model/model';
import { clip } from '../model/model';
import { splitAddresses } from '../text';
import {
  Attrs,
  CHAR_WIDTH,
  VOLATILE,
  LINE_HEIGHT,
  MAX_LINE_CHARS,
  oneLine,
  round,
  svgEl,
  svgText,
  textWidth
} from './svg';

/** One row of a box body: its size and how to draw it at a position. */
export interface IRow {
  width: number;
  height: number;
  draw(
    doc: Document,
    parent: Element,
    x: number,
    y: number,
    innerWidth: number
  ): void;
}

/** One cell of a row of cells (a digit, a character, a byte). */
export interface ICell {
  /** Small caption above the cell (an index, a field name). */
  caption?: string;
  value: string;
  className?: string;
  attrs?: Attrs;
}

/**
 * One labelled run of bits in a bit row (a float's sign, exponent or mantissa).
 */
export interface IBitSegment {
  bits: string;
  caption: string;
  className: string;
}

const CELL_PAD = 5;
const CELL_HEIGHT = 20;
const CAPTION_HEIGHT = 12;
const SMALL_CHAR = 6;
/** Space at the right of a slot row for the pointer dot. */
export const SLOT_DOT_SPACE = 18;

/**
 * Put the addresses inside a text (a repr such as `<Point at 0x7f…>`) in
 * volatile `<tspan>`s: they change from run to run. Text only.
 */
export function markVolatile(doc: Document, node: SVGTextElement): void {
  const parts = splitAddresses(node.textContent ?? '');
  if (parts.length === 1 || node.classList.contains(VOLATILE)) {
    return;
  }
  node.textContent = '';
  parts.forEach((part, i) => {
    if (i % 2) {
      svgEl(doc, 'tspan', { class: VOLATILE }, node).textContent = part;
    } else if (part) {
      node.appendChild(doc.createTextNode(part));
    }
  });
}

/** The rows of a box body, measured as they are added and drawn in order. */
export class Rows {
  readonly rows: IRow[] = [];
  /** y (from the top of these rows) of the centre of each pointer slot, by slot index. */
  readonly anchors = new Map<number, number>();

  get width(): number {
    return this.rows.reduce((w, r) => Math.max(w, r.width), 0);
  }

  get height(): number {
    return this.rows.reduce((h, r) => h + r.height, 0);
  }

  /** A line of text (control characters escaped, clipped). */
  text(text: string, className = 'jp-Redpill-text', attrs: Attrs = {}): this {
    const shown = clip(oneLine(text), MAX_LINE_CHARS);
    this.rows.push({
      width: textWidth(shown),
      height: LINE_HEIGHT,
      draw: (doc, parent, x, y) => {
        const node = svgText(
          doc,
          parent,
          x,
          y + LINE_HEIGHT - 5,
          shown,
          className,
          attrs
        );
        markVolatile(doc, node);
      }
    });
    return this;
  }

  /** Several labelled texts on one line, e.g. `ob_size 3  allocated 4`. */
  /** Add the object's repr as a text row, when the payload carries one. */
  repr(repr: string | undefined): this {
    return repr === undefined ? this : this.text(repr, 'jp-Redpill-repr');
  }

  facts(parts: [string, string][], className = 'jp-Redpill-fact'): this {
    const line = parts.map(([k, v]) => (k ? `${k} ${v}` : v)).join('  ·  ');
    return this.text(line, className);
  }

  /** A gap. */
  space(height = 4): this {
    this.rows.push({ width: 0, height, draw: () => undefined });
    return this;
  }

  /** A thin rule across the box. */
  rule(): this {
    this.rows.push({
      width: 0,
      height: 6,
      draw: (doc, parent, x, y, innerWidth) => {
        svgEl(
          doc,
          'line',
          {
            class: 'jp-Redpill-rule',
            x1: x,
            x2: round(x + innerWidth),
            y1: y + 3,
            y2: y + 3
          },
          parent
        );
      }
    });
    return this;
  }

  /** A row of value cells with optional captions, wrapped `perRow` to a line. */
  cells(cells: ICell[], perRow = 4, className = 'jp-Redpill-cell'): this {
    const captioned = cells.some(c => c.caption !== undefined);
    const cellWidth =
      Math.max(
        ...cells.map(c =>
          Math.max(textWidth(c.value), textWidth(c.caption ?? '', SMALL_CHAR))
        ),
        CHAR_WIDTH
      ) +
      2 * CELL_PAD;
    for (let start = 0; start < cells.length; start += perRow) {
      const chunk = cells.slice(start, start + perRow);
      const height = CELL_HEIGHT + (captioned ? CAPTION_HEIGHT : 0) + 3;
      this.rows.push({
        width: chunk.length * cellWidth,
        height,
        draw: (doc, parent, x, y) => {
          chunk.forEach((cell, i) => {
            const cx = x + i * cellWidth;
            const g = svgEl(
              doc,
              'g',
              {
                class: `${className} ${cell.className ?? ''}`.trim(),
                ...(cell.attrs ?? {})
              },
              parent
            );
            let top = y;
            if (captioned) {
              svgText(
                doc,
                g,
                cx + cellWidth / 2,
                y + CAPTION_HEIGHT - 2,
                cell.caption ?? '',
                'jp-Redpill-caption',
                {
                  'text-anchor': 'middle'
                }
              );
              top += CAPTION_HEIGHT;
            }
            svgEl(
              doc,
              'rect',
              {
                class: 'jp-Redpill-cellFrame',
                x: round(cx),
                y: top,
                width: round(cellWidth),
                height: CELL_HEIGHT
              },
              g
            );
            svgText(
              doc,
              g,
              cx + cellWidth / 2,
              top + CELL_HEIGHT - 6,
              cell.value,
              'jp-Redpill-cellText',
              {
                'text-anchor': 'middle'
              }
            );
          });
        }
      });
    }
    return this;
  }

  /** Bits in coloured segments (float sign/exponent/mantissa). */
  bits(segments: IBitSegment[]): this {
    const gap = 4;
    const width = segments.reduce(
      (w, s) => w + s.bits.length * SMALL_CHAR + gap,
      -gap
    );
    this.rows.push({
      width,
      height: CELL_HEIGHT + CAPTION_HEIGHT + 3,
      draw: (doc, parent, x, y) => {
        let cx = x;
        for (const seg of segments) {
          const w = seg.bits.length * SMALL_CHAR;
          const g = svgEl(
            doc,
            'g',
            { class: `jp-Redpill-bitSegment ${seg.className}` },
            parent
          );
          svgText(
            doc,
            g,
            cx,
            y + CAPTION_HEIGHT - 2,
            seg.caption,
            'jp-Redpill-caption'
          );
          svgEl(
            doc,
            'rect',
            {
              class: 'jp-Redpill-cellFrame',
              x: round(cx),
              y: y + CAPTION_HEIGHT,
              width: round(w),
              height: CELL_HEIGHT
            },
            g
          );
          svgText(
            doc,
            g,
            cx,
            y + CAPTION_HEIGHT + CELL_HEIGHT - 6,
            seg.bits,
            'jp-Redpill-bitText',
            {
              textLength: round(w),
              lengthAdjust: 'spacingAndGlyphs'
            }
          );
          cx += w + gap;
        }
      }
    });
    return this;
  }

  /** A pointer slot: label, what it holds, and a dot the arrow starts from. */
  slot(slot: ISlot, index: number): this {
    const label = clip(oneLine(slot.label), 24);
    const note = slot.note ? ` (${slot.note})` : '';
    const text = clip(
      oneLine(slot.text),
      Math.max(8, MAX_LINE_CHARS - Array.from(label).length - 3 - note.length)
    );
    const width = textWidth(`${label} ${text}${note}`) + SLOT_DOT_SPACE + 8;
    const y0 = this.height;
    this.anchors.set(index, y0 + (LINE_HEIGHT + 4) / 2);
    this.rows.push({
      width,
      height: LINE_HEIGHT + 4,
      draw: (doc, parent, x, y, innerWidth) => {
        const g = svgEl(
          doc,
          'g',
          {
            class: `jp-Redpill-slot${slot.present ? '' : ' jp-Redpill-slot-empty'}`,
            'data-slot': index,
            'data-target': slot.target ?? undefined
          },
          parent
        );
        svgEl(
          doc,
          'rect',
          {
            class: 'jp-Redpill-slotFrame',
            x,
            y: y + 1,
            width: round(innerWidth),
            height: LINE_HEIGHT + 2
          },
          g
        );
        svgText(
          doc,
          g,
          x + 4,
          y + LINE_HEIGHT - 3,
          label,
          'jp-Redpill-slotLabel'
        );
        svgText(
          doc,
          g,
          x + 4 + textWidth(label + ' '),
          y + LINE_HEIGHT - 3,
          text + note,
          'jp-Redpill-slotText'
        );
        if (slot.present) {
          svgEl(
            doc,
            'circle',
            {
              class: 'jp-Redpill-slotDot',
              cx: round(x + innerWidth - SLOT_DOT_SPACE / 2),
              cy: round(y + (LINE_HEIGHT + 4) / 2),
              r: 3
            },
            g
          );
        }
      }
    });
    return this;
  }

  /** A small pill badge (immortal, small-int cache, interned). */
  badges(badges: { text: string; className: string; title?: string }[]): this {
    const widths = badges.map(b => textWidth(b.text, SMALL_CHAR + 0.6) + 10);
    this.rows.push({
      width: widths.reduce((a, b) => a + b + 4, -4),
      height: LINE_HEIGHT + 2,
      draw: (doc, parent, x, y) => {
        let bx = x;
        badges.forEach((badge, i) => {
          const g = svgEl(
            doc,
            'g',
            { class: `jp-Redpill-badge ${badge.className}` },
            parent
          );
          if (badge.title) {
            svgEl(doc, 'title', {}, g).textContent = badge.title;
          }
          svgEl(
            doc,
            'rect',
            {
              x: round(bx),
              y: y + 2,
              width: round(widths[i]),
              height: LINE_HEIGHT - 2,
              rx: 7
            },
            g
          );
          svgText(
            doc,
            g,
            bx + 5,
            y + LINE_HEIGHT - 3,
            badge.text,
            'jp-Redpill-badgeText'
          );
          bx += widths[i] + 4;
        });
      }
    });
    return this;
  }
}
