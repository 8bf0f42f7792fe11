/**
 * The buffer kinds' chunk of the live page: installs the real drawing of
 * buffers and views (bytearray, memoryview, array, ndarray) into the core's
 * stand-in, src/live/buffers.ts. No JupyterLab imports.
 */
import { bufferSection } from '../draw/buffer-details';
import { bufferBody } from '../draw/kinds/buffer';
import { installBuffers } from './buffers';

/** Install the buffer kinds' drawing into the core. */
export function install(): void {
  installBuffers({ bufferBody, bufferSection });
}
