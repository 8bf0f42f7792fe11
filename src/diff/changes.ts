/**
 * What changed (--diff since the previous snapshot, or --steps since the
 * previous step), as marks for the diagram: refcount up/down with old → new,
 * new and rebound names, new and freed objects, and a new object at the
 * address of a freed one; and a mark's badge text. The marks are made by
 * ./diff-marks.ts (from a diff) and src/steps/model.ts (from a step). Pure
 * functions; no DOM.
 */

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
