/**
 * None, functions, classes, modules and everything else: the header (drawn by
 * box.ts), the repr, a few labelled facts and the size.
 */
import type { Rows } from '../rows';
import type { IKindContext } from './context';

const MAX_FACTS = 8;

/** The body of a box for any other object: its repr and size. */
export function otherBody(rows: Rows, ctx: IKindContext): void {
  const { obj } = ctx;
  rows.repr(obj.repr);
  const facts = Object.entries(obj.summary ?? {}).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string'
  );
  for (const [key, value] of facts.slice(0, MAX_FACTS)) {
    rows.text(`${key}: ${value}`, 'jp-Redpill-fact');
  }
  if (facts.length > MAX_FACTS) {
    rows.text(`… ${facts.length - MAX_FACTS} more`, 'jp-Redpill-muted');
  }
  if (obj.size !== undefined) {
    rows.text(`size ${obj.size} bytes`, 'jp-Redpill-fact');
  }
  // Containers drawn as 'other' still get their pointer slots.
  const slots = ctx.model.slots.get(obj.address) ?? [];
  slots.forEach((slot, i) => rows.slot(slot, i));
}
