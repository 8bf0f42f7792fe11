/**
 * Static copies of a diagram, for places without this extension: a
 * self-contained SVG (every style resolved to literal colours and fonts as
 * presentation attributes: no classes, no CSS variables, no script, no event
 * attributes, no focus/role hooks), the source of the downloaded .svg file and
 * of the PNG copy. Pure DOM/string code, tested in jsdom; the PNG raster
 * lives in `png.ts` (it needs a real canvas).
 */
import { CODE_FONT, SVG_NS, VOLATILE } from './svg';

export { summaryCopy } from './summary-copy';

/** Literal colours the static copy is painted with. */
export interface IExportPalette {
  background: string;
  text: string;
  muted: string;
  border1: string;
  border2: string;
  layout1: string;
  layout2: string;
  layout3: string;
  brand1: string;
  brand2: string;
  warn: string;
  /** Field/bit colours (Okabe–Ito, translucent), as in style/base.css. */
  fields: string[];
}

/** JupyterLab's light theme, resolved (the stored PNG always uses it). */
export const LIGHT_PALETTE: IExportPalette = {
  background: '#ffffff',
  text: 'rgba(0, 0, 0, 0.87)',
  muted: 'rgba(0, 0, 0, 0.54)',
  border1: '#bdbdbd',
  border2: '#e0e0e0',
  layout1: '#ffffff',
  layout2: '#eeeeee',
  layout3: '#bdbdbd',
  brand1: '#1976d2',
  brand2: '#64b5f6',
  warn: '#f57c00',
  fields: [
    'rgba(230, 159, 0, 0.35)',
    'rgba(86, 180, 233, 0.35)',
    'rgba(0, 158, 115, 0.35)',
    'rgba(240, 228, 66, 0.4)',
    'rgba(0, 114, 178, 0.35)',
    'rgba(213, 94, 0, 0.35)',
    'rgba(204, 121, 167, 0.35)',
    'rgba(153, 153, 153, 0.35)'
  ]
};

/** The code font of the static copy (JupyterLab's default code font stack). */
export const EXPORT_FONT = CODE_FONT;

/**
 * The palette's colours and the theme variables they stand for (the field
 * colours are `--jp-Redpill-field-<i>`, defined in style/base.css).
 */
export const PALETTE_VARIABLES: [keyof IExportPalette, string][] = [
  ['background', '--jp-layout-color0'],
  ['text', '--jp-ui-font-color1'],
  ['muted', '--jp-ui-font-color2'],
  ['border1', '--jp-border-color1'],
  ['border2', '--jp-border-color2'],
  ['layout1', '--jp-layout-color1'],
  ['layout2', '--jp-layout-color2'],
  ['layout3', '--jp-layout-color3'],
  ['brand1', '--jp-brand-color1'],
  ['brand2', '--jp-brand-color2'],
  ['warn', '--jp-warn-color1']
];

/**
 * The palette of the theme an element is shown in (for downloads that match
 * what the user sees); anything unresolved falls back to the light palette.
 */
