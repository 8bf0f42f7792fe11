/**
 * Buffers and views: bytearray (its separate buffer and the over-allocation),
 * memoryview (format, shape, strides, the exporter), array.array (typecode,
 * ob_item) and numpy's ndarray (dtype, shape, strides, flags, base). Each box
 * draws its data's address range and a bar: the buffer that owns the memory,
 * with the bytes this object's items touch marked in it, so a view such as
 * `b = a[::2]` visibly sits inside `a`'s buffer. Pure functions of the payload:
 * every address and size is parsed defensively (a bad one draws as unknown).
 */
import type { RedpillObject } from '../../model/payload.generated';
import { plural } from '../../text';
import type { IRow, Rows } from '../rows';
import { VOLATILE, round, svgEl } from '../svg';
import type { IKindContext } from './context';

/** The `buffer` block of a payload object. */
export type BufferBlock = NonNullable<RedpillObject['buffer']>;

/** Width of the buffer bar, in pixels. */
export const BAR_WIDTH = 260;
const BAR_HEIGHT = 12;
/** Most items whose bytes are marked one by one in the bar (past it: the extent). */
export const MAX_MARKED_ITEMS = 256;
/** Data bytes shown as cells in a box. */
const MAX_CELLS = 16;
const PER_ROW = 8;

/** An address as a BigInt, or null when it is not a plain `0x…` hex string. */
export function parseAddress(text: unknown): bigint | null {
  if (typeof text !== 'string' || !/^0x[0-9a-f]{1,16}$/i.test(text)) {
    return null;
  }
  return BigInt(text);
}

function bigInt(n: unknown): bigint | null {
  return typeof n === 'number' && Number.isFinite(n) && Number.isInteger(n)
    ? BigInt(n)
    : null;
}

/** A half-open byte range `[start, end)` in the process's memory. */
export interface IRange {
  start: bigint;
  end: bigint;
}

/**
 * The bytes a view's items span, from its data pointer, shape, strides and
 * item size (a negative stride reaches below the data pointer). Null when a
 * number is missing or malformed; an empty range for a view with no items.
 */
export function viewExtent(buffer: BufferBlock): IRange | null {
  const data = parseAddress(buffer.data);
  const itemsize = bigInt(buffer.itemsize);
  if (data === null || itemsize === null) {
    return null;
  }
  const shape = Array.isArray(buffer.shape) ? buffer.shape : [];
  const strides = Array.isArray(buffer.strides) ? buffer.strides : [];
  if (shape.length !== strides.length) {
    return null;
  }
  let low = 0n;
  let high = 0n;
  for (let i = 0; i < shape.length; i++) {
    const n = bigInt(shape[i]);
    const s = bigInt(strides[i]);
    if (n === null || s === null) {
      return null;
    }
    if (n <= 0n) {
      return { start: data, end: data };
    }
    const span = (n - 1n) * s;
    if (span < 0n) {
      low += span;
    } else {
      high += span;
    }
  }
  return { start: data + low, end: data + high + itemsize };
}

/**
 * The offsets (from the data pointer) of the view's items, in memory order of
 * the index, when there are at most `limit` of them; null otherwise.
 */
export function itemOffsets(
  buffer: BufferBlock,
  limit = MAX_MARKED_ITEMS
): bigint[] | null {
  if (!Array.isArray(buffer.shape) || !Array.isArray(buffer.strides)) {
    return null;
  }
  const shape = buffer.shape.map(bigInt);
  const strides = buffer.strides.map(bigInt);
  if (
    shape.length !== strides.length ||
    shape.some(n => n === null) ||
    strides.some(s => s === null)
  ) {
    return null;
  }
  let count = 1n;
  for (const n of shape as bigint[]) {
    count *= n < 0n ? 0n : n;
    if (count > BigInt(limit)) {
      return null;
    }
  }
  let offsets: bigint[] = [0n];
  shape.forEach((n, d) => {
    const next: bigint[] = [];
    for (const base of offsets) {
      for (let i = 0n; i < (n as bigint); i++) {
        next.push(base + i * (strides[d] as bigint));
      }
    }
    offsets = next;
  });
  return offsets;
}

/** The range of the memory an object's buffer owns or views. */
export function bufferRange(buffer: BufferBlock): IRange | null {
  if (buffer.owns_data) {
    const data = parseAddress(buffer.data);
    const n = bigInt(buffer.nbytes);
    return data === null || n === null ? null : { start: data, end: data + n };
  }
  return viewExtent(buffer);
}

/**
 * The drawn object whose buffer this view's memory is shown in: its owner,
 * else its base (when drawn with a buffer block of its own), else none.
 */
export function hostOf(
  obj: RedpillObject,
  objects: ReadonlyMap<string, RedpillObject>
): RedpillObject | null {
  const buffer = obj.buffer;
  if (!buffer || buffer.owns_data) {
    return null;
  }
  for (const address of [buffer.owner, buffer.base]) {
    const host = address === undefined ? undefined : objects.get(address);
    if (host && host !== obj && host.buffer) {
      return host;
    }
  }
  return null;
}

