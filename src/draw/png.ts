/**
 * PNG raster of a static SVG: serialise → <img> → canvas → data URL. Needs a
 * browser canvas and image decoding: a document without a 2D canvas context
 * rejects at once (tested in jest with jest-canvas-mock, and in a real
 * browser in galata).
 */
import { encodeIndexedPng, pngDataUrl, quantise } from './png-encode';

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
export const MAX_ATTEMPTS = 5;
/**
 * The scale a stored PNG is cut at rather than shrunk below: a diagram that
 * fits the budget only smaller than this keeps its top part, readable.
 */
export const CROP_SCALE = 0.75;
/** Fewest CSS pixels of the diagram a cut PNG shows (else: no PNG). */
export const MIN_ROWS = 200;
/** Height in CSS pixels of the note under a cut PNG. */
export const CUT_NOTE_HEIGHT = 28;

/**
 * Most pixels of a stored copy encoded as an indexed-colour PNG (16 Mpx: its
 * pixels are read back from the canvas, 64 MB at that size).
 */
export const MAX_INDEXED_PIXELS = 16_000_000;

/** How a raster is made: its pixel ratio and the most bytes it may take. */
export interface IRasterOptions {
  /** Device pixels per CSS pixel (default: the window's, capped at 2). */
  pixelRatio?: number;
  /**
   * Most characters of the base64 PNG: if over, a smaller scale is tried,
   * then (below `CROP_SCALE`) the top of the diagram, with a note.
   */
  maxBytes?: number;
}

/**
 * A PNG raster of a diagram: its data URL, its size in device pixels and the
 * part of the diagram it shows.
 */
