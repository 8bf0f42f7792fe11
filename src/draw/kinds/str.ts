/**
 * str (PyUnicodeObject) and bytes: length, hash, state bits (kind, ascii,
 * compact, interned) and the characters in their storage kind.
 */
import { VOLATILE, visibleChar } from '../svg';
import type { Rows } from '../rows';
import type { IKindContext } from './context';

const MAX_CHARS = 32;
const PER_ROW = 8;

const KIND_NAMES: Record<number, string> = {
  0: 'wchar_t (legacy)',
  1: '1 byte/char (Py_UCS1)',
  2: '2 bytes/char (Py_UCS2)',
  4: '4 bytes/char (Py_UCS4)'
};

const INTERNED: Record<number, string> = {
  0: 'not interned',
  1: 'interned (mortal)',
  2: 'interned (immortal)',
  3: 'interned (immortal, static)'
};

/**
 * The body of a str box: its length, its state bits and its characters, one
 * cell each.
 */
export function strBody(rows: Rows, ctx: IKindContext): void {
  const info = ctx.obj.str;
  if (!info) {
    rows.repr(ctx.obj.repr);
    return;
  }
  rows.facts([['length', String(info.length)]]);
  // The hash of a str changes from run to run (hash randomization).
  rows.text(
    `hash ${info.hash === undefined ? '?' : info.hash === '-1' ? '-1 (not computed)' : info.hash}`,
    info.hash === undefined || info.hash === '-1'
      ? 'jp-Redpill-fact'
      : `jp-Redpill-fact ${VOLATILE}`
  );
  rows.text(
    `state: kind ${info.kind} = ${KIND_NAMES[info.kind] ?? '?'}`,
    'jp-Redpill-fact'
  );
  rows.text(
    `       ascii ${info.ascii ? 1 : 0} · compact ${info.compact ? 1 : 0} · ${INTERNED[info.interned] ?? `interned ${info.interned}`}`,
    'jp-Redpill-fact'
  );
  const chars = Array.from(info.text);
  const shown = chars.slice(0, MAX_CHARS);
  if (shown.length) {
    rows.cells(
      shown.map((ch, i) => ({
        caption: String(i),
        value: visibleChar(ch),
        className: 'jp-Redpill-char',
        attrs: { 'data-char': i }
      })),
      PER_ROW
    );
  } else {
    rows.text("'' (empty)", 'jp-Redpill-muted');
  }
  const more = info.length - shown.length;
  if (more > 0 || info.text_truncated) {
    rows.text(
      `… ${Math.max(more, 0)} more characters not shown`,
      'jp-Redpill-muted'
    );
  }
}

/**
 * The body of a bytes box: its repr, ob_size and its bytes, one hex cell each.
 */
export function bytesBody(rows: Rows, ctx: IKindContext): void {
  const info = ctx.obj.bytes;
  rows.repr(ctx.obj.repr);
  if (!info) {
    return;
  }
  rows.facts([['ob_size', String(info.length)]]);
  const bytes = (info.hex.match(/[0-9a-fA-F]{2}/g) ?? []).slice(0, MAX_CHARS);
  if (bytes.length) {
    rows.cells(
      bytes.map((b, i) => ({
        caption: String(i),
        value: b.toLowerCase(),
        className: 'jp-Redpill-byte'
      })),
      PER_ROW
    );
  }
  const more = info.length - bytes.length;
  if (more > 0 || info.truncated) {
    rows.text(
      `… ${Math.max(more, 0)} more bytes not shown`,
      'jp-Redpill-muted'
    );
  }
}
