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

/** Render an SVG document (its markup) to a PNG. */
export async function svgToPng(
  markup: string,
  width: number,
  height: number,
  doc: Document = document
): Promise<IRaster> {
  const view = doc.defaultView;
  if (!view) {
    throw new Error('no window for this document');
  }
  const scale = rasterScale(width, height, view.devicePixelRatio);
  if (scale < MIN_SCALE) {
    throw new Error('the diagram is too large for a PNG');
  }
  const canvas = doc.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
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
    context.setTransform(scale, 0, 0, scale, 0, 0);
    context.drawImage(image, 0, 0, width, height);
  } finally {
    view.URL.revokeObjectURL(url);
  }
  return {
    dataUrl: canvas.toDataURL('image/png'),
    width: canvas.width,
    height: canvas.height
  };
}

/** The base64 payload of a data URL. */
export function base64Of(dataUrl: string): string {
  const i = dataUrl.indexOf(',');
  return i < 0 ? '' : dataUrl.slice(i + 1);
}
