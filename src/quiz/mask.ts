/**
 * --quiz and hidden_fields: a pure function that takes every answer out of
 * what the diagram draws. The masked payload must not depend on the answers:
 * values are replaced with '?' or left out, addresses with placeholders, and
 * the struct fields and memory bytes that would give them away are masked
 * too. The result is for drawing only (it no longer follows the schema).
 */
import type {
  Field,
  Question,
  RedpillObject,
  RedpillPayload
} from '../model/payload.generated';
import { cloneJson } from '../model/json';
import type { IStepFrames } from '../model/frames';

/** What the diagram shows instead of a hidden value. */
export const HIDDEN = '?';
/** How every placeholder of a hidden address starts (never a real address). */
export const HIDDEN_ADDRESS = '0x?';
/** Placeholder for the two objects of an unrevealed same-object question. */
export const SAME_OBJECT_PLACEHOLDER = HIDDEN_ADDRESS;

/**
 * True for the addresses `maskPayload` writes in place of hidden ones: the
 * same-object placeholder, and `0x?1`, `0x?(question)` for hidden addresses.
 */
export function isPlaceholder(address: string): boolean {
  return address.startsWith(HIDDEN_ADDRESS);
}

type HiddenField = NonNullable<RedpillPayload['hidden_fields']>[number];

/** Fields a question hides on its object (beyond the asked value itself). */
const CASCADE: ReadonlyMap<string, string[]> = new Map<string, string[]>([
  // An immortal object's raw refcount and its shared look tell the answer.
  ['immortal', ['immortal', 'refcount']],
  ['small-int', ['small-int', 'immortal', 'refcount', 'int']],
  ['digits', ['int']],
  ['ndigits', ['int']],
  ['sign', ['int']],
  ['size', ['size']],
  ['allocated', ['allocated', 'size']],
  ['length', ['length', 'size']],
  ['refcount', ['refcount']],
  ['type', ['type', 'size']],
  ['address', []]
]);

const REFCOUNT_FIELD = /^ob_ref/;
const INT_FIELD = /^(ob_digit|lv_tag|ob_size|long_value)/;

/**
 * Replace the bytes of the fields matching `test` in the object's memory.
 * Only the bytes the dump holds are visited, whatever size a field claims.
 */
function maskFieldBytes(obj: RedpillObject, test: (f: Field) => boolean): void {
  const fields = obj.fields ?? [];
  const memory = obj.memory;
  let delta: number | null = null;
  try {
    delta = memory
      ? Number(BigInt(obj.address) - BigInt(memory.address))
      : null;
  } catch {
    delta = null;
  }
  const chars = memory && delta !== null ? memory.hex.split('') : null;
  const count = chars ? Math.floor(chars.length / 2) : 0;
  for (const field of fields) {
    if (!test(field)) {
      continue;
    }
    field.value = HIDDEN;
    delete field.note;
    delete field.points_to;
    if (chars && delta !== null) {
      const start = delta + field.offset;
      const end = Math.min(count, start + field.size);
      for (let i = Math.max(0, start); i < end; i++) {
        chars[2 * i] = HIDDEN;
        chars[2 * i + 1] = HIDDEN;
      }
    }
  }
  if (memory && chars) {
    memory.hex = chars.join('');
  }
}

