/**
 * Small SVG helpers for the drawing (HTML elements: `../dom.ts`). Every element is made with
 * `createElementNS`/`createElement` and every user-derived string goes in
 * through `textContent` or as an attribute *value* (never as markup, never as
 * an attribute name).
 */

/** The SVG namespace every drawn element is made in. */
export const SVG_NS = 'http://www.w3.org/2000/svg';

/** The code font, spelled out (JupyterLab's default code font stack). */
export const CODE_FONT =
  "Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace";

/** Font metrics estimated for the monospace code font (no DOM measuring). */
export const FONT_SIZE = 12;
/** Estimated width of one code-font character, in pixels. */
export const CHAR_WIDTH = 7.3;
/** Height of one text line of a box, in pixels. */
export const LINE_HEIGHT = 17;
/** Padding inside a box, in pixels. */
export const PAD = 8;
/** Most characters on one text line of a box. */
export const MAX_LINE_CHARS = 52;

/** SVG attributes by name; undefined values are left out. */
export type Attrs = Record<string, string | number | undefined>;

/**
 * Make an SVG element with `attrs` (values only, never names, come from data),
 * appended to `parent`.
 */
export function svgEl<K extends keyof SVGElementTagNameMap>(
  doc: Document,
  tag: K,
  attrs: Attrs = {},
  parent?: Element
): SVGElementTagNameMap[K] {
  const node = doc.createElementNS(SVG_NS, tag) as SVGElementTagNameMap[K];
  setAttrs(node, attrs);
  if (parent) {
    parent.appendChild(node);
  }
  return node;
}

/** Set every defined attribute of `attrs` on `node`. */
export function setAttrs(node: Element, attrs: Attrs): void {
  for (const key of Object.keys(attrs)) {
    const value = attrs[key];
    if (value !== undefined) {
      node.setAttribute(key, String(value));
    }
  }
}

/** An SVG `<text>` whose content is set as text. */
export function svgText(
  doc: Document,
  parent: Element,
  x: number,
  y: number,
  text: string,
  className?: string,
  attrs: Attrs = {}
): SVGTextElement {
  const node = svgEl(
    doc,
    'text',
    { x: round(x), y: round(y), class: className, ...attrs },
    parent
  );
  node.textContent = text;
  return node;
}

/** Width in pixels of a text in the code font (estimated). */
export function textWidth(text: string, charWidth = CHAR_WIDTH): number {
  return Array.from(text).length * charWidth;
}

/** `n` rounded to one decimal (short, stable coordinates). */
export function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Show control and invisible characters as escapes (one visible token). */
export function visibleChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  switch (ch) {
    case '\n':
      return '\\n';
    case '\t':
      return '\\t';
    case '\r':
      return '\\r';
    case ' ':
      return '␣';
  }
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) {
    return `\\x${code.toString(16).padStart(2, '0')}`;
  }
  return ch;
}

/** A text made safe to show on one line: control characters escaped. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ch => visibleChar(ch));
}

/** Class of every element whose text changes from run to run (addresses, hashes, raw bytes). */
export const VOLATILE = 'jp-Redpill-volatile';
