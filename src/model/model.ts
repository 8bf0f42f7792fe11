/**
 * The normalised model the layout and the drawing work from: objects by
 * address, name bindings, and the pointer slots of containers and instances
 * (with labels such as `[0]`, `['key']`, `.attr`). Pure functions; no DOM.
 */
import type { ObjectKind } from '../tokens';
import { framesOf, IFrameRef, IStepFrames } from './frames';
import type { RedpillObject, RedpillPayload } from './payload.generated';

/** One name of a frame and the object it holds. */
export interface INameRef {
  name: string;
  /** The address the payload gives. */
  address: string;
  rebound: boolean;
  /** False when the address is not among the payload's objects. */
  present: boolean;
  /** Index of its frame in the model's `frames` (absent: no frames drawn). */
  frame?: number;
  /** `return`: the row is its frame's return value, not a variable. */
  role?: 'name' | 'return';
}

/** One pointer slot inside an object (container item, entry, attribute). */
export interface ISlot {
  /** How Python spells the slot: `[0]`, `['key']`, `.attr`, `{0}`. */
  label: string;
  /** The address it points at, or null when the payload did not follow it. */
  target: string | null;
  /** True when `target` is one of the payload's objects (an arrow is drawn). */
  present: boolean;
  /** What the slot holds, in short (the target's repr), for the row text. */
  text: string;
  /** Extra words for the row (for example the storage of an attribute). */
  note?: string;
}

/** A pointer from a name or a slot to an object. */
export interface IEdge {
  /** `name:<index>` for a name, or the address of the holding object. */
  from: string;
  to: string;
  label: string;
  /** Index of the slot in `slots.get(from)`, or of the name in `names`. */
  index: number;
}

/** The normalised payload. */
export interface IRedpillModel {
  payload: RedpillPayload;
  /** Objects in payload order, by address (first one wins on duplicates). */
  objects: Map<string, RedpillObject>;
  /** Addresses in payload order. */
  order: string[];
  /**
   * Every name row: without frames, the cell's names; with frames, the
   * global frame's names first, then each drawn call's locals and return
   * value, frame by frame.
   */
  names: INameRef[];
  /**
   * The frame boxes of a --steps step that recorded its calls (the global
   * frame first), or null: the names are drawn without frame boxes.
   */
  frames: IFrameRef[] | null;
  slots: Map<string, ISlot[]>;
  edges: IEdge[];
  /** Kind of each object (the payload's, or inferred from the type name). */
  kinds: Map<string, ObjectKind>;
  /** Inconsistencies found (dangling addresses, duplicates), as plain text. */
  warnings: string[];
}

const KIND_BY_TYPE: ReadonlyMap<string, ObjectKind> = new Map<
  string,
  ObjectKind
>([
  ['int', 'int'],
  ['bool', 'bool'],
  ['float', 'float'],
  ['str', 'str'],
  ['bytes', 'bytes'],
  ['bytearray', 'bytearray'],
  ['memoryview', 'memoryview'],
  ['NoneType', 'none'],
  ['tuple', 'tuple'],
  ['list', 'list'],
  ['dict', 'dict'],
  ['set', 'set'],
  ['frozenset', 'frozenset'],
  ['function', 'function'],
  ['builtin_function_or_method', 'function'],
  ['type', 'class'],
  ['module', 'module']
]);

/** The kind block to draw for an object. */
export function kindOf(obj: RedpillObject): ObjectKind {
  if (obj.kind) {
    return obj.kind;
  }
  const byType = KIND_BY_TYPE.get(obj.type);
  if (
    byType &&
    (obj.type_module === undefined || obj.type_module === 'builtins')
  ) {
    return byType;
  }
  return obj.instance ? 'instance' : 'other';
}

/** Shorten a text to at most `max` characters, with an ellipsis. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max
    ? text
    : chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/** Short text for what an address holds. */
function shortText(
  objects: Map<string, RedpillObject>,
  address: string | null
): string {
  if (address === null) {
    return '(not followed)';
  }
  const obj = objects.get(address);
  if (!obj) {
    return `→ ${address} (not drawn)`;
  }
  return obj.repr ?? `<${obj.type}>`;
}