export function paletteOf(element: Element): IExportPalette {
  const palette: IExportPalette = {
    ...LIGHT_PALETTE,
    fields: [...LIGHT_PALETTE.fields]
  };
  const view = element.ownerDocument.defaultView;
  if (!view) {
    return palette;
  }
  const style = view.getComputedStyle(element);
  const literal = (value: string) => {
    const v = value.trim();
    return v && !v.includes('var(') && /^[#a-z0-9(),.\s%-]+$/i.test(v)
      ? v
      : null;
  };
  for (const [key, name] of PALETTE_VARIABLES) {
    const v = literal(style.getPropertyValue(name));
    if (v) {
      (palette[key] as string) = v;
    }
  }
  for (let i = 0; i < palette.fields.length; i++) {
    const v = literal(style.getPropertyValue(`--jp-Redpill-field-${i}`));
    if (v) {
      palette.fields[i] = v;
    }
  }
  return palette;
}

/** Presentation attributes: name → literal value. */
export type StaticProps = Record<string, string>;

/**
 * style/base.css for the SVG, as presentation attributes in palette `p`:
 * [selector, props], later rules win (the same order as the stylesheet). A
 * jest test (static-style.spec.ts) checks them against the stylesheet, so a
 * change to one that is not made to the other fails.
 */
export function staticRules(p: IExportPalette): [string, StaticProps][] {
  const f = p.fields;
  return [
    ['text', { fill: p.text }],
    ['.jp-Redpill-nameFrame', { fill: p.layout2, stroke: p.border1 }],
    ['.jp-Redpill-nameText', { 'font-weight': '600' }],
    [
      '.jp-Redpill-name-missing .jp-Redpill-nameFrame',
      { stroke: p.warn, 'stroke-dasharray': '3 2' }
    ],
    ['.jp-Redpill-name-rebound .jp-Redpill-nameFrame', { stroke: p.brand2 }],
    ['.jp-Redpill-stackFrameRect', { fill: p.layout1, stroke: p.border2 }],
    [
      '.jp-Redpill-stackFrame-current .jp-Redpill-stackFrameRect',
      { stroke: p.brand1, 'stroke-width': '1.5' }
    ],
    ['.jp-Redpill-stackFrame-suspended', { opacity: '0.55' }],
    [
      '.jp-Redpill-stackFrame-suspended .jp-Redpill-stackFrameRect',
      { 'stroke-dasharray': '4 3' }
    ],
    ['.jp-Redpill-stackFrameTitle', { 'font-weight': '700' }],
    ['.jp-Redpill-stackFrameLine', { fill: p.muted }],
    ['.jp-Redpill-stackFrameException', { fill: p.warn, 'font-weight': '600' }],
    [
      '.jp-Redpill-name-return .jp-Redpill-nameText',
      { 'font-style': 'italic' }
    ],
    [
      '.jp-Redpill-boxFrame',
      { fill: p.layout1, stroke: p.border1, 'stroke-width': '1' }
    ],
    ['.jp-Redpill-boxTitleBar', { fill: p.layout2, stroke: p.border1 }],
    [
      '.jp-Redpill-immortal .jp-Redpill-boxFrame',
      { 'stroke-dasharray': '5 2' }
    ],
    ['.jp-Redpill-type', { 'font-weight': '700' }],
    ['.jp-Redpill-refcount', { 'font-weight': '600' }],
    [
      '.jp-Redpill-address, .jp-Redpill-typeAddress, .jp-Redpill-holders, .jp-Redpill-madeBy, .jp-Redpill-muted, .jp-Redpill-caption, .jp-Redpill-elided',
      { fill: p.muted }
    ],
    ['.jp-Redpill-caption', { 'font-size': '9px' }],
    ['.jp-Redpill-formula', { fill: p.text, 'font-style': 'italic' }],
    ['.jp-Redpill-rule', { stroke: p.border2 }],
    ['.jp-Redpill-cellFrame', { fill: p.layout2, stroke: p.border1 }],
    ['.jp-Redpill-digit .jp-Redpill-cellFrame', { fill: f[1] }],
    ['.jp-Redpill-bitText', { 'font-size': '10px' }],
    ['.jp-Redpill-bits-sign .jp-Redpill-cellFrame', { fill: f[5] }],
    ['.jp-Redpill-bits-exponent .jp-Redpill-cellFrame', { fill: f[1] }],
    ['.jp-Redpill-bits-mantissa .jp-Redpill-cellFrame', { fill: f[2] }],
    ['.jp-Redpill-badge rect', { fill: p.layout3, stroke: p.border1 }],
    ['.jp-Redpill-badgeText', { 'font-size': '10px' }],
    ['.jp-Redpill-badge-immortal rect', { fill: f[0] }],
    ['.jp-Redpill-badge-smallint rect', { fill: f[2] }],
    ['.jp-Redpill-badge-unexplained rect', { fill: f[7] }],
    ['.jp-Redpill-slotFrame', { fill: p.layout2, stroke: p.border2 }],
    ['.jp-Redpill-slotLabel', { 'font-weight': '600' }],
    [
      '.jp-Redpill-slot-empty .jp-Redpill-slotFrame',
      { 'stroke-dasharray': '2 2' }
    ],
    ['.jp-Redpill-slotDot', { fill: p.brand1 }],
    [
      '.jp-Redpill-arrowPath',
      { fill: 'none', stroke: p.brand1, 'stroke-width': '1.5' }
    ],
    ['.jp-Redpill-arrow-slot .jp-Redpill-arrowPath', { stroke: p.muted }],
    ['.jp-Redpill-arrowHead, .jp-Redpill-arrowTail', { fill: p.brand1 }],
    [
      '.jp-Redpill-arrow-slot .jp-Redpill-arrowHead, .jp-Redpill-arrow-slot .jp-Redpill-arrowTail',
      { fill: p.muted }
    ],
    ['.jp-Redpill-bufferFrame', { fill: p.layout2, stroke: p.border1 }],
    ['.jp-Redpill-bufferUsed', { fill: f[2] }],
    [
      '.jp-Redpill-bufferSpare',
      { fill: f[7], stroke: p.border2, 'stroke-dasharray': '2 2' }
    ],
    [
      '.jp-Redpill-bufferItem',
      { fill: f[4], stroke: p.border1, 'stroke-width': '0.5' }
    ],
    ['.jp-Redpill-bufferCaption', { fill: p.muted, 'font-size': '11px' }]
  ];
}

/**
 * Attributes that only make sense with our script and stylesheet. (What may
 * be in a copy at all is decided by `svgMarkup`'s allowlist.)
 */
const INTERACTIVE = ['class', 'tabindex', 'role', 'style'];

/**
 * A self-contained copy of a drawn diagram `<svg>`: same geometry at 100%
 * zoom, a background, every style as a literal presentation attribute, and
 * nothing that needs our CSS or script. The input is not modified. Its
 * markup is written by `svgMarkup`. With `snap`, everything is put on whole
 * pixels (`snapToPixels`), for a raster at one device pixel per CSS pixel.
 */
export function staticSvg(
  svg: SVGSVGElement,
  palette: IExportPalette = LIGHT_PALETTE,
  snap = false
): SVGSVGElement {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  // Resolve the rules against the copy while it still has its classes.
  const resolved = new Map<Element, StaticProps>();
  for (const [selector, props] of staticRules(palette)) {
    copy.querySelectorAll(selector).forEach(el => {
      resolved.set(el, { ...(resolved.get(el) ?? {}), ...props });
    });
  }
  const all = [copy, ...Array.from(copy.querySelectorAll('*'))];
  for (const el of all) {
    // Keep the "changes from run to run" mark as data (screenshot masks).
    if (el.classList.contains(VOLATILE)) {
      el.setAttribute('data-volatile', '1');
    }
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (INTERACTIVE.includes(name) || name === 'aria-label') {
        el.removeAttribute(attr.name);
      }
    }
    for (const [key, value] of Object.entries(resolved.get(el) ?? {})) {
      el.setAttribute(key, value);
    }
    if (snap) {
      snapToPixels(el);
    }
  }

  let [, , w, h] = (copy.getAttribute('viewBox') ?? '0 0 0 0')
    .split(/\s+/)
    .map(Number);
  if (snap) {
    // Whole pixels: the background then covers the raster's last row and
    // column too (a half-covered one would let a dark page show through).
    [w, h] = [Math.ceil(w), Math.ceil(h)];
    copy.setAttribute('viewBox', `0 0 ${w} ${h}`);
  }
  // The serializer writes the namespace itself (a literal xmlns attribute
  // would come out twice).
  copy.removeAttribute('xmlns');
  copy.setAttribute('width', String(w));
  copy.setAttribute('height', String(h));
  copy.setAttribute('font-family', EXPORT_FONT);
  copy.setAttribute('font-size', '12');
  // Aligned lines keep their spaces (CSS does this in the page). Set on each
  // text: page styles around an inline copy may override an inherited value.
  copy.setAttribute('style', 'white-space:pre');
  copy.querySelectorAll('text').forEach(text => {
    if (/^ | $| {2}/.test(text.textContent ?? '')) {
      text.setAttribute('style', 'white-space:pre');
      text.setAttribute('xml:space', 'preserve');
    }
  });
  copy.setAttribute('role', 'img');
  const title = copy.querySelector(':scope > title');
  const desc = copy.querySelector(':scope > desc');
  const label = [title?.textContent, desc?.textContent]
    .filter(Boolean)
    .join('. ');
  if (label) {
    copy.setAttribute('aria-label', label);
  }
  const doc = copy.ownerDocument;
  const background = doc.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', palette.background);
  // After <title>/<desc>, before the drawing.
  const first = Array.from(copy.children).find(
    c => c.localName !== 'title' && c.localName !== 'desc'
  );
  copy.insertBefore(background, first ?? null);
  return copy;
}

