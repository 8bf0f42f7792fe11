/**
 * --steps: the payload as it was after step i (bindings, objects with that
 * step's refcounts and holders) and what the step changed. Pure functions; no
 * DOM.
 */
import type {
  Frame,
  Question,
  RedpillObject,
  RedpillPayload,
  Step,
  StepObject
} from '../model/payload.generated';
import type { IChangeMarks, IObjectMark } from '../diff/changes';
import { cloneJson } from '../model/json';
import { clip } from '../model/model';
import { plural } from '../text';
import type { IStepFrames } from '../model/frames';

/** Characters of a function or type name in a step's description. */
const NAME_CHARS = 40;

/** What one step changed, for badges and the step's summary line. */
export interface IStepChanges {
  /** Addresses drawn for the first time. */
  created: string[];
  freed: string[];
  reused: string[];
  /** Names bound by this step for the first time. */
  bound: string[];
  rebound: string[];
  deleted: string[];
  /** Refcount changes by address: [before, after]. */
  refcounts: Map<string, [number, number]>;
}

/**
 * One step of a timeline as the diagram draws it: the payload after it and what
 * it changed.
 */
export interface IStepView {
  index: number;
  count: number;
  step: WholeStep;
  /**
   * A complete payload for the state after this step (no steps keys), with
   * the step's call frames when it recorded them.
   */
  payload: RedpillPayload & IStepFrames;
  changes: IStepChanges;
}

/** A step with every item of its objects and frames written out. */
export type WholeStep = Omit<Step, 'objects' | 'frames'> & {
  objects: StepObject[];
  frames?: Frame[];
};

/** The steps completed (wholeSteps), built once per payload. */
const wholeCache = new WeakMap<RedpillPayload, WholeStep[]>();

/**
 * Items of a step's list written out: each item written as an index
 * (schema: step_index) is that item of the previous step's list, `previous`
 * (already whole); an index naming no item there is left out and counted in
 * `lost`.
 */
function completeList<T>(
  items: readonly (T | number)[],
  previous: readonly T[],
  lost: { count: number }
): T[] {
  const out: T[] = [];
  for (const item of items) {
    if (typeof item !== 'number') {
      out.push(item);
    } else if (Number.isInteger(item) && item >= 0 && item < previous.length) {
      out.push(previous[item]);
    } else {
      lost.count++;
    }
  }
  return out;
}

/**
 * The payload's steps, each whole: an item of a step's objects or frames
 * written as an index stands for that item of the previous step (schema:
 * step_index). An index naming nothing there is left out, and its step
 * notes how many were.
 */
export function wholeSteps(payload: RedpillPayload): WholeStep[] {
  let out = wholeCache.get(payload);
  if (out) {
    return out;
  }
  out = [];
  let previous: WholeStep | undefined;
  for (const { objects, frames, ...rest } of payload.steps ?? []) {
    const lost = { count: 0 };
    const whole: WholeStep = {
      ...rest,
      objects: completeList(objects, previous?.objects ?? [], lost)
    };
    if (frames) {
      whole.frames = completeList(frames, previous?.frames ?? [], lost);
    }
    if (lost.count) {
      whole.notes = [
        ...(rest.notes ?? []),
        `${plural(lost.count, 'item')} of this step name nothing in the step before it: left out.`
      ];
    }
    out.push(whole);
    previous = whole;
  }
  wholeCache.set(payload, out);
  return out;
}

/** True when the payload carries a timeline. */
export function hasSteps(payload: RedpillPayload): boolean {
  return Array.isArray(payload.steps) && payload.steps.length > 0;
}

/**
 * The state after step `index` (clamped), as a payload the diagram can draw:
 * each step object is its stored version merged with the step's values.
 */
