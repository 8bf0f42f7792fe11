/**
 * The live page's stand-in for src/draw/address-format.ts: the page has no
 * settings, so every address is written in full (webpack.live.config.js).
 * Typed as the real function. No JupyterLab imports.
 */
import type * as AddressFormat from '../draw/address-format';

/** The address as given: in full. */
export const formatAddress: typeof AddressFormat.formatAddress = address =>
  address;