/** A `translate(x y)` transform, its two numbers captured. */
const TRANSLATE = /^translate\((-?[\d.]+(?:e-?\d+)?) (-?[\d.]+(?:e-?\d+)?)\)$/i;

/**
 * Put an element of the copy on whole pixels: a group's translation rounded
 * (boxes sit at half pixels in the layout), rectangles and lines drawn
 * without anti-aliasing. Their edges are then one sharp pixel wide, which
 * reads better at one device pixel per CSS pixel and compresses far better
 * in the PNG (a 100-object diagram's monochrome copy: 1 bit per pixel).
 */
function snapToPixels(el: Element): void {
  const match = TRANSLATE.exec(el.getAttribute('transform') ?? '');
  if (match) {
    const [x, y] = [Number(match[1]), Number(match[2])].map(Math.round);
    el.setAttribute('transform', `translate(${x} ${y})`);
  }
  if (el.localName === 'rect' || el.localName === 'line') {
    el.setAttribute('shape-rendering', 'crispEdges');
  }
}

/** What a static copy may hold of an attribute: any text, or values of a form. */
type AttrRule = 'text' | RegExp;

const NUMBER = /^-?\d+(\.\d+)?(e-?\d+)?(px|%)?$/i;
const NUMBERS = /^[-\d.\s,e]+$/i;
const COLOUR =
  /^(#[0-9a-f]{3,8}|rgba?\(\s*[\d.]+%?(\s*,\s*[\d.]+%?){2,3}\s*\)|none|[a-z]+)$/i;

/**
 * The static SVG allowlist: exactly the elements and attributes the drawing
 * (after `staticSvg`) emits, each attribute with the form its value must
 * have. Data hooks and labels carry payload text and are written escaped;
 * everything else must look like a number, a colour or a keyword.
 */
const SVG_ELEMENTS = new Set([
  'svg',
  'title',
  'desc',
  'g',
  'rect',
  'text',
  'tspan',
  'line',
  'circle',
  'path'
]);
const SVG_ATTRIBUTES = new Map<string, AttrRule>([
  ['viewBox', NUMBERS],
  ['width', NUMBER],
  ['height', NUMBER],
  ['x', NUMBER],
  ['y', NUMBER],
  ['rx', NUMBER],
  ['x1', NUMBER],
  ['x2', NUMBER],
  ['y1', NUMBER],
  ['y2', NUMBER],
  ['cx', NUMBER],
  ['cy', NUMBER],
  ['r', NUMBER],
  ['textLength', NUMBER],
  ['font-size', NUMBER],
  ['stroke-width', NUMBER],
  ['stroke-dasharray', NUMBERS],
  ['opacity', NUMBER],
  ['shape-rendering', /^crispEdges$/],
  ['transform', /^translate\(-?[\d.]+(e-?\d+)? -?[\d.]+(e-?\d+)?\)$/i],
  ['d', /^[MLCQZHVA\d\s.,e-]+$/i],
  ['fill', COLOUR],
  ['stroke', COLOUR],
  ['font-family', /^[\w\s,'-]+$/],
  ['font-weight', /^(\d{3}|normal|bold)$/],
  ['font-style', /^(normal|italic)$/],
  ['text-anchor', /^(start|middle|end)$/],
  ['lengthAdjust', /^(spacing|spacingAndGlyphs)$/],
  ['xml:space', /^preserve$/],
  ['style', /^white-space:pre$/],
  ['role', /^img$/],
  ['aria-label', 'text'],
  ['data-name', 'text'],
  ['data-target', 'text'],
  ['data-address', 'text'],
  ['data-type', 'text'],
  ['data-kind', 'text'],
  ['data-refcount', 'text'],
  ['data-char', 'text'],
  ['data-slot', 'text'],
  ['data-digit', 'text'],
  ['data-sum', 'text'],
  ['data-from', 'text'],
  ['data-to', 'text'],
  ['data-label', 'text'],
  ['data-end-x', 'text'],
  ['data-end-y', 'text'],
  ['data-volatile', 'text'],
  ['data-call', NUMBER],
  ['data-frame', NUMBER],
  ['data-line', NUMBER],
  ['data-function', 'text']
]);

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
};

/** Text escaped for markup (element content and quoted attribute values). */
function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, ch => HTML_ESCAPES[ch]);
}

