/**
 * --diff's own marks: the marks of a payload's diff, and the list of its
 * changes in words (for everyone and for screen readers). Only a diff
 * without steps is listed, so the steps' bundles of the live page carry
 * none of it (src/live/without-diff.ts stands in). DOM built with
 * createElement/textContent only.
 */
import type { Diff } from '../model/payload.generated';
import type { IChangeMarks, IGone, IObjectMark } from './changes';

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

/** The changes as a list (HTML), for everyone and for screen readers. */
export function changeList(
  doc: Document,
  marks: IChangeMarks,
  heading: string
): HTMLElement {
  const node = doc.createElement('div');
  node.className = 'jp-Redpill-changes';
  const h = doc.createElement('p');
  h.className = 'jp-Redpill-changesTitle';
  h.textContent = heading;
  node.appendChild(h);
  const list = doc.createElement('ul');
  for (const line of describeMarks(marks)) {
    const li = doc.createElement('li');
    li.textContent = line;
    if (line.startsWith('Address reuse')) {
      li.className = 'jp-Redpill-reuseWarning';
    }
    list.appendChild(li);
  }
  node.appendChild(list);
  return node;
}
