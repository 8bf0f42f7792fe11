/**
 * int (and bool): PyLongObject's 30-bit digits as cells, the sign/size tag as
 * this CPython stores it (ob_size before 3.12, lv_tag from 3.12), the sum
 * value = Σ dᵢ·2^(30·i) written out, and the small-int cache badge.
 */
import type { IntInternals, Interpreter } from '../../model/payload.generated';
import { plural } from '../../text';
import type { Rows } from '../rows';
import type { IKindContext } from './context';

const MAX_DIGIT_CELLS = 12;
const TERMS_PER_LINE = 3;

/** The small-int cache range of an interpreter: probed, else by version. */
export function smallIntRange(interp: Interpreter): [number, number] {
  if (interp.small_int_range) {
    return interp.small_int_range;
  }
  const [major, minor] = interp.version.split('.').map(n => parseInt(n, 10));
  return major > 3 || (major === 3 && minor >= 15) ? [-5, 1024] : [-5, 256];
}

/** Σ dᵢ·2^(bits·i) as a BigInt (magnitude; digits least significant first). */
export function digitSum(digits: number[], bits: number): bigint {
  let sum = BigInt(0);
  for (let i = digits.length - 1; i >= 0; i--) {
    sum = (sum << BigInt(bits)) + BigInt(digits[i]);
  }
  return sum;
}

/** The terms of the sum, e.g. ['1042·2^0', '5·2^30']. */
export function digitTerms(digits: number[], bits: number): string[] {
  return digits.map((d, i) => `${d}·2^${bits * i}`);
}

/** What the tag says, decoded. */
export function describeTag(info: IntInternals): string | null {
  if (info.tag === undefined || info.tag_field === undefined) {
    return null;
  }
  let raw: bigint;
  try {
    raw = BigInt(info.tag);
  } catch {
    return `${info.tag_field} = ${info.tag}`;
  }
  if (info.tag_field === 'lv_tag') {
    const ndigits = raw >> BigInt(3);
    const signBits = Number(raw & BigInt(3));
    const sign = ['+', '0', '−', '?'][signBits];
    return `lv_tag = ${info.tag} → ndigits ${ndigits} (tag>>3), sign ${sign} (tag&3 = ${signBits})`;
  }
  const n = raw < 0 ? -raw : raw;
  const sign = raw < 0 ? '−' : raw === BigInt(0) ? '0' : '+';
  return `ob_size = ${info.tag} → ${n} digit${n === BigInt(1) ? '' : 's'}, sign ${sign}`;
}

/**
 * The body of an int or bool box: the value, ob_size, the digits and the
 * formula that sums them.
 */
export function intBody(rows: Rows, ctx: IKindContext): void {
  const info = ctx.obj.int;
  if (!info) {
    rows.repr(ctx.obj.repr);
    return;
  }
  rows.text(`value ${info.value}`, 'jp-Redpill-repr');
  const tag = describeTag(info);
  if (tag) {
    rows.text(tag, 'jp-Redpill-fact');
  } else {
    rows.facts([
      ['ndigits', String(info.ndigits)],
      ['sign', ['−', '0', '+'][info.sign + 1]]
    ]);
  }
  const shown = info.digits.slice(0, MAX_DIGIT_CELLS);
  if (shown.length) {
    rows.cells(
      shown.map((d, i) => ({
        caption: `ob_digit[${i}]`,
        value: String(d),
        className: 'jp-Redpill-digit',
        attrs: { 'data-digit': i }
      })),
      4
    );
  }
  const bits = info.digit_bits;
  const missing = info.ndigits - shown.length;
  if (missing > 0) {
    rows.text(
      `… ${plural(missing, 'more digit')} not shown`,
      'jp-Redpill-muted'
    );
  }
  rows.text(`value = Σ dᵢ·2^(${bits}·i)`, 'jp-Redpill-formula');
  const terms = digitTerms(shown, bits);
  if (terms.length === 0) {
    terms.push('0');
  }
  for (let i = 0; i < terms.length; i += TERMS_PER_LINE) {
    const part = terms.slice(i, i + TERMS_PER_LINE).join(' + ');
    const more = i + TERMS_PER_LINE < terms.length || missing > 0 ? ' +' : '';
    rows.text(
      `${i === 0 ? '      = ' : '        '}${part}${more}`,
      'jp-Redpill-formula'
    );
  }
  if (missing > 0) {
    rows.text('        …', 'jp-Redpill-formula');
  }
  const sign = info.sign < 0 ? '−' : '';
  // The schema bounds digit_bits (15 or 30 on real builds); a shift by a
  // wild number of bits would not fit in a BigInt.
  if (missing <= 0 && Number.isInteger(bits) && bits > 0 && bits <= 64) {
    const sum = digitSum(shown, bits).toString();
    rows.text(
      `      = ${sign}${sign ? '(' + sum + ')' : sum}`,
      'jp-Redpill-formula jp-Redpill-sum',
      {
        'data-sum': (info.sign < 0 ? '-' : '') + sum
      }
    );
  }
  if (info.small_int_cached) {
    const [lo, hi] = smallIntRange(ctx.model.payload.interpreter);
    rows.badges([
      {
        text: `small-int cache ${lo}..${hi}`,
        className: 'jp-Redpill-badge-smallint',
        title: `CPython ${ctx.model.payload.interpreter.version} keeps one shared object for each int from ${lo} to ${hi}.`
      }
    ]);
  }
}