function allowedAttributes(
  el: Element,
  rules: ReadonlyMap<string, AttrRule>,
  value: (name: string, raw: string) => string | null = (_, raw) => raw
): string {
  let out = '';
  for (const attr of Array.from(el.attributes)) {
    const rule = rules.get(attr.name);
    if (rule === undefined) {
      continue;
    }
    const v = value(attr.name, attr.value);
    if (v === null || (rule !== 'text' && !rule.test(v))) {
      continue;
    }
    out += ` ${attr.name}="${escapeMarkup(v)}"`;
  }
  return out;
}

function svgNode(node: Node, root = false): string {
  if (node.nodeType === node.TEXT_NODE) {
    return escapeMarkup(node.nodeValue ?? '');
  }
  if (node.nodeType !== node.ELEMENT_NODE) {
    return ''; // comments, processing instructions, CDATA: left out
  }
  const el = node as Element;
  if (el.namespaceURI !== SVG_NS || !SVG_ELEMENTS.has(el.localName)) {
    return ''; // with everything inside it
  }
  const name = el.localName;
  const xmlns = root ? ` xmlns="${SVG_NS}"` : '';
  const attrs = allowedAttributes(el, SVG_ATTRIBUTES);
  const inner = Array.from(el.childNodes)
    .map(child => svgNode(child))
    .join('');
  return `<${name}${xmlns}${attrs}>${inner}</${name}>`;
}

/**
 * Markup of a static SVG (standalone: usable as an .svg file), written by
 * walking the DOM and emitting only the allowlisted elements and attributes
 * (values escaped, each of the form it must have); anything else, and
 * everything inside an element left out, is dropped. Never a filter over
 * serialised markup.
 */
export function svgMarkup(svg: SVGSVGElement): string {
  return svgNode(svg, true);
}

/** An .svg file's text. */
export function svgFile(svg: SVGSVGElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svgMarkup(svg)}\n`;
}

/**
 * A short, stable hash of a payload (FNV-1a over its JSON, two 32-bit lanes):
 * tags the stored copy so a redraw knows it is already there.
 */
export function payloadHash(data: unknown): string {
  let text: string;
  try {
    text = typeof data === 'string' ? data : String(JSON.stringify(data));
  } catch {
    text = String(data); // not JSON (a cycle): validation will say so
  }
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}
