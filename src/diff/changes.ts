/**
 * What changed (--diff since the previous snapshot, or --steps since the
 * previous step), as marks for the diagram: refcount up/down with old → new,
 * new and rebound names, new and freed objects, and a new object at the
 * address of a freed one. Pure functions; no DOM.
 */
import type { Diff } from '../model/payload.generated';
import type { IStepChanges } from '../steps/model';

/** What happened to an object since the previous picture (or step). */
export type ObjectChange = 'new' | 'same' | 'freed' | 'gone' | 'reused';

/**
 * The change mark of one drawn object: its status and what changed about it.
 */
export interface IObjectMark {
  status: ObjectChange;
  /** [before, now] where both are known and differ. */
  refcount?: [number, number];
  /** Contents changed (same object). */
  changed?: boolean;
  /** For a reuse: the type before and whether it is certain. */
  typeBefore?: string;
  certain?: boolean;
}

/**
 * An object of the previous picture that is not drawn any more (freed, or no
 * longer reached).
 */
export interface IGone {
  address: string;
  type?: string;
  repr?: string | null;
  status: 'freed' | 'gone';
}

/**
 * Every change to mark on a diagram: objects by address, names, and the objects
 * gone.
 */
export interface IChangeMarks {
  objects: Map<string, IObjectMark>;
  names: Map<string, 'new' | 'rebound' | 'deleted'>;
  /** Objects no longer drawn. */
  gone: IGone[];
  /** No previous snapshot to compare with. */
  first: boolean;
  notes: string[];
}

/** Marks from a payload's `diff`. */
export function marksFromDiff(diff: Diff): IChangeMarks {
  const objects = new Map<string, IObjectMark>();
  const gone: IGone[] = [];
  for (const o of diff.objects) {
    if (o.status === 'freed' || o.status === 'gone') {
      gone.push({
        address: o.address,
        type: o.type,
        repr: o.repr?.[0] ?? null,
        status: o.status
      });
      continue;
    }
    const mark: IObjectMark = { status: o.status };
    const [b, a] = o.refcount ?? [null, null];
    if (typeof b === 'number' && typeof a === 'number' && a !== b) {
      mark.refcount = [b, a];
    }
    if (o.changed) {
      mark.changed = true;
    }
    if (o.status === 'reused') {
      mark.typeBefore = o.type_before;
      mark.certain = o.certain;
    }
    objects.set(o.address, mark);
  }
  const names = new Map<string, 'new' | 'rebound' | 'deleted'>();
  for (const n of diff.names) {
    if (n.change !== 'same') {
      names.set(n.name, n.change);
    }
  }
  return {
    objects,
    names,
    gone,
    first: diff.previous === null,
    notes: [...(diff.notes ?? [])]
  };
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

/** The badge text of an object mark, e.g. `refcnt 1 → 2 ↑`, `new`. */
export function badgeText(mark: IObjectMark): string {
  const parts: string[] = [];
  if (mark.status === 'new') {
    parts.push('new');
  } else if (mark.status === 'reused') {
    parts.push('⚠ new object at a freed address');
  }
  if (mark.refcount) {
    const [b, a] = mark.refcount;
    parts.push(`refcnt ${b} → ${a} ${a > b ? '↑' : '↓'}`);
  }
  if (mark.changed) {
    parts.push('contents changed');
  }
  return parts.join(' · ');
}

/** The marks in words (a list for the reader and for screen readers). */
export function describeMarks(marks: IChangeMarks): string[] {
  if (marks.first) {
    return ['No earlier snapshot in this kernel to compare with.'];
  }
  const lines: string[] = [];
  const byKind = (k: string) =>
    [...marks.names].filter(([, c]) => c === k).map(([n]) => n);
  for (const [kind, words] of [
    ['new', 'New names'],
    ['rebound', 'Rebound'],
    ['deleted', 'Unbound']
  ]) {
    const names = byKind(kind);
    if (names.length) {
      lines.push(`${words}: ${names.join(', ')}`);
    }
  }
  marks.objects.forEach((mark, address) => {
    if (mark.refcount) {
      const [b, a] = mark.refcount;
      lines.push(
        `Refcount ${a > b ? 'up' : 'down'} at ${address}: ${b} → ${a}`
      );
    }
    if (mark.status === 'reused') {
      lines.push(
        `Address reuse: a new object${mark.typeBefore ? ` (was ${mark.typeBefore})` : ''} at ${address}, where a freed one lived${mark.certain === false ? ' (very likely)' : ''}`
      );
    }
  });
  const freed = marks.gone.filter(g => g.status === 'freed');
  const gone = marks.gone.filter(g => g.status === 'gone');
  const fmt = (g: IGone) =>
    `${g.type ? g.type + ' ' : ''}${g.repr ? g.repr + ' ' : ''}at ${g.address}`;
  if (freed.length) {
    lines.push(`Freed: ${freed.map(fmt).join('; ')}`);
  }
  if (gone.length) {
    lines.push(`No longer drawn: ${gone.map(fmt).join('; ')}`);
  }
  lines.push(...marks.notes);
  if (!lines.length) {
    lines.push('Nothing changed.');
  }
  return lines;
}
