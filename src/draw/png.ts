/**
 * PNG raster of a static SVG: serialise → <img> → canvas → data URL. Needs a
 * browser canvas and image decoding: a document without a 2D canvas context
 * rejects at once (tested in jest with jest-canvas-mock, and in a real
 * browser in galata). Within a budget (the stored copy) it is always the
 * whole picture at the pixel ratio asked, in as many colours as fit (256,
 * 16, or monochrome), encoded by `png-encode.ts`; never a part of it.
 */
import {
  encodeIndexedPng,
  monochrome,
  pngDataUrl,
  quantise
} from './png-encode';

/** Most device pixels per CSS pixel in a raster (sharp, but not huge). */
export const MAX_PIXEL_RATIO = 2;
/** Largest raster side in pixels (browsers refuse bigger canvases). */
export const MAX_CANVAS_SIDE = 16384;
/**
 * Most pixels in a raster (4 Mpx): keeps PNG copies a reasonable size in the
 * notebook and the rasterization short on the main thread.
 */
export const MAX_PIXELS = 4_000_000;
/** Below this scale a raster is unreadable: no PNG at all. */
export const MIN_SCALE = 0.5;
/**
 * Most characters of the base64 PNG a trusted output stores in the notebook
 * (300 KB of text, about 225 KB of PNG): what a 100-object diagram may add.
 */
export const COPY_BUDGET = 300_000;
/**
 * Device pixels per CSS pixel of the stored PNG: one, as the diagram is laid
 * out (its text stays readable, and the file is a quarter of a 2× raster).
 */
export const COPY_PIXEL_RATIO = 1;
/** Most encodings tried to bring a canvas PNG within its budget. */
export const MAX_ATTEMPTS = 5;
/**
 * The smallest scale a stored PNG is shrunk to (text still readable at
 * 9 px); a diagram that fits no PNG at that scale gets none.
 */
export const MIN_COPY_SCALE = 0.75;

/**
 * Most pixels of a stored copy tried in colour (6 Mpx, one canvas): a
 * diagram's colour PNG takes about 0.05–0.1 base64 characters per pixel, so
 * a larger one cannot fit `COPY_BUDGET` and goes straight to monochrome.
 */
export const MAX_COLOUR_PIXELS = 6_000_000;
/**
 * Most pixels of a monochrome copy (40 Mpx: one byte each while encoding;
 * the pixels are read back strip by strip, `STRIP_ROWS` at a time).
 */
export const MAX_MONOCHROME_PIXELS = 40_000_000;
/** Rows of the canvas a monochrome copy is drawn and read back in. */
export const STRIP_ROWS = 1024;
/**
 * Of a colour copy's size, what its 16-colour encoding takes (measured on
 * diagrams: 0.48–0.6): past the budget by more, 16 colours are not tried.
 */
export const SIXTEEN_COLOUR_RATIO = 0.6;

/** How a raster is made: its pixel ratio and the most bytes it may take. */
export interface IRasterOptions {
  /** Device pixels per CSS pixel (default: the window's, capped at 2). */
  pixelRatio?: number;
  /**
   * Most characters of the base64 PNG: if over, fewer colours are tried
   * (256, 16, then monochrome); never a part of the diagram.
   */
  maxBytes?: number;
}

/** A PNG raster of a whole diagram: its data URL and its sizes. */
export interface IRaster {
  /** `data:image/png;base64,...` */
  dataUrl: string;
  width: number;
  height: number;
  /** Colours of its palette (2: monochrome), or 0 for the canvas's own PNG. */
  colours: number;
  /** The size to show the raster at: the diagram's, in CSS pixels. */
  cssWidth: number;
  cssHeight: number;
}

/** The scale a raster of `width`×`height` CSS pixels is drawn at. */
export function rasterScale(
  width: number,
  height: number,
  devicePixelRatio = 1
): number {
  const ratio = Math.min(MAX_PIXEL_RATIO, Math.max(1, devicePixelRatio || 1));
  const side = Math.max(width, height, 1);
  const area = Math.max(width * height, 1);
  return Math.min(ratio, MAX_CANVAS_SIDE / side, Math.sqrt(MAX_PIXELS / area));
}

/**
 * Encode the whole diagram at `first` scale, then, while the result is over
 * `maxBytes`, again smaller (the size of a PNG grows about with its area, so
 * each try aims a little under the budget), never below `MIN_COPY_SCALE`
 * (the canvas's own PNG, where our encoder cannot run). At most `MAX_ATTEMPTS` encodings;
 * rejects if none fits.
 */
export async function fitRaster<T extends { dataUrl: string }>(
  encode: (scale: number) => T | Promise<T>,
  first: number,
  maxBytes = Infinity
): Promise<T> {
  let scale = first;
  for (let attempt = 1; ; attempt++) {
    const raster = await encode(scale);
    const bytes = base64Of(raster.dataUrl).length;
    if (bytes <= maxBytes) {
      return raster;
    }
    if (attempt >= MAX_ATTEMPTS || scale <= MIN_COPY_SCALE) {
      break;
    }
    // The scale the budget buys, at the bytes per pixel just measured.
    const affordable = scale * Math.sqrt((maxBytes * 0.92) / bytes);
    scale = Math.max(MIN_COPY_SCALE, Math.min(scale * 0.9, affordable));
  }
  throw new Error(
    `the diagram does not fit a PNG of ${Math.round(maxBytes / 1000)} KB`
  );
}