function hideOnObject(obj: RedpillObject, what: string): void {
  const o = obj as unknown as Record<string, unknown>;
  switch (what) {
    case 'refcount':
      o.refcount = HIDDEN;
      delete obj.refcount_raw;
      delete obj.refcount_local;
      delete obj.refcount_shared;
      delete obj.unexplained;
      delete obj.holders;
      maskFieldBytes(obj, f => REFCOUNT_FIELD.test(f.name));
      break;
    case 'immortal':
      obj.immortal = false;
      break;
    case 'small-int':
    case 'int':
      delete obj.int;
      maskFieldBytes(obj, f => INT_FIELD.test(f.name));
      break;
    case 'type':
      o.type = HIDDEN;
      o.kind = 'other';
      for (const key of [
        'type_module',
        'type_address',
        'repr',
        'int',
        'float',
        'str',
        'bytes',
        'buffer',
        'list',
        'dict',
        'instance',
        'summary',
        'items',
        'items_total',
        'fields',
        'memory'
      ]) {
        delete o[key];
      }
      break;
    case 'size':
      delete obj.size;
      delete obj.memory;
      break;
    case 'allocated':
      delete obj.list;
      maskFieldBytes(obj, f => f.name === 'allocated');
      break;
    case 'length':
      for (const key of [
        'items',
        'items_total',
        'str',
        'bytes',
        'buffer',
        'dict',
        'list',
        'repr',
        'fields',
        'memory'
      ]) {
        delete o[key];
      }
      break;
  }
}

/** The bytes of an address as stored in memory, as hex. */
function pointerHex(address: string, size: number, little: boolean): string {
  let hex = address.slice(2).padStart(size * 2, '0');
  if (hex.length > size * 2) {
    return '';
  }
  if (little) {
    hex = (hex.match(/../g) ?? []).reverse().join('');
  }
  return hex;
}

/**
 * Replace addresses by placeholders in every string of the payload: the
 * structure (keys) and the texts (reprs, notes, pointer field values) alike,
 * and their byte patterns in the memory dumps.
 */
export function replaceAddresses(
  payload: RedpillPayload,
  replacements: Map<string, string>
): RedpillPayload {
  if (!replacements.size) {
    return payload;
  }
  const size = payload.interpreter.pointer_size;
  const little = payload.interpreter.byteorder !== 'big';
  const patterns = [...replacements].map(([from, to]) => ({
    re: new RegExp(`${from}(?![0-9a-f])`, 'gi'),
    to,
    bytes: pointerHex(from.toLowerCase(), size, little)
  }));
  const text = (s: string) =>
    patterns.reduce((acc, p) => acc.replace(p.re, p.to), s);
  const hex = (s: string) => {
    let out = s;
    for (const p of patterns) {
      if (!p.bytes) {
        continue;
      }
      let i = out.indexOf(p.bytes);
      while (i !== -1) {
        if (i % 2 === 0) {
          out =
            out.slice(0, i) +
            HIDDEN.repeat(p.bytes.length) +
            out.slice(i + p.bytes.length);
        }
        i = out.indexOf(p.bytes, i + 1);
      }
    }
    return out;
  };
  const walk = (value: unknown, key: string): unknown => {
    if (typeof value === 'string') {
      return key === 'hex' ? hex(value) : text(value);
    }
    if (Array.isArray(value)) {
      return value.map(v => walk(v, key));
    }
    if (value && typeof value === 'object') {
      // Own properties only, whatever the key (a '__proto__' stays a key).
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, walk(v, k)])
      );
    }
    return value;
  };
  return walk(payload, '') as RedpillPayload;
}

/**
 * The payload to draw while `questions` not in `revealed` are open, and
 * with the notebook's `hidden` fields (and the payload's hidden_fields)
 * masked on every object. Pure: the input is not changed.
 */