/** A view's place in its host's buffer, in bytes from the host's start. */
export interface IPlacement {
  host: RedpillObject;
  hostRange: IRange;
  /** The view's extent, from the host's start. */
  from: bigint;
  to: bigint;
  /** Whether the extent lies inside the host's buffer. */
  inside: boolean;
}

/** Where `obj`'s items lie in the buffer of the object that holds its memory. */
export function placement(
  obj: RedpillObject,
  objects: ReadonlyMap<string, RedpillObject>
): IPlacement | null {
  const host = hostOf(obj, objects);
  const extent = obj.buffer ? viewExtent(obj.buffer) : null;
  const hostRange = host?.buffer ? bufferRange(host.buffer) : null;
  if (!host || !extent || !hostRange) {
    return null;
  }
  const from = extent.start - hostRange.start;
  const to = extent.end - hostRange.start;
  return {
    host,
    hostRange,
    from,
    to,
    inside: from >= 0n && to <= hostRange.end - hostRange.start
  };
}

/** An address (or any number) in hex, `0x…`. */
export function hexOf(value: bigint): string {
  return `0x${value.toString(16)}`;
}

function tuple(values: unknown): string {
  if (!Array.isArray(values)) {
    return '?';
  }
  const shown = values.slice(0, 8).map(v => String(v));
  const more = values.length > 8 ? ', …' : '';
  return `(${shown.join(', ')}${values.length === 1 ? ',' : ''}${more})`;
}

/** One segment of the bar, as fractions of its width. */
interface ISegment {
  from: number;
  to: number;
  className: string;
}

function fraction(part: bigint, whole: bigint): number {
  if (whole <= 0n) {
    return 0;
  }
  const f = Number((part * 10000n) / whole) / 10000;
  return Math.min(1, Math.max(0, f));
}

/** A bar row: the host buffer, with marked segments. */
function barRow(segments: ISegment[], title: string): IRow {
  return {
    width: BAR_WIDTH,
    height: BAR_HEIGHT + 6,
    draw: (doc, parent, x, y) => {
      const g = svgEl(doc, 'g', { class: 'jp-Redpill-bufferBar' }, parent);
      svgEl(doc, 'title', {}, g).textContent = title;
      svgEl(
        doc,
        'rect',
        {
          class: 'jp-Redpill-bufferFrame',
          x,
          y: y + 3,
          width: BAR_WIDTH,
          height: BAR_HEIGHT
        },
        g
      );
      for (const seg of segments) {
        const w = Math.max(1, (seg.to - seg.from) * BAR_WIDTH);
        svgEl(
          doc,
          'rect',
          {
            class: seg.className,
            x: round(x + seg.from * BAR_WIDTH),
            y: y + 3,
            width: round(Math.min(w, BAR_WIDTH - seg.from * BAR_WIDTH)),
            height: BAR_HEIGHT
          },
          g
        );
      }
    }
  };
}

/** The bar of an object that owns its buffer: used bytes, then the spare ones. */
function ownBar(rows: Rows, buffer: BufferBlock): void {
  const used = bigInt(buffer.nbytes) ?? 0n;
  const allocated = bigInt(buffer.allocated) ?? used;
  const whole = allocated > used ? allocated : used;
  const segments: ISegment[] = [
    {
      from: 0,
      to: whole > 0n ? fraction(used, whole) : 0,
      className: 'jp-Redpill-bufferUsed'
    }
  ];
  if (allocated > used) {
    segments.push({
      from: fraction(used, whole),
      to: 1,
      className: 'jp-Redpill-bufferSpare'
    });
  }
  rows.rows.push(
    barRow(
      segments,
      `${used} bytes used of ${whole} allocated (${whole - used} spare)`
    )
  );
}

/** The bar of a view: its host's buffer with this view's items marked. */
function viewBar(rows: Rows, buffer: BufferBlock, place: IPlacement): void {
  const whole = place.hostRange.end - place.hostRange.start;
  const segments: ISegment[] = [];
  const offsets = itemOffsets(buffer);
  const data = parseAddress(buffer.data);
  const itemsize = bigInt(buffer.itemsize) ?? 0n;
  if (offsets && data !== null && whole > 0n) {
    const start = data - place.hostRange.start;
    for (const off of offsets) {
      const a = start + off;
      segments.push({
        from: fraction(a, whole),
        to: fraction(a + itemsize, whole),
        className: 'jp-Redpill-bufferItem'
      });
    }
  } else if (whole > 0n) {
    segments.push({
      from: fraction(place.from, whole),
      to: fraction(place.to, whole),
      className: 'jp-Redpill-bufferItem'
    });
  }
  rows.rows.push(
    barRow(
      segments,
      `bytes +${place.from} to +${place.to} of the ${whole}-byte buffer of ${place.host.type} ${place.host.address}`
    )
  );
}

