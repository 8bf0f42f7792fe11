/**
 * PNG raster of a static SVG: serialise → <img> → canvas → data URL. Needs a
 * browser canvas and image decoding: a document without a 2D canvas context
 * rejects at once (tested in jest with jest-canvas-mock, and in a real
 * browser in galata).
 */

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
/** Most encodings tried to bring a raster within its budget. */
export const MAX_ATTEMPTS = 4;

/** How a raster is made: its pixel ratio and the most bytes it may take. */
export interface IRasterOptions {
  /** Device pixels per CSS pixel (default: the window's, capped at 2). */
  pixelRatio?: number;
  /** Most characters of the base64 PNG; a smaller scale is tried if over. */
  maxBytes?: number;
}

/** A PNG raster of a diagram: its data URL and its size in device pixels. */
export interface IRaster {
  /** `data:image/png;base64,...` */
  dataUrl: string;
  width: number;
  height: number;
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
 * Encode at `scale`, then at smaller scales while the result is over
 * `maxBytes` (the size of a PNG grows about with its area, so each try aims
 * a little under the budget), down to `MIN_SCALE` at the least; at most
 * `MAX_ATTEMPTS` encodings. Throws if no readable scale fits.
 */
export function encodeWithin<T extends { dataUrl: string }>(
  encode: (scale: number) => T,
  scale: number,
  maxBytes = Infinity
): T {
  let next = scale;
  for (let attempt = 1; ; attempt++) {
    const raster = encode(next);
    const bytes = base64Of(raster.dataUrl).length;
    if (bytes <= maxBytes) {
      return raster;
    }
    const last = next;
    next = Math.max(
      MIN_SCALE,
      Math.min(next * 0.9, next * Math.sqrt(maxBytes / bytes) * 0.95)
    );
    if (attempt >= MAX_ATTEMPTS || next >= last) {
      throw new Error(
        `the diagram does not fit a PNG of ${Math.round(maxBytes / 1000)} KB`
      );
    }
  }
}

/** Render an SVG document (its markup) to a PNG. */
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
  const scale = rasterScale(
    width,
    height,
    options.pixelRatio ?? view.devicePixelRatio
  );
  if (scale < MIN_SCALE) {
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
    return encodeWithin(
      at => {
        // Setting the size clears the canvas and its transform.
        canvas.width = Math.max(1, Math.round(width * at));
        canvas.height = Math.max(1, Math.round(height * at));
        context.setTransform(at, 0, 0, at, 0, 0);
        context.drawImage(image, 0, 0, width, height);
        return {
          dataUrl: canvas.toDataURL('image/png'),
          width: canvas.width,
          height: canvas.height
        };
      },
      scale,
      options.maxBytes
    );
  } finally {
    view.URL.revokeObjectURL(url);
  }
}

/** The base64 payload of a data URL. */
export function base64Of(dataUrl: string): string {
  const i = dataUrl.indexOf(',');
  return i < 0 ? '' : dataUrl.slice(i + 1);
}
