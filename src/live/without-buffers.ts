/**
 * The live bundles' stand-in for the buffer kinds' drawing
 * (src/draw/kinds/buffer.ts and src/draw/buffer-details.ts) in the bundles of
 * outputs whose payload holds no buffer or view (webpack.live.config.js): a
 * payload with one is refused (its box could not be drawn). Typed as the
 * real functions. No JupyterLab imports.
 */
import type * as BufferDetails from '../draw/buffer-details';
import type * as BufferKind from '../draw/kinds/buffer';
import { missing } from './missing';

/** Never called without buffers: a buffer's box refuses the payload. */
export const bufferBody: typeof BufferKind.bufferBody = () =>
  missing('buffers and views');

/** The buffer section of the details panel: none without buffers. */
export const bufferSection: typeof BufferDetails.bufferSection = () =>
  undefined;
