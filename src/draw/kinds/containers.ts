/**
 * Containers and instances: list/tuple (ob_size, allocated, ob_item[]),
 * set/frozenset members, dict entries, instance attributes. Each pointer is a
 * slot row whose dot starts an arrow to the item's box.
 */
import { plural } from '../../text';
import type { Rows } from '../rows';
import { VOLATILE } from '../svg';
import type { IKindContext } from './context';

function slotRows(rows: Rows, ctx: IKindContext): void {
  const slots = ctx.model.slots.get(ctx.obj.address) ?? [];
  slots.forEach((slot, i) => rows.slot(slot, i));
}

/**
 * The body of a list, tuple or set box: one pointer slot per item shown, then
 * what was left out.
 */
export function sequenceBody(rows: Rows, ctx: IKindContext): void {
  const { obj } = ctx;
  const shown = obj.items?.length ?? 0;
  const total = obj.items_total ?? shown;
  const setLike =
    ctx.model.kinds.get(obj.address) === 'set' ||
    ctx.model.kinds.get(obj.address) === 'frozenset';
  const facts: [string, string][] = [
    [setLike ? 'used' : 'ob_size', String(total)]
  ];
  if (obj.list) {
    facts.push(['allocated', String(obj.list.allocated)]);
  }
  rows.facts(facts);
  rows.repr(obj.repr);
  slotRows(rows, ctx);
  if (total > shown) {
    const n = total - shown;
    rows.text(`… ${plural(n, 'more item')} not drawn`, 'jp-Redpill-muted');
  }
  if (obj.list && obj.list.allocated > total) {
    const spare = obj.list.allocated - total;
    rows.text(
      `+ ${plural(spare, 'spare slot')} (allocated, unused)`,
      'jp-Redpill-muted'
    );
  }
}

/**
 * The body of a dict box: its used count, then one pointer slot per entry
 * shown.
 */
export function dictBody(rows: Rows, ctx: IKindContext): void {
  const { obj } = ctx;
  const info = obj.dict;
  rows.facts([['ma_used', String(info?.used ?? '?')]]);
  rows.repr(obj.repr);
  slotRows(rows, ctx);
  if (info && info.used > info.entries.length) {
    const n = info.used - info.entries.length;
    rows.text(
      `… ${n} more entr${n === 1 ? 'y' : 'ies'} not drawn`,
      'jp-Redpill-muted'
    );
  }
}

/**
 * The body of an instance box: its repr, then one pointer slot per attribute.
 */
export function instanceBody(rows: Rows, ctx: IKindContext): void {
  const { obj } = ctx;
  const info = obj.instance;
  rows.repr(obj.repr);
  if (info?.dict_address) {
    rows.text(
      `__dict__ at ${ctx.address(info.dict_address)}`,
      `jp-Redpill-fact ${VOLATILE}`
    );
  }
  if (info && info.attributes.length === 0) {
    rows.text('(no attributes)', 'jp-Redpill-muted');
  }
  slotRows(rows, ctx);
}
