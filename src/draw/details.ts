/**
 * The details panel under the diagram, for the selected object: who holds it
 * (and the part of the refcount no holder explains), its C struct fields, and
 * a memory view — the raw bytes as hex with each field coloured; pointing at a
 * field highlights its bytes and the other way round. HTML built with
 * createElement/textContent only.
 */
import { DisposableSet } from '../disposable';

import type { IRedpillModel } from '../model/model';
import type { Field, RedpillObject } from '../model/payload.generated';
import { describeObject, holderText, refcountLabel, typeLabel } from './box';
import { htmlEl, listen } from '../dom';
import { oneLine } from './svg';

/** Field colour classes (a colour-blind-safe palette, see style/base.css). */
export const FIELD_COLOURS = 8;
const BYTES_PER_ROW = 8;

/**
 * The details panel under a diagram: holders, struct fields and memory of the
 * selected object.
 */
export interface IDetails {
  node: HTMLElement;
  show(address: string | null): void;
  dispose(): void;
}

function parseAddress(text: string): bigint | null {
  try {
    return BigInt(text);
  } catch {
    return null;
  }
}

/**
 * What a C field means: the kernel's note, else the fixed explanation of a
 * well-known field, which the payload leaves out (the Python fallbacks'
 * field_note() says the same).
 */
export function fieldNote(field: Field, obj: RedpillObject): string {
  if (field.note) {
    return field.note;
  }
  switch (field.name) {
    case '_gc_next':
      return 'PyGC_Head: next object in its GC list';
    case '_gc_prev': {
      const value =
        typeof field.value === 'string' ? parseAddress(field.value) : null;
      return value === null
        ? 'PyGC_Head: previous object'
        : `PyGC_Head: previous object, flags ${value & 3n}`;
    }
    case 'ob_type':
      return obj.type && obj.type !== '?' ? `type ${obj.type}` : '';
    default:
      return '';
  }
}

function fieldValue(field: Field): string {
  return field.value === null ? 'NULL' : String(field.value);
}

/**
 * Which field each byte of the memory dump belongs to (index into fields, or
 * -1), given the object address and the dump's start address. Bounded by
 * the bytes present, never by a size the payload claims.
 */
export function byteOwners(obj: RedpillObject): number[] {
  const memory = obj.memory;
  if (!memory) {
    return [];
  }
  const count = Math.floor(memory.hex.length / 2);
  const owners = new Array<number>(count).fill(-1);
  const base = parseAddress(memory.address);
  const self = parseAddress(obj.address);
  if (base === null || self === null) {
    return owners;
  }
  const delta = Number(self - base);
  (obj.fields ?? []).forEach((field, f) => {
    // Only the bytes the dump holds, whatever size the field claims.
    const start = delta + field.offset;
    const end = Math.min(count, start + field.size);
    for (let i = Math.max(0, start); i < end; i++) {
      if (owners[i] === -1) {
        owners[i] = f;
      }
    }
  });
  return owners;
}

function holdersSection(
  doc: Document,
  parent: HTMLElement,
  obj: RedpillObject
): void {
  const section = htmlEl(
    doc,
    'section',
    'jp-Redpill-holdersList',
    undefined,
    parent
  );
  htmlEl(doc, 'h4', undefined, `Holders (${refcountLabel(obj)})`, section);
  if (!obj.holders) {
    htmlEl(
      doc,
      'p',
      'jp-Redpill-muted',
      'The payload lists no holders for this object.',
      section
    );
  } else {
    const list = htmlEl(doc, 'ul', undefined, undefined, section);
    for (const holder of obj.holders) {
      htmlEl(doc, 'li', undefined, holderText(holder), list);
    }
    if (obj.holders.length === 0) {
      htmlEl(doc, 'li', 'jp-Redpill-muted', 'no holder found', list);
    }
  }
  if (obj.unexplained !== undefined) {
    const text =
      obj.unexplained === 0
        ? 'Every reference is explained by the holders above.'
        : obj.unexplained > 0
          ? `${obj.unexplained} reference(s) not explained by the holders found: code constants, interpreter caches, C code or frames.`
          : `${obj.unexplained}: holders found exceed the refcount (frames hold borrowed references on 3.14+).`;
    htmlEl(doc, 'p', 'jp-Redpill-unexplained', text, section);
  }
}

function fieldsSection(
  doc: Document,
  parent: HTMLElement,
  obj: RedpillObject
): void {
  const fields = obj.fields ?? [];
  if (!fields.length) {
    return;
  }
  const section = htmlEl(
    doc,
    'section',
    'jp-Redpill-fields',
    undefined,
    parent
  );
  htmlEl(doc, 'h4', undefined, 'Struct fields', section);
  const table = htmlEl(doc, 'table', undefined, undefined, section);
  const head = htmlEl(
    doc,
    'tr',
    undefined,
    undefined,
    htmlEl(doc, 'thead', undefined, undefined, table)
  );
  for (const title of ['offset', 'field', 'type', 'size', 'value', 'meaning']) {
    htmlEl(doc, 'th', undefined, title, head);
  }
  const body = htmlEl(doc, 'tbody', undefined, undefined, table);
  fields.forEach((field, f) => {
    const row = htmlEl(
      doc,
      'tr',
      `jp-Redpill-fieldRow jp-Redpill-field-c${f % FIELD_COLOURS}`,
      undefined,
      body
    );
    row.dataset.field = String(f);
    row.tabIndex = 0;
    htmlEl(doc, 'td', undefined, String(field.offset), row);
    htmlEl(doc, 'td', 'jp-Redpill-fieldName', field.name, row);
    htmlEl(doc, 'td', undefined, field.ctype, row);
    htmlEl(doc, 'td', undefined, String(field.size), row);
    htmlEl(doc, 'td', undefined, oneLine(fieldValue(field)), row);
    const meaning = [
      fieldNote(field, obj),
      field.points_to ? `→ ${field.points_to}` : undefined
    ]
      .filter(Boolean)
      .join(' ');
    htmlEl(doc, 'td', undefined, oneLine(meaning), row);
  });
}

