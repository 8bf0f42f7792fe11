/**
 * Words the renderer shows, written one way everywhere: counted nouns, the
 * interpreter's caption, and how an object address is found inside a text.
 * Pure functions; no DOM.
 */
import type { Interpreter } from './model/payload.generated';

/**
 * `count` and `noun`, the noun's last word in the plural unless the count
 * is one: `plural(3, 'more name')` is `3 more names`.
 */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** What ran the cell: `CPython 3.13.5 · 64-bit` (and `· free-threaded`). */
export function interpreterCaption(interpreter: Interpreter): string {
  const threads = interpreter.free_threaded ? ' · free-threaded' : '';
  return `${interpreter.implementation} ${interpreter.version} · ${interpreter.pointer_size * 8}-bit${threads}`;
}

/**
 * An object address written in a text (`hex(id(obj))`): `0x` and at least
 * four hex digits, so that small hex numbers such as `0x10` are not taken for
 * addresses. Global: use it with `split`, `replace` or `matchAll`.
 */
export const ADDRESS_IN_TEXT = /0x[0-9a-f]{4,}/gi;

/** Split `text` into plain pieces (even indices) and addresses (odd ones). */
export function splitAddresses(text: string): string[] {
  return text.split(new RegExp(`(${ADDRESS_IN_TEXT.source})`, 'i'));
}
