/**
 * The live core's stand-in for the buffer kinds' drawing code
 * (src/draw/kinds/buffer.ts and src/draw/buffer-details.ts), which is a
 * chunk of its own (src/live/buffers-chunk.ts) that the kernel embeds only
 * in the outputs whose payload holds buffers or views: webpack.live.config.js
 * gives the views this module in their place, and the chunk installs the
 * real functions here before such a payload is drawn. No JupyterLab imports.
 */
import type { IKindContext } from '../draw/kinds/context';
import type { Rows } from '../draw/rows';
import type { IRedpillModel } from '../model/model';
import type { RedpillObject } from '../model/payload.generated';

/** The buffer kinds' functions the views call. */
export interface IBufferDrawing {
  /** The body of a buffer or view box. */
  bufferBody(rows: Rows, ctx: IKindContext): void;
  /** The buffer section of the details panel. */
  bufferSection(
    doc: Document,
    parent: HTMLElement,
    obj: RedpillObject,
    model: IRedpillModel
  ): void;
}

let installed: IBufferDrawing | null = null;

/** Install the buffer kinds' drawing code (the chunk does, once loaded). */
export function installBuffers(drawing: IBufferDrawing): void {
  installed = drawing;
}

/** The body of a buffer or view box (its repr alone without the chunk). */
export function bufferBody(rows: Rows, ctx: IKindContext): void {
  if (installed) {
    installed.bufferBody(rows, ctx);
  } else {
    rows.repr(ctx.obj.repr);
  }
}

/** The buffer section of the details panel (none without the chunk). */
export function bufferSection(
  doc: Document,
  parent: HTMLElement,
  obj: RedpillObject,
  model: IRedpillModel
): void {
  installed?.bufferSection(doc, parent, obj, model);
}
