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
import { bufferSection } from './buffer-details';
import { htmlEl, listen } from '../dom';
import { oneLine } from './svg';
import { birthSection, declarationSection } from './cstory';
import { FIELD_COLOURS, hexDump } from './hex-dump';

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
      const item = htmlEl(doc, 'li', undefined, holderText(holder), list);
      if ('frame' in holder) {
        item.className = 'jp-Redpill-frameHolder';
        item.title = `The local variable ${holder.name} of the call ${holder.function} (call ${holder.frame}) holds one reference.`;
      }
    }
    const locals = obj.holders.filter(h => 'frame' in h).length;
    if (locals > 0) {
      htmlEl(
        doc,
        'p',
        'jp-Redpill-muted',
        `${locals === 1 ? 'A local variable of an active call holds one' : `Local variables of active calls hold ${locals}`} of the references (a frame's local counts like a name).`,
        section
      );
    }
    if (obj.holders.length === 0) {
      htmlEl(doc, 'li', 'jp-Redpill-muted', 'no holder found', list);
    }
  }
  if (obj.unexplained !== undefined) {
    const frameHolders = (obj.holders ?? []).filter(h => 'frame' in h).length;
    const text =
      obj.unexplained === 0
        ? 'Every reference is explained by the holders above.'
        : obj.unexplained > 0
          ? `${obj.unexplained} reference(s) not explained by the holders found: code constants, interpreter caches, C code or frames${frameHolders ? ' other than the locals listed' : ''}.`
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
  const base = parseAddress(memory.address);
  const self = parseAddress(obj.address);
  const delta = base !== null && self !== null ? Number(base - self) : 0;
  hexDump(
    doc,
    parent,
    'jp-Redpill-memory',
    'Memory',
    memory,
    delta,
    byteOwners(obj),
    obj.fields
  ).open = open;
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

  // the fields whose bytes are highlighted while nothing is pointed at
  let pinned: string[] = [];
  const highlight = (fields: string[]) => {
    node
      .querySelectorAll('.jp-Redpill-hl')
      .forEach(el => el.classList.remove('jp-Redpill-hl'));
    for (const field of fields) {
      node
        .querySelectorAll(`[data-field="${safeIndex(field)}"]`)
        .forEach(el => el.classList.add('jp-Redpill-hl'));
    }
  };
  const fieldsOf = (event: Event): string[] | null => {
    const el = (event.target as Element | null)?.closest?.(
      '[data-field], [data-fields]'
    ) as HTMLElement | null;
    if (!el) {
      return null;
    }
    return el.dataset.field !== undefined
      ? [el.dataset.field]
      : (el.dataset.fields ?? '').split(' ').filter(Boolean);
  };
  const onOver = (event: Event) => highlight(fieldsOf(event) ?? pinned);
  const onOut = () => highlight(pinned);
  const onClick = (event: Event) => {
    const el = (event.target as Element | null)?.closest?.('[data-fields]');
    if (!el) {
      return;
    }
    pinned = fieldsOf(event) ?? [];
    const memory = node.querySelector('details.jp-Redpill-memory');
    if (memory instanceof HTMLDetailsElement) {
      memory.open = true;
    }
    highlight(pinned);
  };
  const listeners = new DisposableSet();
  listeners.add(listen(node, 'mouseover', onOver));
  listeners.add(listen(node, 'focusin', onOver));
  listeners.add(listen(node, 'mouseleave', onOut));
  listeners.add(listen(node, 'click', onClick));

  const show = (address: string | null) => {
    if (address === current) {
      return;
    }
    current = address;
    pinned = [];
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
    birthSection(doc, node, model, obj);
    fieldsSection(doc, node, obj);
    declarationSection(doc, node, model, obj);
    bufferSection(doc, node, obj, model);
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
