/**
 * An object box: the common header (type with its module and type address,
 * address, refcount, immortal badge, holders) over the kind's internals.
 * `prepareBox` sizes the box without touching the DOM; `draw` builds it.
 */
import type { IRedpillModel } from '../model/model';
import { clip } from '../model/model';
import type { Holder, RedpillObject } from '../model/payload.generated';
import type { AddressFormat } from '../tokens';
import { formatAddress } from './address-format';
import { birthOf } from './cstory';
import { KIND_BODIES } from './kinds';
import { Rows } from './rows';
import {
  FONT_SIZE,
  LINE_HEIGHT,
  MAX_LINE_CHARS,
  PAD,
  VOLATILE,
  oneLine,
  round,
  svgEl,
  svgText,
  textWidth
} from './svg';

/** Narrowest object box, in pixels (wide enough for the title bar). */
export const MIN_BOX_WIDTH = 150;
const TYPE_CHARS = 28;
/** Longest line of the "made by …" rows in a box (the details view has it all). */
const BIRTH_CHARS = 40;

/**
 * The "made by a → b → c" rows of a box: the birth summary's first part
 * (before a parenthesis or a semicolon), cut at the arrows and spaces into
 * lines of at most BIRTH_CHARS (at most three), and for a literal of the cell
 * (an id ending in `@literal`) when it was made.
 */
export function birthLines(id: string, summary: string): string[] {
  // the box has the first sentence without its parenthesis; the details all
  const text = oneLine(summary)
    .split(/; | \(/)[0]
    .trim();
  // words, an arrow kept with the word after it
  const words: string[] = [];
  for (const word of text.split(' ').filter(Boolean)) {
    const last = words.length - 1;
    if (last >= 0 && words[last] === '→') {
      words[last] = `→ ${word}`;
    } else {
      words.push(word);
    }
  }
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (line && Array.from(next).length > BIRTH_CHARS) {
      lines.push(clip(line, BIRTH_CHARS));
      line = word;
    } else {
      line = next;
    }
  }
  if (line) {
    lines.push(clip(line, BIRTH_CHARS));
  }
  const out = lines.slice(0, 3);
  if (id.endsWith('@literal')) {
    out.push('a literal: made when the cell was compiled');
  }
  return out;
}

/**
 * An object box measured and ready to draw: its size, its slot anchors and its
 * rows.
 */
export interface IPreparedBox {
  address: string;
  width: number;
  height: number;
  /** y of each pointer slot's dot, from the top of the box, by slot index. */
  anchors: Map<number, number>;
  /** x of the slot dots, from the left of the box. */
  anchorX: number;
  draw(doc: Document, parent: Element, x: number, y: number): SVGGElement;
}

/**
 * A holder in words: `name age`, `list 0x… [0]`, `frame fact: n` (a local
 * variable of a call).
 */
export function holderText(holder: Holder): string {
  if ('frame' in holder) {
    return `frame ${clip(oneLine(holder.function), 40)}: ${holder.name}`;
  }
  if ('name' in holder) {
    return `name ${holder.name}`;
  }
  const count = holder.count && holder.count > 1 ? ` ×${holder.count}` : '';
  const via = holder.via ? ` ${holder.via}` : '';
  return `${holder.type ?? 'object'} ${holder.object}${via}${count}`;
}

