/**
 * The live bundles' stand-in for the buffer kinds' drawing
 * (src/draw/kinds/buffer.ts and src/draw/buffer-details.ts) in the bundles of
 * outputs whose payload holds no buffer or view (webpack.live.config.js).
 * Typed as the real functions. No JupyterLab imports.
 */
import type * as BufferDetails from '../draw/buffer-details';
import type * as BufferKind from '../draw/kinds/buffer';

/** The body of a buffer or view box: its repr alone without the real code. */
export const bufferBody: typeof BufferKind.bufferBody = (rows, ctx) =>
  rows.repr(ctx.obj.repr);

/** The buffer section of the details panel: none without the real code. */
export const bufferSection: typeof BufferDetails.bufferSection = () =>
  undefined;