function memorySection(
  doc: Document,
  parent: HTMLElement,
  obj: RedpillObject,
  open: boolean
): void {
  const memory = obj.memory;
  if (!memory) {
    return;
  }
  const details = htmlEl(
    doc,
    'details',
    'jp-Redpill-memory',
    undefined,
    parent
  );
  details.open = open;
  const count = Math.floor(memory.hex.length / 2);
  htmlEl(
    doc,
    'summary',
    undefined,
    `Memory at ${memory.address}: ${count} of ${memory.size} bytes${memory.truncated ? ' (truncated)' : ''}`,
    details
  );
  const owners = byteOwners(obj);
  const grid = htmlEl(doc, 'div', 'jp-Redpill-hex', undefined, details);
  const base = parseAddress(memory.address);
  const self = parseAddress(obj.address);
  const delta = base !== null && self !== null ? Number(base - self) : 0;
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
      const f = owners[i];
      const cell = htmlEl(
        doc,
        'span',
        `jp-Redpill-hexByte${f >= 0 ? ` jp-Redpill-field-c${f % FIELD_COLOURS}` : ''}`,
        memory.hex.slice(2 * i, 2 * i + 2),
        line
      );
      if (f >= 0) {
        cell.dataset.field = String(f);
        cell.title = (obj.fields ?? [])[f].name;
      }
    }
  }
}

/**
 * Make the details panel of `model`; `memoryOpen` unfolds the memory view by
 * default.
 */
export function createDetails(
  doc: Document,
  model: IRedpillModel,
  memoryOpen: boolean
): IDetails {
  const node = htmlEl(doc, 'div', 'jp-Redpill-details');
  node.setAttribute('aria-live', 'polite');
  let current: string | null | undefined = undefined;

  const highlight = (field: string | null) => {
    node
      .querySelectorAll('.jp-Redpill-hl')
      .forEach(el => el.classList.remove('jp-Redpill-hl'));
    if (field !== null) {
      node
        .querySelectorAll(`[data-field="${safeIndex(field)}"]`)
        .forEach(el => el.classList.add('jp-Redpill-hl'));
    }
  };
  const onOver = (event: Event) => {
    const el = (event.target as Element | null)?.closest?.(
      '[data-field]'
    ) as HTMLElement | null;
    highlight(el ? (el.dataset.field ?? null) : null);
  };
  const onOut = () => highlight(null);
  const listeners = new DisposableSet();
  listeners.add(listen(node, 'mouseover', onOver));
  listeners.add(listen(node, 'focusin', onOver));
  listeners.add(listen(node, 'mouseleave', onOut));

  const show = (address: string | null) => {
    if (address === current) {
      return;
    }
    current = address;
    node.replaceChildren();
    const obj = address === null ? undefined : model.objects.get(address);
    if (!obj) {
      htmlEl(
        doc,
        'p',
        'jp-Redpill-hint',
        'Select a box (click, or Tab then Enter) to see its holders, struct fields and memory.',
        node
      );
      return;
    }
    node.dataset.address = obj.address;
    const heading = htmlEl(
      doc,
      'h3',
      undefined,
      `${typeLabel(obj)} at ${obj.address}`,
      node
    );
    heading.title = describeObject(obj);
    const facts: string[] = [refcountLabel(obj)];
    if (obj.refcount_raw !== undefined && obj.refcount_raw !== obj.refcount) {
      facts.push(`raw ob_refcnt ${obj.refcount_raw}`);
    }
    if (obj.refcount_local !== undefined || obj.refcount_shared !== undefined) {
      facts.push(
        `ob_ref_local ${obj.refcount_local ?? '?'}, ob_ref_shared ${obj.refcount_shared ?? '?'}`
      );
    }
    if (obj.size !== undefined) {
      facts.push(`__sizeof__ ${obj.size} bytes`);
    }
    if (obj.gc_tracked !== undefined) {
      facts.push(obj.gc_tracked ? 'GC-tracked' : 'not GC-tracked');
    }
    if (obj.type_address) {
      facts.push(`type object at ${obj.type_address}`);
    }
    htmlEl(doc, 'p', 'jp-Redpill-facts', facts.join(' · '), node);
    holdersSection(doc, node, obj);
    fieldsSection(doc, node, obj);
    memorySection(doc, node, obj, memoryOpen);
  };
  show(null);

  return {
    node,
    show,
    dispose() {
      listeners.dispose();
    }
  };
}

/** data-field values are decimal indices we set ourselves; keep it that way. */
function safeIndex(value: string): string {
  return /^\d+$/.test(value) ? value : '-1';
}
