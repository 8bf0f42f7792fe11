/**
 * The notices above a diagram: what the cell raised or unbound, what the
 * collector and the diagram left out, the kernel's notes and the model's
 * inconsistencies. Text only (addresses in notes are marked volatile).
 */
import { htmlEl } from '../dom';
import { VOLATILE } from '../draw/svg';
import type { IRedpillModel } from '../model/model';
import { plural, splitAddresses } from '../text';

/**
 * Wrap the addresses in a notice's text in volatile spans (they change from
 * run to run). Text only: the pieces go in with textContent.
 */
export function markAddresses(doc: Document, node: HTMLElement): void {
  const parts = splitAddresses(node.textContent ?? '');
  if (parts.length === 1) {
    return;
  }
  node.replaceChildren();
  parts.forEach((part, i) => {
    if (i % 2) {
      htmlEl(doc, 'span', VOLATILE, part, node);
    } else if (part) {
      node.appendChild(doc.createTextNode(part));
    }
  });
}

/**
 * The notices of a drawn model (`elided` objects were left out of the
 * diagram, which shows at most `maxObjects`), or null when there are none.
 */
export function createNotices(
  doc: Document,
  model: IRedpillModel,
  elided: number,
  maxObjects: number
): HTMLElement | null {
  const box = htmlEl(doc, 'div', 'jp-Redpill-notices');
  const add = (text: string, kind: string) =>
    htmlEl(doc, 'p', `jp-Redpill-notice jp-Redpill-notice-${kind}`, text, box);
  const p = model.payload;
  if (p.error) {
    add(
      `The cell raised ${p.error}; the names bound before it are shown.`,
      'error'
    );
  }
  if (p.deleted.length) {
    add(`Unbound by the cell: ${p.deleted.join(', ')}`, 'info');
  }
  const t = p.truncated;
  if (t?.names) {
    add(`${plural(t.names, 'more name')} bound but not collected.`, 'info');
  }
  if (t?.objects) {
    add(
      `${plural(t.objects, 'more reachable object')} beyond the collector's cap.`,
      'info'
    );
  }
  if (elided > 0) {
    add(
      `${plural(elided, 'object')} not drawn: the diagram shows at most ${maxObjects}.`,
      'info'
    );
  }
  for (const note of p.notes ?? []) {
    markAddresses(doc, add(note, 'info'));
  }
  for (const warning of model.warnings) {
    add(warning, 'warning');
  }
  if (p.names.length === 0) {
    add('The cell bound no names.', 'info');
  }
  return box.childElementCount ? box : null;
}