export function stepPayload(payload: RedpillPayload, index: number): IStepView {
  const steps = wholeSteps(payload);
  if (!steps.length) {
    throw new Error('The payload has no steps.');
  }
  const i = Math.max(0, Math.min(steps.length - 1, Math.floor(index)));
  const step = steps[i];
  const stored = storedObjects(payload);
  const objects: RedpillObject[] = [];
  const notes: string[] = [...(step.notes ?? [])];
  for (const ref of step.objects) {
    const base = stored.get(`${ref.address} ${ref.version}`);
    if (!base) {
      notes.push(
        `Step ${i + 1}: object ${ref.address} (version ${ref.version}) is missing from step_objects.`
      );
      continue;
    }
    const obj = cloneJson(base);
    delete obj.version;
    obj.refcount = ref.refcount;
    obj.holders = ref.holders;
    for (const key of [
      'refcount_raw',
      'refcount_local',
      'refcount_shared',
      'unexplained'
    ] as const) {
      if (ref[key] !== undefined) {
        obj[key] = ref[key];
      } else {
        delete obj[key];
      }
    }
    if (ref.memory) {
      obj.memory = ref.memory;
    }
    if (ref.fields && obj.fields) {
      const changed = new Map(ref.fields.map(f => [f.name, f]));
      obj.fields = obj.fields.map(f => {
        const c = changed.get(f.name);
        return c
          ? {
              ...f,
              value: c.value,
              ...(c.note !== undefined ? { note: c.note } : {})
            }
          : f;
      });
    }
    objects.push(obj);
  }
  const out: RedpillPayload & IStepFrames = {
    schema_version: payload.schema_version,
    interpreter: payload.interpreter,
    names: step.names,
    deleted: step.deleted,
    objects,
    error: step.error ?? null
  };
  if (step.frames !== undefined) {
    out.frames = {
      calls: step.frames,
      ...(step.event !== undefined ? { event: step.event } : {}),
      ...(step.exception !== undefined ? { exception: step.exception } : {})
    };
  }
  if (notes.length) {
    out.notes = notes;
  }
  if (step.truncated) {
    out.truncated = { ...step.truncated };
  }
  if (payload.hidden_fields) {
    out.hidden_fields = payload.hidden_fields;
  }
  const previous = i > 0 ? steps[i - 1] : null;
  const before = new Set((previous?.names ?? []).map(n => n.name));
  const changes: IStepChanges = {
    created: [...step.new],
    freed: [...step.freed],
    reused: [...(step.reused ?? [])],
    bound: step.names.filter(n => !before.has(n.name)).map(n => n.name),
    rebound: step.names.filter(n => n.rebound === true).map(n => n.name),
    deleted: [...step.deleted],
    refcounts: new Map(
      step.refcount_changes.map(c => [c.address, [c.before, c.after]])
    )
  };
  return { index: i, count: steps.length, step, payload: out, changes };
}

/** step_objects completed (storedVersions), built once per payload. */
const versionsCache = new WeakMap<RedpillPayload, RedpillObject[]>();

/** step_objects by `address version`, built once per payload. */
const storedCache = new WeakMap<RedpillPayload, Map<string, RedpillObject>>();

function storedObjects(payload: RedpillPayload): Map<string, RedpillObject> {
  let stored = storedCache.get(payload);
  if (!stored) {
    stored = new Map();
    for (const obj of storedVersions(payload)) {
      stored.set(`${obj.address} ${obj.version ?? 0}`, obj);
    }
    storedCache.set(payload, stored);
  }
  return stored;
}

/**
 * The entry `written` (with `like`) stands for, completed from `base`, the
 * earlier entry it names: each of its keys in place of the base's, and each
 * of its fields in place of the base's field of that name (schema:
 * object.like).
 */
export function completeVersion(
  base: RedpillObject,
  written: RedpillObject
): RedpillObject {
  const { like: _like, fields, ...rest } = written;
  void _like;
  const out: RedpillObject = { ...base, ...rest };
  if (fields && base.fields) {
    const changed = new Map(fields.map(f => [f.name, f]));
    out.fields = base.fields.map(f => changed.get(f.name) ?? f);
  } else if (fields) {
    out.fields = fields;
  }
  return out;
}

/**
 * The payload's stored versions (step_objects), each whole: an entry written
 * as its difference from an earlier one (`like`) is completed from it; one
 * whose `like` names no earlier whole entry is left out (its steps say the
 * object is missing).
 */