/** Render an SVG document (its markup) to a PNG of the whole diagram. */
export async function svgToPng(
  markup: string,
  width: number,
  height: number,
  doc: Document = document,
  options: IRasterOptions = {}
): Promise<IRaster> {
  const view = doc.defaultView;
  if (!view) {
    throw new Error('no window for this document');
  }
  const ratio = options.pixelRatio ?? view.devicePixelRatio;
  const first = rasterScale(width, height, ratio);
  if (options.maxBytes === undefined && first < MIN_SCALE) {
    throw new Error('the diagram is too large for a PNG');
  }
  const canvas = doc.createElement('canvas');
  const context = canvas.getContext('2d');
  if (!context) {
    throw new Error('no 2D canvas context');
  }
  const blob = new view.Blob([markup], { type: 'image/svg+xml;charset=utf-8' });
  const url = view.URL.createObjectURL(blob);
  try {
    const image = new view.Image();
    image.decoding = 'sync';
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the SVG did not load as image'));
      image.src = url;
    });
    const size = { width, height };
    if (options.maxBytes !== undefined) {
      const indexed = await indexedRaster(
        canvas,
        context,
        image,
        size,
        ratio,
        options.maxBytes
      );
      if (indexed) {
        return indexed;
      }
      if (indexed === null) {
        throw new Error(
          `the diagram does not fit a PNG of ${Math.round(options.maxBytes / 1000)} KB`
        );
      }
      if (first < MIN_COPY_SCALE) {
        throw new Error('the diagram is too large for a PNG');
      }
    }
    // The canvas's own PNG (a download, or no way to encode our own).
    return fitRaster(
      scale => {
        // Setting the size clears the canvas and its transform.
        canvas.width = Math.max(1, Math.round(width * scale));
        canvas.height = Math.max(1, Math.round(height * scale));
        context.setTransform(scale, 0, 0, scale, 0, 0);
        context.drawImage(image, 0, 0, width, height);
        return {
          dataUrl: canvas.toDataURL('image/png'),
          width: canvas.width,
          height: canvas.height,
          colours: 0,
          cssWidth: width,
          cssHeight: height
        };
      },
      first,
      options.maxBytes
    );
  } finally {
    view.URL.revokeObjectURL(url);
  }
}

/**
 * The whole diagram as an indexed-colour PNG within `maxBytes`, at the pixel
 * ratio asked (never shrunk): in up to 256 colours, else 16, else
 * monochrome (ink on white, one bit per pixel: text, borders and arrows,
 * without the fills). Null when none fits; undefined when the platform
 * cannot encode it (no pixels to read, no `CompressionStream`): the caller
 * falls back to the canvas's own PNG.
 */
async function indexedRaster(
  canvas: HTMLCanvasElement,
  context: CanvasRenderingContext2D,
  image: HTMLImageElement,
  size: { width: number; height: number },
  pixelRatio: number,
  maxBytes: number
): Promise<IRaster | null | undefined> {
  if (typeof CompressionStream === 'undefined') {
    return undefined;
  }
  const scale = Math.min(MAX_PIXEL_RATIO, Math.max(1, pixelRatio || 1));
  const w = Math.max(1, Math.round(size.width * scale));
  const h = Math.max(1, Math.round(size.height * scale));
  const raster = (png: Uint8Array, colours: number): IRaster | null => {
    const dataUrl = pngDataUrl(png);
    return base64Of(dataUrl).length <= maxBytes
      ? {
          dataUrl,
          width: w,
          height: h,
          colours,
          cssWidth: size.width,
          cssHeight: size.height
        }
      : null;
  };
  try {
    if (w * h <= MAX_COLOUR_PIXELS && Math.max(w, h) <= MAX_CANVAS_SIDE) {
      canvas.width = w;
      canvas.height = h;
      context.setTransform(scale, 0, 0, scale, 0, 0);
      context.drawImage(image, 0, 0, size.width, size.height);
      const rgba = context.getImageData(0, 0, w, h).data;
      const full = await encodeIndexedPng(quantise(rgba, w, h));
      const colour = raster(full, 256);
      if (colour) {
        return colour;
      }
      if (
        base64Of(pngDataUrl(full)).length * SIXTEEN_COLOUR_RATIO <=
        maxBytes
      ) {
        const sixteen = raster(
          await encodeIndexedPng(quantise(rgba, w, h, 16)),
          16
        );
        if (sixteen) {
          return sixteen;
        }
      }
    }
    if (w * h > MAX_MONOCHROME_PIXELS || w > MAX_CANVAS_SIDE) {
      return null;
    }
    // Strip by strip: any height, and little memory for the pixels read.
    const indices = new Uint8Array(w * h);
    let palette = new Uint8Array(0);
    canvas.width = w;
    for (let top = 0; top < h; top += STRIP_ROWS) {
      const rows = Math.min(STRIP_ROWS, h - top);
      canvas.height = rows; // clears the canvas and its transform
      context.setTransform(scale, 0, 0, scale, 0, -top);
      context.drawImage(image, 0, 0, size.width, size.height);
      const strip = context.getImageData(0, 0, w, rows).data;
      const mono = monochrome(strip, w, rows);
      indices.set(mono.indices, top * w);
      palette = mono.palette;
    }
    return raster(
      await encodeIndexedPng({ width: w, height: h, palette, indices }),
      2
    );
  } catch {
    return undefined;
  }
}

/** The base64 payload of a data URL. */
export function base64Of(dataUrl: string): string {
  const i = dataUrl.indexOf(',');
  return i < 0 ? '' : dataUrl.slice(i + 1);
}