export interface IRaster {
  /** `data:image/png;base64,...` */
  dataUrl: string;
  width: number;
  height: number;
  /** The CSS pixels of the diagram drawn, from the top (all: its height). */
  rows: number;
  /** The size to show the raster at, in CSS pixels (with the cut note). */
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

/** What one encoding draws: a scale, and the CSS pixels drawn from the top. */
export interface IRasterTry {
  scale: number;
  rows: number;
}

/**
 * Encode the diagram (`width`×`height` CSS pixels) as `first` says, then, while
 * the result is over `maxBytes`, try again smaller: the size of a PNG grows
 * about with its area, so each try aims a little under the budget. The whole
 * diagram is shrunk down to `CROP_SCALE`; below that its top part is kept at
 * that scale (at least `MIN_ROWS` CSS pixels). At most `MAX_ATTEMPTS`
 * encodings; rejects if none fits.
 */
export async function fitRaster<T extends { dataUrl: string }>(
  encode: (attempt: IRasterTry) => T | Promise<T>,
  size: { width: number; height: number },
  first: IRasterTry,
  maxBytes = Infinity
): Promise<T> {
  let next = first;
  for (let attempt = 1; ; attempt++) {
    const raster = await encode(next);
    const bytes = base64Of(raster.dataUrl).length;
    if (bytes <= maxBytes) {
      return raster;
    }
    if (attempt >= MAX_ATTEMPTS) {
      break;
    }
    // The pixels the budget buys, at the bytes per pixel just measured.
    const pixels = next.scale * next.scale * size.width * next.rows;
    const affordable = (pixels * maxBytes * 0.92) / bytes;
    const whole = Math.sqrt(affordable / (size.width * size.height));
    if (next.rows >= size.height && whole >= CROP_SCALE) {
      next = { scale: Math.min(whole, next.scale * 0.9), rows: size.height };
      continue;
    }
    const at = Math.min(CROP_SCALE, next.scale);
    const rows = Math.min(
      Math.floor(affordable / (at * at * size.width)) - CUT_NOTE_HEIGHT,
      Math.floor(next.rows * 0.9)
    );
    if (rows < MIN_ROWS) {
      break;
    }
    next = { scale: at, rows };
  }
  throw new Error(
    `the diagram does not fit a PNG of ${Math.round(maxBytes / 1000)} KB`
  );
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
  const ratio = options.pixelRatio ?? view.devicePixelRatio;
  let first: IRasterTry = {
    scale: rasterScale(width, height, ratio),
    rows: height
  };
  if (options.maxBytes !== undefined && first.scale < CROP_SCALE) {
    // A PNG that may be cut starts as the top part the pixel cap allows.
    const at = Math.min(CROP_SCALE, rasterScale(width, 1, ratio));
    const rows = Math.floor(MAX_PIXELS / (width * at * at)) - CUT_NOTE_HEIGHT;
    first = { scale: at, rows: Math.max(1, Math.min(height, rows)) };
  }
  if (first.scale < MIN_SCALE) {
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
    if (options.maxBytes !== undefined) {
      const whole = await indexedRaster(
        canvas,
        context,
        image,
        { width, height },
        ratio,
        options.maxBytes
      );
      if (whole) {
        return whole;
      }
    }
    return fitRaster(
      async ({ scale: at, rows }) => {
        const cut = rows < height;
        const cssHeight = rows + (cut ? CUT_NOTE_HEIGHT : 0);
        // Setting the size clears the canvas and its transform.
        canvas.width = Math.max(1, Math.round(width * at));
        canvas.height = Math.max(1, Math.round(cssHeight * at));
        context.setTransform(at, 0, 0, at, 0, 0);
        if (cut) {
          context.drawImage(image, 0, 0, width, rows, 0, 0, width, rows);
          cutNote(context, width, rows, height);
        } else {
          context.drawImage(image, 0, 0, width, height);
        }
        return {
          dataUrl: await fallbackDataUrl(canvas, context, !!options.maxBytes),
          width: canvas.width,
          height: canvas.height,
          rows,
          cssWidth: width,
          cssHeight
        };
      },
      { width, height },
      first,
      options.maxBytes
    );
  } finally {
    view.URL.revokeObjectURL(url);
  }
}

/**
 * The whole diagram as an indexed-colour PNG within `maxBytes`: at the
 * largest scale the pixel caps allow in up to 256 colours, then (if over)
 * once more at the scale the measured size says fits, never below
 * `CROP_SCALE`. Null when it does
 * not fit or the platform cannot encode it (no pixels to read, no
 * `CompressionStream`): the caller falls back to the canvas's own PNG.
 */
async function indexedRaster(
  canvas: HTMLCanvasElement,
  context: CanvasRenderingContext2D,
  image: HTMLImageElement,
  size: { width: number; height: number },
  pixelRatio: number,
  maxBytes: number
): Promise<IRaster | null> {
  if (typeof CompressionStream === 'undefined') {
    return null;
  }
  const { width, height } = size;
  const ratio = Math.min(MAX_PIXEL_RATIO, Math.max(1, pixelRatio || 1));
  let scale = Math.min(
    ratio,
    MAX_CANVAS_SIDE / Math.max(width, height, 1),
    Math.sqrt(MAX_INDEXED_PIXELS / Math.max(width * height, 1))
  );
  // Up to 256 colours (fewer would lose the opaque text of a diagram on a
  // transparent background to its most frequent colours), then once more at
  // the scale the first try's size says fits.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (scale < CROP_SCALE) {
      return null;
    }
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    context.setTransform(scale, 0, 0, scale, 0, 0);
    context.drawImage(image, 0, 0, width, height);
    let dataUrl: string;
    try {
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
      const png = await encodeIndexedPng(
        quantise(pixels.data, canvas.width, canvas.height)
      );
      dataUrl = pngDataUrl(png);
    } catch {
      return null;
    }
    const bytes = base64Of(dataUrl).length;
    if (bytes <= maxBytes) {
      return {
        dataUrl,
        width: canvas.width,
        height: canvas.height,
        rows: height,
        cssWidth: width,
        cssHeight: height
      };
    }
    scale = Math.min(scale * 0.9, scale * Math.sqrt((maxBytes * 0.92) / bytes));
  }
  return null;
}

/**
 * The PNG of what the canvas holds: within a budget, in up to 256 indexed
 * colours where the platform can deflate (about 40 % of the canvas's RGBA
 * PNG), else the canvas's own PNG.
 */
async function fallbackDataUrl(
  canvas: HTMLCanvasElement,
  context: CanvasRenderingContext2D,
  budgeted: boolean
): Promise<string> {
  if (budgeted && typeof CompressionStream !== 'undefined') {
    try {
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
      return pngDataUrl(
        await encodeIndexedPng(
          quantise(pixels.data, canvas.width, canvas.height)
        )
      );
    } catch {
      // no pixels to read: the canvas's own PNG below
    }
  }
  return canvas.toDataURL('image/png');
}

/** The note under a cut PNG: where it was cut, and where the rest is. */
function cutNote(
  context: CanvasRenderingContext2D,
  width: number,
  rows: number,
  height: number
): void {
  context.fillStyle = '#eeeeee';
  context.fillRect(0, rows, width, CUT_NOTE_HEIGHT);
  context.fillStyle = 'rgba(0, 0, 0, 0.87)';
  context.font = '12px sans-serif';
  context.textBaseline = 'middle';
  context.fillText(
    `… cut at ${Math.round((100 * rows) / height)}% of its height: ` +
      'the whole diagram is drawn where the notebook runs',
    8,
    rows + CUT_NOTE_HEIGHT / 2
  );
}

/** The base64 payload of a data URL. */
export function base64Of(dataUrl: string): string {
  const i = dataUrl.indexOf(',');
  return i < 0 ? '' : dataUrl.slice(i + 1);
}
