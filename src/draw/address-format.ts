/**
 * How the boxes write addresses: in full, or in the short form the widget's
 * `addressFormat` setting asks for (`0x…1f30`, the last four hex digits). The
 * live page has no settings and writes them in full: its bundles resolve
 * this module to src/live/full-addresses.ts (webpack.live.config.js). No
 * JupyterLab imports.
 */
import { ADDRESS_IN_TEXT } from '../text';
import type { AddressFormat } from '../tokens';

/**
 * Write an address the way `format` asks. Elements showing an address carry
 * the class `VOLATILE` (it changes from run to run).
 */
export function formatAddress(
  address: string,
  format: AddressFormat = 'full'
): string {
  // Only an address longer than what the short form keeps is shortened.
  if (
    format !== 'short' ||
    address.length <= 6 ||
    !new RegExp(`^${ADDRESS_IN_TEXT.source}$`, 'i').test(address)
  ) {
    return address;
  }
  return `0x…${address.slice(-4)}`;
}