export function storedVersions(payload: RedpillPayload): RedpillObject[] {
  let out = versionsCache.get(payload);
  if (out) {
    return out;
  }
  const entries = payload.step_objects ?? [];
  out = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const like = entry.like;
    if (like === undefined) {
      out.push(entry);
      continue;
    }
    const base = like < i ? entries[like] : undefined;
    if (base && base.like === undefined) {
      out.push(completeVersion(base, entry));
    }
  }
  versionsCache.set(payload, out);
  return out;
}

/** The refcount of the object a name holds after each step (null: unbound). */
export function refcountTimeline(
  payload: RedpillPayload,
  name: string
): (number | null)[] {
  return wholeSteps(payload).map(step => {
    const binding = step.names.find(n => n.name === name);
    const obj = binding
      ? step.objects.find(o => o.address === binding.object)
      : undefined;
    return obj ? obj.refcount : null;
  });
}

/** One line saying what a step changed. */
export function describeChanges(
  changes: IStepChanges,
  label: (address: string) => string = a => a
): string {
  const parts: string[] = [];
  if (changes.bound.length) {
    parts.push(`bound ${changes.bound.join(', ')}`);
  }
  if (changes.rebound.length) {
    parts.push(`rebound ${changes.rebound.join(', ')}`);
  }
  if (changes.deleted.length) {
    parts.push(`unbound ${changes.deleted.join(', ')}`);
  }
  if (changes.created.length) {
    parts.push(`new ${changes.created.map(label).join(', ')}`);
  }
  changes.refcounts.forEach(([b, a], address) => {
    parts.push(`refcount of ${label(address)} ${b} → ${a}`);
  });
  if (changes.freed.length) {
    parts.push(`freed ${changes.freed.map(label).join(', ')}`);
  }
  if (changes.reused.length) {
    parts.push(
      `new object at the address of a freed one: ${changes.reused.map(label).join(', ')}`
    );
  }
  return parts.length ? parts.join('; ') : 'no visible change';
}

/**
 * One line saying what a step did in its calls (null: it recorded no
 * frames): the call entered, the value returned, the exception raised, and
 * the locals the innermost call bound or rebound since the previous step.
 */
export function describeFrames(
  payload: RedpillPayload,
  index: number,
  label: (address: string) => string = a => a
): string | null {
  const steps = wholeSteps(payload);
  const step = steps[index];
  if (!step?.frames) {
    return null;
  }
  const innermost = step.frames[step.frames.length - 1];
  const fn = innermost ? clip(innermost.function, NAME_CHARS) : '';
  const parts: string[] = [];
  if (step.event === 'call' && innermost) {
    const args = innermost.names.map(n => n.name).join(', ');
    parts.push(`called ${fn}(${args})`);
  } else if (step.event === 'return' && innermost) {
    parts.push(
      innermost.return !== undefined
        ? `${fn} returns ${label(innermost.return)}`
        : `${fn} returns`
    );
  } else if (step.event === 'exception' && step.exception) {
    parts.push(
      `${clip(step.exception.type, NAME_CHARS)} raised${fn ? ` in ${fn}` : ''}`
    );
  } else if (innermost) {
    const before = steps[index - 1]?.frames?.find(
      f => f.call === innermost.call
    );
    if (before) {
      const held = new Map(before.names.map(n => [n.name, n.object]));
      const bound = innermost.names.filter(n => !held.has(n.name));
      const rebound = innermost.names.filter(
        n => held.has(n.name) && held.get(n.name) !== n.object
      );
      const gone = before.names.filter(
        n => !innermost.names.some(m => m.name === n.name)
      );
      if (bound.length) {
        parts.push(`in ${fn}: bound ${bound.map(n => n.name).join(', ')}`);
      }
      if (rebound.length) {
        parts.push(`in ${fn}: rebound ${rebound.map(n => n.name).join(', ')}`);
      }
      if (gone.length) {
        parts.push(`in ${fn}: unbound ${gone.map(n => n.name).join(', ')}`);
      }
    }
  }
  return parts.length ? parts.join('; ') : null;
}