/** The first bytes of the data, one hex cell each. */
function dataCells(rows: Rows, buffer: BufferBlock): void {
  const memory = buffer.memory;
  if (!memory || typeof memory.hex !== 'string') {
    return;
  }
  const bytes = (memory.hex.match(/[0-9a-f?]{2}/gi) ?? []).slice(0, MAX_CELLS);
  if (!bytes.length) {
    return;
  }
  rows.cells(
    bytes.map((b, i) => ({
      caption: `+${i}`,
      value: b.toLowerCase(),
      className: 'jp-Redpill-byte'
    })),
    PER_ROW
  );
  const total = typeof memory.size === 'number' ? memory.size : bytes.length;
  if (total > bytes.length) {
    rows.text(
      `… ${plural(total - bytes.length, 'more byte')} not shown`,
      'jp-Redpill-muted'
    );
  }
}

/** What kind of numbers the box's first fact line gives. */
function typeFacts(kind: string, buffer: BufferBlock): [string, string][] {
  switch (kind) {
    case 'ndarray':
      return [
        ['dtype', `${buffer.dtype ?? '?'} ${buffer.format}`],
        ['itemsize', String(buffer.itemsize)],
        ['nbytes', String(buffer.nbytes)]
      ];
    case 'array':
      return [
        ['typecode', `'${buffer.format}'`],
        ['itemsize', String(buffer.itemsize)],
        ['ob_size', String(buffer.shape[0] ?? '?')]
      ];
    case 'bytearray':
      return [
        ['ob_size', String(buffer.nbytes)],
        ['ob_alloc', String(buffer.allocated ?? '?')]
      ];
    default:
      return [
        ['format', buffer.format],
        ['itemsize', String(buffer.itemsize)],
        ['nbytes', String(buffer.nbytes)]
      ];
  }
}

/** The short flags line: contiguity, ownership, writability. */
export function flagText(buffer: BufferBlock): string {
  const parts: string[] = [];
  parts.push(buffer.owns_data ? 'owns its data' : 'a view');
  if (buffer.c_contiguous && buffer.f_contiguous) {
    parts.push('C and F contiguous');
  } else if (buffer.c_contiguous) {
    parts.push('C contiguous');
  } else if (buffer.f_contiguous) {
    parts.push('F contiguous');
  } else {
    parts.push('strided');
  }
  parts.push(buffer.readonly ? 'read-only' : 'writeable');
  return parts.join(' · ');
}

/** The caption under the bar: where the bytes are, in whose buffer. */
function caption(
  ctx: IKindContext,
  buffer: BufferBlock,
  place: IPlacement | null
): string {
  if (buffer.owns_data) {
    const used = bigInt(buffer.nbytes) ?? 0n;
    const allocated = bigInt(buffer.allocated) ?? used;
    return allocated > used
      ? `${used} used + ${allocated - used} spare of ${allocated} bytes allocated`
      : `its own ${plural(Number(used), 'byte')}`;
  }
  if (!place) {
    const target = buffer.owner ?? buffer.base;
    return target
      ? `memory of ${ctx.address(target)} (not drawn)`
      : 'memory of an object not drawn';
  }
  const whole = place.hostRange.end - place.hostRange.start;
  if (!place.inside) {
    return `outside the buffer of ${place.host.type} (${whole} bytes)`;
  }
  return `bytes +${place.from}…+${place.to} of ${place.host.type}'s ${whole}`;
}

/**
 * The body of a buffer or view box: repr, the type's numbers, shape and
 * strides, flags, the data's address range, the bar, the first bytes and the
 * pointer slot to the base or exporter.
 */
export function bufferBody(rows: Rows, ctx: IKindContext): void {
  const { obj, model } = ctx;
  rows.repr(obj.repr);
  const buffer = obj.buffer;
  const kind = model.kinds.get(obj.address) ?? 'other';
  if (!buffer) {
    rows.text('(buffer not read)', 'jp-Redpill-muted');
  } else {
    rows.facts(typeFacts(kind, buffer));
    if (kind !== 'bytearray' && kind !== 'array') {
      rows.facts([
        ['shape', tuple(buffer.shape)],
        ['strides', tuple(buffer.strides)]
      ]);
    }
    rows.text(flagText(buffer), 'jp-Redpill-fact');
    const range = bufferRange(buffer);
    const data = parseAddress(buffer.data);
    if (range && range.end > range.start) {
      rows.text(
        `data ${ctx.address(hexOf(range.start))} … ${ctx.address(hexOf(range.end))}`,
        `jp-Redpill-fact jp-Redpill-bufferRange ${VOLATILE}`
      );
    } else {
      rows.text(
        `data ${data === null ? '?' : ctx.address(hexOf(data))} (no bytes)`,
        `jp-Redpill-fact jp-Redpill-bufferRange ${VOLATILE}`
      );
    }
    const place = placement(obj, model.objects);
    if (buffer.owns_data) {
      ownBar(rows, buffer);
    } else if (place) {
      viewBar(rows, buffer, place);
    }
    rows.text(caption(ctx, buffer, place), 'jp-Redpill-bufferCaption');
    dataCells(rows, buffer);
  }
  const slots = model.slots.get(obj.address) ?? [];
  slots.forEach((slot, i) => rows.slot(slot, i));
}