function slotsOf(
  obj: RedpillObject,
  kind: ObjectKind,
  objects: Map<string, RedpillObject>
): ISlot[] {
  const slots: ISlot[] = [];
  const add = (label: string, target: string | null, note?: string) => {
    slots.push({
      label,
      target,
      present: target !== null && objects.has(target),
      text: shortText(objects, target),
      note
    });
  };
  if (obj.items) {
    const setLike = kind === 'set' || kind === 'frozenset';
    obj.items.forEach((item, i) => add(setLike ? `{${i}}` : `[${i}]`, item));
  }
  if (obj.dict) {
    obj.dict.entries.forEach((entry, i) => {
      const keyObj = entry.key === null ? undefined : objects.get(entry.key);
      const keyText = entry.key_repr ?? keyObj?.repr ?? `key ${i}`;
      add(`[${keyText}]`, entry.value);
    });
  }
  if (obj.instance) {
    for (const attr of obj.instance.attributes) {
      add(`.${attr.name}`, attr.value, attr.storage);
    }
  }
  // A view's reference to the object that holds its memory: ndarray.base,
  // memoryview.obj (its exporter).
  if (obj.buffer?.base !== undefined) {
    add(kind === 'memoryview' ? '.obj' : '.base', obj.buffer.base);
  }
  return slots;
}

/** How `buildModel` reads a payload. */
export interface IModelOptions {
  /**
   * True for the addresses a masked payload (quiz, hidden addresses) puts in
   * place of real ones: a reference to one, or two objects sharing one, is
   * hidden on purpose, not an inconsistency, and is not warned about.
   */
  isPlaceholder?: (address: string) => boolean;
}

/** Normalise a validated (or masked) payload. */
export function buildModel(
  payload: RedpillPayload,
  options: IModelOptions = {}
): IRedpillModel {
  const isPlaceholder = options.isPlaceholder ?? (() => false);
  const warnings: string[] = [];
  const objects = new Map<string, RedpillObject>();
  const order: string[] = [];
  for (const obj of payload.objects) {
    if (objects.has(obj.address)) {
      if (isPlaceholder(obj.address)) {
        continue;
      }
      warnings.push(
        `Object ${obj.address} is listed more than once; the first entry is drawn.`
      );
      continue;
    }
    objects.set(obj.address, obj);
    order.push(obj.address);
  }
  const kinds = new Map<string, ObjectKind>();
  for (const address of order) {
    kinds.set(address, kindOf(objects.get(address)!));
  }

  const stack = framesOf(
    payload as RedpillPayload & IStepFrames,
    payload.names
  );
  const frames = stack?.frames ?? null;
  const bindings =
    stack?.bindings ??
    payload.names.map(binding => ({ ...binding, frame: undefined }));
  const names: INameRef[] = bindings.map(binding => {
    const present = objects.has(binding.object);
    if (!present && !isPlaceholder(binding.object)) {
      const where =
        frames && binding.frame
          ? ` in frame ${frames[binding.frame].title}`
          : '';
      warnings.push(
        `Name '${binding.name}'${where} holds ${binding.object}, which is not among the payload's objects.`
      );
    }
    const ref: INameRef = {
      name: binding.name,
      address: binding.object,
      rebound: binding.rebound === true,
      present
    };
    if (binding.frame !== undefined) {
      ref.frame = binding.frame;
      ref.role = 'role' in binding ? binding.role : 'name';
    }
    return ref;
  });

  const edges: IEdge[] = [];
  names.forEach((ref, index) => {
    if (ref.present) {
      edges.push({
        from: `name:${index}`,
        to: ref.address,
        label: ref.name,
        index
      });
    }
  });

  const slots = new Map<string, ISlot[]>();
  for (const address of order) {
    const list = slotsOf(objects.get(address)!, kinds.get(address)!, objects);
    slots.set(address, list);
    list.forEach((slot, index) => {
      if (slot.target === null) {
        return;
      }
      if (slot.present) {
        edges.push({
          from: address,
          to: slot.target,
          label: slot.label,
          index
        });
      } else if (!isPlaceholder(slot.target)) {
        warnings.push(
          `Slot ${slot.label} of ${address} points at ${slot.target}, which is not among the payload's objects.`
        );
      }
    });
  }

  return {
    payload,
    objects,
    order,
    names,
    frames,
    slots,
    edges,
    kinds,
    warnings
  };
}
