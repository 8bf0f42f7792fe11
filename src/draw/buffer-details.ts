/**
 * The details panel's buffer section, for the objects that carry a `buffer`
 * block (bytes, bytearray, memoryview, array.array, numpy's ndarray): every
 * field of the block in a table, where the data lies in the buffer of the
 * object that holds the memory, and the first bytes of the data as hex.
 * HTML built with createElement/textContent only.
 */
import type { IRedpillModel } from '../model/model';
import type { RedpillObject } from '../model/payload.generated';
import { htmlEl } from '../dom';
import { hexDump } from './hex-dump';
import {
  bufferRange,
  flagText,
  hexOf,
  placement,
  viewExtent
} from './kinds/buffer';
import { oneLine } from './svg';

function list(values: unknown): string {
  return Array.isArray(values) ? `(${values.map(String).join(', ')})` : '?';
}

/** The rows of the buffer table: a label and its value, in reading order. */
export function bufferRows(
  obj: RedpillObject,
  model: IRedpillModel
): [string, string][] {
  const b = obj.buffer;
  if (!b) {
    return [];
  }
  const rows: [string, string][] = [['data', b.data]];
  const range = bufferRange(b);
  if (range) {
    rows.push(['bytes at', `${hexOf(range.start)} … ${hexOf(range.end)}`]);
  }
  rows.push(['nbytes', String(b.nbytes)]);
  if (b.allocated !== undefined) {
    rows.push(['allocated', `${b.allocated} bytes`]);
  }
  rows.push(['itemsize', String(b.itemsize)]);
  rows.push(['format', b.format]);
  if (b.dtype !== undefined) {
    rows.push(['dtype', b.dtype]);
  }
  rows.push(['ndim', String(b.ndim)]);
  rows.push(['shape', list(b.shape)]);
  rows.push(['strides', list(b.strides)]);
  rows.push(['layout', flagText(b)]);
  if (b.flags) {
    rows.push(['flags', b.flags.join(' | ') || '(none)']);
  }
  if (b.base !== undefined) {
    rows.push(['base', b.base]);
  }
  if (b.owner !== undefined) {
    rows.push(['memory of', b.owner]);
  }
  const place = placement(obj, model.objects);
  if (place) {
    const whole = place.hostRange.end - place.hostRange.start;
    rows.push([
      'in its buffer',
      place.inside
        ? `bytes +${place.from} … +${place.to} of the ${whole} bytes of ${place.host.type} ${place.host.address}`
        : `outside the ${whole} bytes of ${place.host.type} ${place.host.address}`
    ]);
  } else if (!b.owns_data && viewExtent(b) === null) {
    rows.push(['in its buffer', 'unknown']);
  }
  return rows;
}

/** Add the buffer section of `obj` to the details panel `parent`. */
export function bufferSection(
  doc: Document,
  parent: HTMLElement,
  obj: RedpillObject,
  model: IRedpillModel
): void {
  const rows = bufferRows(obj, model);
  if (!rows.length) {
    return;
  }
  const section = htmlEl(
    doc,
    'section',
    'jp-Redpill-buffer',
    undefined,
    parent
  );
  htmlEl(doc, 'h4', undefined, 'Buffer', section);
  const table = htmlEl(doc, 'table', undefined, undefined, section);
  const body = htmlEl(doc, 'tbody', undefined, undefined, table);
  for (const [label, value] of rows) {
    const tr = htmlEl(doc, 'tr', undefined, undefined, body);
    htmlEl(doc, 'th', undefined, label, tr);
    htmlEl(doc, 'td', undefined, oneLine(value), tr);
  }
  const memory = obj.buffer?.memory;
  if (!memory || typeof memory.hex !== 'string') {
    return;
  }
  hexDump(
    doc,
    section,
    'jp-Redpill-memory jp-Redpill-bufferMemory',
    'Data',
    memory
  );
}
