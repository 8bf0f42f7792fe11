/**
 * float: ob_fval and its IEEE 754 binary64 bits — sign, exponent, mantissa.
 */
import type { FloatInternals } from '../../model/payload.generated';
import type { Rows } from '../rows';
import type { IKindContext } from './context';

/** The 64 bits of a 16-hex-digit string. */
export function hexToBits(hex: string): string {
  return Array.from(hex.padStart(16, '0').slice(-16))
    .map(h => (parseInt(h, 16) || 0).toString(2).padStart(4, '0'))
    .join('');
}

/**
 * The IEEE 754 exponent of a float in words (zero, subnormal, infinite or NaN
 * included).
 */
export function describeExponent(info: FloatInternals): string {
  const e = info.exponent;
  if (e === 0) {
    return `exponent 0: zero or subnormal (0.mantissa × 2^−1022)`;
  }
  if (e === 2047) {
    return `exponent 2047: ${/^0*$/.test(info.mantissa) ? 'infinity' : 'NaN'}`;
  }
  return `exponent ${e} − 1023 = ${e - 1023}`;
}

/**
 * The body of a float box: ob_fval, its sign, exponent and mantissa bits, and
 * the formula.
 */
export function floatBody(rows: Rows, ctx: IKindContext): void {
  const info = ctx.obj.float;
  if (!info) {
    rows.repr(ctx.obj.repr);
    return;
  }
  rows.text(`ob_fval = ${info.value}`, 'jp-Redpill-repr');
  rows.text(`bits 0x${info.hex}`, 'jp-Redpill-fact');
  const bits = hexToBits(info.hex);
  rows.bits([
    { bits: bits.slice(0, 1), caption: 's', className: 'jp-Redpill-bits-sign' },
    {
      bits: bits.slice(1, 12),
      caption: 'exponent',
      className: 'jp-Redpill-bits-exponent'
    },
    {
      bits: bits.slice(12),
      caption: 'mantissa (52 bits)',
      className: 'jp-Redpill-bits-mantissa'
    }
  ]);
  rows.text(`sign ${info.sign} (${info.sign ? '−' : '+'})`, 'jp-Redpill-fact');
  rows.text(describeExponent(info), 'jp-Redpill-fact');
  rows.text(`mantissa 0x${info.mantissa}`, 'jp-Redpill-fact');
  if (info.exponent > 0 && info.exponent < 2047) {
    rows.text(
      `= (−1)^${info.sign} × 1.mantissa × 2^${info.exponent - 1023}`,
      'jp-Redpill-formula'
    );
  }
}