/**
 * How a step's description names the object at `address`: its type and repr
 * (from the step's `objects`, else the payload's stored versions) and its
 * address, or `an object asked about` while one of the `open` questions is
 * about it. With the addresses `hidden`, no address is told.
 */
function objectLabel(
  payload: RedpillPayload,
  objects: RedpillObject[],
  address: string,
  hidden: readonly string[],
  open: readonly Question[]
): string {
  if (open.some(q => q.object === address)) {
    return 'an object asked about';
  }
  const hideAddresses = hidden.includes('address');
  const obj =
    objects.find(o => o.address === address) ??
    storedVersions(payload).find(o => o.address === address);
  const where = hideAddresses ? '' : ` at ${address}`;
  if (!obj) {
    return hideAddresses ? 'an object' : address;
  }
  return `${obj.type}${obj.repr !== undefined ? ` ${obj.repr}` : ''}${where}`;
}

/**
 * The step controls' line for the step of `view` (its drawn state):
 * `Step 3: called f(n); new int 5 at 0x…`, what it did in its calls and to
 * the names, telling no `hidden` field and no object the `open` questions
 * ask about.
 */
export function describeStep(
  payload: RedpillPayload,
  view: IStepView,
  hidden: readonly string[] = [],
  open: readonly Question[] = []
): string {
  const label = (a: string) =>
    objectLabel(payload, view.payload.objects, a, hidden, open);
  const calls = describeFrames(payload, view.index, label);
  const names = describeChanges(view.changes, label);
  const text =
    calls && names === 'no visible change'
      ? calls
      : calls
        ? `${calls}; ${names}`
        : names;
  return `Step ${view.index + 1}: ${text}`;
}

/** Marks from one step's changes. */
export function marksFromStep(changes: IStepChanges): IChangeMarks {
  const objects = new Map<string, IObjectMark>();
  for (const a of changes.created) {
    objects.set(a, { status: 'new' });
  }
  for (const a of changes.reused) {
    objects.set(a, { status: 'reused' });
  }
  changes.refcounts.forEach((rc, a) => {
    objects.set(a, { ...(objects.get(a) ?? { status: 'same' }), refcount: rc });
  });
  const names = new Map<string, 'new' | 'rebound' | 'deleted'>();
  changes.bound.forEach(n => names.set(n, 'new'));
  changes.rebound.forEach(n => names.set(n, 'rebound'));
  changes.deleted.forEach(n => names.set(n, 'deleted'));
  return {
    objects,
    names,
    gone: changes.freed.map(address => ({ address, status: 'freed' })),
    first: false,
    notes: []
  };
}

/**
 * The step the instructor view of `payload` shows first: `wanted` (the
 * widget's), else the step the first question about a step asks about (the
 * kernel chose it), else the last; clamped, and -1 without steps.
 */
export function firstStep(payload: RedpillPayload, wanted?: number): number {
  const count = payload.steps?.length ?? 0;
  const asked = payload.quiz?.find(q => q.step !== undefined)?.step;
  return count
    ? Math.max(0, Math.min(count - 1, wanted ?? asked ?? count - 1))
    : -1;
}

/** One step as the instructor view draws it. */
export interface IStepState {
  /** The payload after the step. */
  payload: RedpillPayload & IStepFrames;
  /** What the step changed, to mark (none at the first step). */
  marks: IChangeMarks | null;
  /** The step controls' line (`describeStep`). */
  description: string;
}

/**
 * Step `index` of `payload` as the instructor view draws it: no refcount
 * change of the `untold` objects (which open questions ask about) is marked,
 * and its line tells no `hidden` field and no object the `open` questions
 * ask about.
 */
export function stepState(
  payload: RedpillPayload,
  index: number,
  untold: ReadonlySet<string>,
  hidden: readonly string[],
  open: readonly Question[]
): IStepState {
  const view = stepPayload(payload, index);
  untold.forEach(a => view.changes.refcounts.delete(a));
  return {
    payload: view.payload,
    marks: view.index > 0 ? marksFromStep(view.changes) : null,
    description: describeStep(payload, view, hidden, open)
  };
}
