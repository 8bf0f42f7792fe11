/**
 * A memory dump in the details panel (an object's own memory, a buffer's
 * data): folded under a summary line, the bytes as hex, eight a row, each
 * row led by its offset, and each byte of a struct field coloured as the
 * field and linked to it (`data-field`). HTML built with
 * createElement/textContent only.
 */
import { htmlEl } from '../dom';
import type { Field, Memory } from '../model/payload.generated';

/** Field colour classes (a colour-blind-safe palette, see style/base.css). */
export const FIELD_COLOURS = 8;
const BYTES_PER_ROW = 8;

/**
 * Add to `parent` the dump of `memory` in a `<details>` of class
 * `className`, summed up as `${title} at 0x…: N of M bytes`; each row's
 * offset counts from `delta` (the dump's start from the object's), and
 * `owners` gives each byte's field (its index into `fields`, -1 for none).
 */
export function hexDump(
  doc: Document,
  parent: HTMLElement,
  className: string,
  title: string,
  memory: Memory,
  delta = 0,
  owners: readonly number[] = [],
  fields: readonly Field[] = []
): HTMLDetailsElement {
  const details = htmlEl(doc, 'details', className, undefined, parent);
  const count = Math.floor(memory.hex.length / 2);
  htmlEl(
    doc,
    'summary',
    undefined,
    `${title} at ${memory.address}: ${count} of ${memory.size} bytes${memory.truncated ? ' (truncated)' : ''}`,
    details
  );
  const grid = htmlEl(doc, 'div', 'jp-Redpill-hex', undefined, details);
  for (let row = 0; row < count; row += BYTES_PER_ROW) {
    const line = htmlEl(doc, 'div', 'jp-Redpill-hexRow', undefined, grid);
    const offset = delta + row;
    htmlEl(
      doc,
      'span',
      'jp-Redpill-hexOffset',
      `${offset < 0 ? '-' : '+'}${Math.abs(offset).toString(16).padStart(3, '0')}`,
      line
    );
    for (let i = row; i < Math.min(row + BYTES_PER_ROW, count); i++) {
      const f = owners[i] ?? -1;
      const cell = htmlEl(
        doc,
        'span',
        `jp-Redpill-hexByte${f >= 0 ? ` jp-Redpill-field-c${f % FIELD_COLOURS}` : ''}`,
        memory.hex.slice(2 * i, 2 * i + 2),
        line
      );
      if (f >= 0) {
        cell.dataset.field = String(f);
        cell.title = fields[f].name;
      }
    }
  }
  return details;
}