export function maskPayload(
  payload: RedpillPayload,
  questions: Question[] = [],
  revealed: ReadonlySet<string> = new Set(),
  hidden: readonly string[] = []
): RedpillPayload {
  const open = questions.filter(q => !revealed.has(q.id));
  const hiddenAll = new Set<string>([
    ...((payload.hidden_fields ?? []) as HiddenField[]),
    ...hidden
  ]);
  if (!open.length && !hiddenAll.size) {
    return payload;
  }
  let out = cloneJson(payload);
  // Don't carry the questions (answers) into what is drawn.
  delete out.quiz;
  delete out.diff;
  const byAddress = new Map<string, RedpillObject>();
  for (const obj of out.objects) {
    byAddress.set(obj.address, obj);
  }
  const replacements = new Map<string, string>();
  const apply = (obj: RedpillObject | undefined, field: string) => {
    if (!obj) {
      return;
    }
    for (const what of CASCADE.get(field) ?? [field]) {
      hideOnObject(obj, what);
    }
  };
  for (const field of hiddenAll) {
    out.objects.forEach((obj, i) => {
      if (field === 'address') {
        replacements.set(obj.address, `${HIDDEN_ADDRESS}${i + 1}`);
      } else {
        apply(obj, field);
      }
    });
  }
  const removed = new Set<string>();
  for (const q of open) {
    if (q.field === 'address') {
      if (!replacements.has(q.object)) {
        replacements.set(q.object, `${HIDDEN_ADDRESS}(${q.id})`);
      }
    } else if (q.field === 'same-object') {
      const pair = [q.object, q.other_object ?? q.object];
      for (const a of pair) {
        replacements.set(a, SAME_OBJECT_PLACEHOLDER);
        removed.add(a);
      }
      const names = new Set([q.name, q.other ?? q.name]);
      const hide = <T extends { name: string }>(n: T): T =>
        names.has(n.name)
          ? { ...n, object: SAME_OBJECT_PLACEHOLDER, rebound: false }
          : n;
      const frames = (out as RedpillPayload & IStepFrames).frames;
      if (q.frame !== undefined && frames) {
        // A question about a call's locals: that frame's names.
        frames.calls = frames.calls.map(c =>
          c.call === q.frame ? { ...c, names: c.names.map(hide) } : c
        );
      } else {
        out.names = out.names.map(hide);
      }
    } else {
      apply(byAddress.get(q.object), q.field);
    }
  }
  if (removed.size) {
    // Whether one box or two would be drawn is the answer: draw neither.
    // Nor what only they lead to (its holders and refcounts would tell).
    out.objects = reachable(out, removed);
  }
  if (replacements.size) {
    // A data pointer is an address too (a bytes object's is its own + 32).
    for (const obj of out.objects) {
      if (obj.buffer) {
        obj.buffer.data = HIDDEN_ADDRESS;
        delete obj.buffer.memory;
      }
    }
  }
  out = replaceAddresses(out, replacements);
  return out;
}

/** The objects reachable from the names, without going through `removed`. */
function reachable(
  payload: RedpillPayload,
  removed: Set<string>
): RedpillObject[] {
  const byAddress = new Map(payload.objects.map(o => [o.address, o]));
  const seen = new Set<string>();
  const todo = payload.names.map(n => n.object);
  // A step's call frames are roots too: their locals and return values.
  for (const call of (payload as RedpillPayload & IStepFrames).frames?.calls ??
    []) {
    todo.push(...call.names.map(n => n.object));
    if (call.return !== undefined) {
      todo.push(call.return);
    }
  }
  while (todo.length) {
    const a = todo.pop()!;
    if (seen.has(a) || removed.has(a) || !byAddress.has(a)) {
      continue;
    }
    seen.add(a);
    const o = byAddress.get(a)!;
    for (const item of o.items ?? []) {
      if (item) {
        todo.push(item);
      }
    }
    for (const e of o.dict?.entries ?? []) {
      for (const x of [e.key, e.value]) {
        if (x) {
          todo.push(x);
        }
      }
    }
    for (const attr of o.instance?.attributes ?? []) {
      if (attr.value) {
        todo.push(attr.value);
      }
    }
    for (const a of [o.buffer?.base, o.buffer?.owner]) {
      if (a) {
        todo.push(a);
      }
    }
  }
  return payload.objects
    .filter(o => seen.has(o.address))
    .map(o =>
      o.holders
        ? {
            ...o,
            holders: o.holders.filter(
              h => !('object' in h) || !removed.has(h.object)
            )
          }
        : o
    );
}

/** Addresses that open questions are about (no badges may be drawn there). */
export function questionAddresses(
  questions: Question[],
  revealed: ReadonlySet<string>
): Set<string> {
  const out = new Set<string>();
  for (const q of questions) {
    if (!revealed.has(q.id)) {
      out.add(q.object);
      if (q.other_object) {
        out.add(q.other_object);
      }
    }
  }
  return out;
}