/** A slot after its container: `list[0]`, `obj.attr`, `set member`. */
function viaText(via: string | undefined): string {
  if (!via) {
    return '';
  }
  return /^[[.]/.test(via) ? via : ` ${via}`;
}

/** The short holder list shown in the box: names and slots. */
function holderSummary(obj: RedpillObject): string | null {
  if (!obj.holders || obj.holders.length === 0) {
    return null;
  }
  const parts = obj.holders.map(h =>
    'frame' in h
      ? holderText(h)
      : 'name' in h
        ? h.name
        : `${h.type ?? 'object'}${viaText(h.via)}`
  );
  return `held by ${parts.join(', ')}`;
}

/** The type name a box shows: module-qualified unless the type is a builtin. */
export function typeLabel(obj: RedpillObject): string {
  const module =
    obj.type_module && obj.type_module !== 'builtins'
      ? `${obj.type_module}.`
      : '';
  return `${module}${obj.type}`;
}

/**
 * The refcount as the details panel writes it, saying when the object is
 * immortal.
 */
export function refcountLabel(obj: RedpillObject): string {
  return obj.immortal
    ? `refcnt ${obj.refcount} (immortal)`
    : `refcnt ${obj.refcount}`;
}

/** Plain-text description of a box (aria-label, tooltip). */
export function describeObject(obj: RedpillObject): string {
  const parts = [
    `${typeLabel(obj)} object at ${obj.address}`,
    refcountLabel(obj)
  ];
  if (obj.repr !== undefined) {
    parts.push(`value ${clip(oneLine(obj.repr), 80)}`);
  }
  if (obj.holders && obj.holders.length) {
    parts.push(`held by: ${obj.holders.map(holderText).join('; ')}`);
  }
  if (obj.unexplained !== undefined && obj.unexplained !== 0) {
    parts.push(
      `${obj.unexplained} reference(s) not explained by the holders found`
    );
  }
  return parts.join(', ');
}

/**
 * Class of boxes for objects the whole interpreter shares (immortal, cached
 * small ints, interned strings, singletons, functions, classes, modules):
 * their refcount and holders depend on what else the process holds.
 */
export const SHARED = 'jp-Redpill-shared';

const SHARED_KINDS = new Set(['bool', 'none', 'function', 'class', 'module']);

/**
 * Whether the whole interpreter shares the object (immortal, a cached small
 * int, a singleton kind).
 */
export function isShared(obj: RedpillObject, kind: string): boolean {
  return (
    obj.immortal ||
    SHARED_KINDS.has(kind) ||
    obj.int?.small_int_cached === true ||
    (obj.str !== undefined && obj.str.interned > 0)
  );
}

/**
 * Measure the box of the object at `address` and lay out its header and body
 * rows.
 */
export function prepareBox(
  model: IRedpillModel,
  address: string,
  addressFormat: AddressFormat = 'full'
): IPreparedBox {
  const fmt = (a: string) => formatAddress(a, addressFormat);
  const obj = model.objects.get(address)!;
  const kind = model.kinds.get(address) ?? 'other';
  const type = clip(oneLine(typeLabel(obj)), TYPE_CHARS);
  // The header is short: immortality is told by the box's look and badge.
  const refcnt = `refcnt ${obj.refcount}`;

  const header = new Rows();
  header.text(`at ${fmt(obj.address)}`, `jp-Redpill-address ${VOLATILE}`);
  if (obj.type_address) {
    header.text(
      `ob_type → ${fmt(obj.type_address)}`,
      `jp-Redpill-typeAddress ${VOLATILE}`
    );
  }
  const badges: { text: string; className: string; title?: string }[] = [];
  if (obj.immortal) {
    badges.push({
      text: '∞ immortal',
      className: 'jp-Redpill-badge-immortal',
      title:
        'Immortal object: its refcount is never changed and it is never freed.'
    });
  }
  if (obj.unexplained !== undefined && obj.unexplained !== 0) {
    badges.push({
      text: `${obj.unexplained > 0 ? '+' : ''}${obj.unexplained} unexplained`,
      className: 'jp-Redpill-badge-unexplained',
      title:
        'References no holder found explains: code constants, interpreter caches, C code or frames' +
        ' (negative on 3.14+, where frames hold borrowed references).'
    });
  }
  if (badges.length) {
    header.badges(badges);
  }
  const holders = holderSummary(obj);
  if (holders) {
    header.text(holders, 'jp-Redpill-holders');
  }
  const birth = birthOf(model.payload, obj);
  if (birth) {
    for (const line of birthLines(obj.birth ?? '', birth.summary)) {
      header.text(line, 'jp-Redpill-madeBy');
    }
  }

  const body = new Rows();
  KIND_BODIES[kind](body, { model, obj, address: fmt });

  const titleWidth = textWidth(type) + 16 + textWidth(refcnt);
  const inner = Math.max(
    header.width,
    body.width,
    titleWidth,
    MIN_BOX_WIDTH - 2 * PAD
  );
  const width = Math.ceil(
    Math.min(inner, textWidth('x'.repeat(MAX_LINE_CHARS)) + 40) + 2 * PAD
  );
  const titleHeight = LINE_HEIGHT + 6;
  const bodyTop = titleHeight + header.height + (body.rows.length ? 8 : 0);
  const height = Math.ceil(bodyTop + body.height + PAD);
  const anchors = new Map<number, number>();
  body.anchors.forEach((y, i) => anchors.set(i, bodyTop + y));
  const innerWidth = width - 2 * PAD;

  return {
    address,
    width,
    height,
    anchors,
    anchorX: width - PAD - 9,
    draw(doc, parent, x, y) {
      const g = svgEl(
        doc,
        'g',
        {
          class: `jp-Redpill-box jp-Redpill-kind-${kind}${obj.immortal ? ' jp-Redpill-immortal' : ''}${isShared(obj, kind) ? ` ${SHARED}` : ''}`,
          transform: `translate(${round(x)} ${round(y)})`,
          'data-address': obj.address,
          'data-type': obj.type,
          'data-kind': kind,
          'data-refcount': obj.refcount,
          tabindex: 0,
          role: 'button',
          'aria-label': describeObject(obj)
        },
        parent
      );
      svgEl(doc, 'title', {}, g).textContent = describeObject(obj);
      svgEl(
        doc,
        'rect',
        { class: 'jp-Redpill-boxFrame', x: 0, y: 0, width, height, rx: 4 },
        g
      );
      svgEl(
        doc,
        'rect',
        {
          class: 'jp-Redpill-boxTitleBar',
          x: 0,
          y: 0,
          width,
          height: titleHeight,
          rx: 4
        },
        g
      );
      svgText(doc, g, PAD, LINE_HEIGHT, type, 'jp-Redpill-type', {
        'font-size': FONT_SIZE + 1
      });
      svgText(doc, g, width - PAD, LINE_HEIGHT, refcnt, 'jp-Redpill-refcount', {
        'text-anchor': 'end',
        'data-refcount': obj.refcount
      });
      let top = titleHeight + 2;
      for (const row of header.rows) {
        row.draw(doc, g, PAD, top, innerWidth);
        top += row.height;
      }
      if (body.rows.length) {
        svgEl(
          doc,
          'line',
          {
            class: 'jp-Redpill-rule',
            x1: 0,
            x2: width,
            y1: bodyTop - 4,
            y2: bodyTop - 4
          },
          g
        );
      }
      top = bodyTop;
      const bodyG = svgEl(doc, 'g', { class: 'jp-Redpill-body' }, g);
      for (const row of body.rows) {
        row.draw(doc, bodyG, PAD, top, innerWidth);
        top += row.height;
      }
      return g;
    }
  };
}
