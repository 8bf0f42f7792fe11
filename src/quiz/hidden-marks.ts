/**
 * Hidden fields (--quiz's hidden_fields, or the notebook's) applied to what
 * the change marks tell: no refcount change while refcounts are hidden, no
 * address in the change list while addresses are. The live page's bundles
 * without the questions' code carry a stand-in (src/live/without-quiz.ts):
 * their payloads hide nothing. No JupyterLab imports.
 */
import type { IChangeMarks } from '../diff/changes';
import { ADDRESS_IN_TEXT } from '../text';
import { HIDDEN_ADDRESS } from './mask';

/** `marks` without the refcount changes when refcounts are `hidden`. */
export function maskMarks(
  marks: IChangeMarks,
  hidden: readonly string[]
): IChangeMarks {
  if (!hidden.includes('refcount')) {
    return marks;
  }
  const objects = new Map(marks.objects);
  objects.forEach((m, a) => {
    const { refcount: _drop, ...rest } = m;
    void _drop;
    objects.set(a, rest);
  });
  return { ...marks, objects };
}

/** Hide the addresses in the change list `node` when addresses are `hidden`. */
export function maskChangeList(
  node: HTMLElement,
  hidden: readonly string[]
): void {
  if (!hidden.includes('address')) {
    return;
  }
  node
    .querySelectorAll('li')
    .forEach(
      li =>
        (li.textContent = (li.textContent ?? '').replace(
          ADDRESS_IN_TEXT,
          HIDDEN_ADDRESS
        ))
    );
}
