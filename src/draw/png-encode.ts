/**
 * An indexed-colour PNG encoder for flat pictures (the diagram: a few theme
 * colours and the anti-aliasing ramps between them). The RGBA pixels are
 * quantised to a palette of at most 256 colours (the most frequent ones,
 * every other colour mapped to its nearest), or reduced to two (ink on the
 * background, `monochrome`); the rows are packed at the fewest bits per
 * index (1, 2, 4 or 8), left unfiltered (filter None: on these pictures it
 * deflates smaller than Sub, Up, Average or Paeth chosen row by row) and
 * compressed with the browser's `CompressionStream('deflate')`, whose zlib
 * stream is what a PNG's IDAT holds.
 */

/** The eight bytes every PNG starts with. */
export const PNG_SIGNATURE = Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10);

/** Most colours of an indexed PNG's palette. */
export const MAX_PALETTE = 256;

/** A picture quantised to a palette: one palette index per pixel. */
export interface IIndexedImage {
  width: number;
  height: number;
  /** RGBA of each palette entry, four bytes each. */
  palette: Uint8Array;
  /** One palette index per pixel, row after row. */
  indices: Uint8Array;
}

/**
 * Quantise RGBA pixels (`width`×`height`, four bytes each) to at most
 * `maxColours` colours: every colour if there are that few, else the most
 * frequent ones, with each other colour drawn as its nearest palette colour
 * (squared distance over red, green, blue and alpha).
 */
export function quantise(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  maxColours = MAX_PALETTE
): IIndexedImage {
  const count = width * height;
  if (rgba.length < count * 4) {
    throw new Error('fewer pixels than the picture size');
  }
  const limit = Math.max(1, Math.min(MAX_PALETTE, Math.floor(maxColours)));
  const words = new Uint32Array(count);
  const frequency = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const j = 4 * i;
    const word =
      ((rgba[j] << 24) |
        (rgba[j + 1] << 16) |
        (rgba[j + 2] << 8) |
        rgba[j + 3]) >>>
      0;
    words[i] = word;
    frequency.set(word, (frequency.get(word) ?? 0) + 1);
  }
  const chosen = [...frequency.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, limit)
    .map(([word]) => word);
  const palette = new Uint8Array(chosen.length * 4);
  const slot = new Map<number, number>();
  chosen.forEach((word, k) => {
    palette[4 * k] = word >>> 24;
    palette[4 * k + 1] = (word >>> 16) & 255;
    palette[4 * k + 2] = (word >>> 8) & 255;
    palette[4 * k + 3] = word & 255;
    slot.set(word, k);
  });
  const indices = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const word = words[i];
    let k = slot.get(word);
    if (k === undefined) {
      k = nearest(palette, word);
      slot.set(word, k);
    }
    indices[i] = k;
  }
  return { width, height, palette, indices };
}

/** The palette entry nearest to an RGBA colour packed in a 32-bit word. */
function nearest(palette: Uint8Array, word: number): number {
  const r = word >>> 24;
  const g = (word >>> 16) & 255;
  const b = (word >>> 8) & 255;
  const a = word & 255;
  let best = 0;
  let bestDistance = Infinity;
  for (let k = 0; k < palette.length / 4; k++) {
    const dr = palette[4 * k] - r;
    const dg = palette[4 * k + 1] - g;
    const db = palette[4 * k + 2] - b;
    const da = palette[4 * k + 3] - a;
    const distance = dr * dr + dg * dg + db * db + da * da;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = k;
    }
  }
  return best;
}

/**
 * RGBA pixels reduced to two colours: the background (white) and `ink`
 * (the copy's text colour), each pixel composited on white and drawn as ink
 * where its luminance is below `threshold`. Anti-aliased text keeps its
 * stems and the light fills (title bars, slots, field colours) become the
 * background, while lines and borders darker than the threshold stay: a
 * copy that reads like a print, at one bit per pixel.
 */
export function monochrome(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  threshold = MONOCHROME_THRESHOLD,
  ink: [number, number, number] = MONOCHROME_INK
): IIndexedImage {
  const count = width * height;
  if (rgba.length < count * 4) {
    throw new Error('fewer pixels than the picture size');
  }
  const indices = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const j = 4 * i;
    const luminance =
      0.299 * rgba[j] + 0.587 * rgba[j + 1] + 0.114 * rgba[j + 2];
    // Over white: a transparent pixel is the background, never ink.
    const shown = 255 - (rgba[j + 3] / 255) * (255 - luminance);
    indices[i] = shown < threshold ? 1 : 0;
  }
  const palette = Uint8Array.of(255, 255, 255, 255, ...ink, 255);
  return { width, height, palette, indices };
}

/**
 * Luminance (0–255) below which `monochrome` draws a pixel as ink: the
 * borders (#bdbdbd) and muted text are ink, the fills (#eeeeee, #e0e0e0 and
 * the translucent field colours over white) are not.
 */
export const MONOCHROME_THRESHOLD = 200;

/** The ink of a monochrome copy: the light theme's text on white. */
export const MONOCHROME_INK: [number, number, number] = [33, 33, 33];

/** Bits per palette index: the fewest PNG allows for this many colours. */
export function bitDepthOf(colours: number): 1 | 2 | 4 | 8 {
  return colours <= 2 ? 1 : colours <= 4 ? 2 : colours <= 16 ? 4 : 8;
}

/**
 * The scanlines of an indexed image: each row packed at its bit depth (the
 * leftmost pixel in the high bits) after its filter byte, 0 (None).
 */
export function filterRows(image: IIndexedImage): Uint8Array {
  const { width, height, indices } = image;
  const depth = bitDepthOf(image.palette.length / 4);
  const perByte = 8 / depth;
  const mask = (1 << depth) - 1;
  const stride = Math.ceil(width / perByte);
  const out = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const start = y * width;
    const offset = y * (stride + 1) + 1; // out[offset - 1] = 0: None
    if (depth === 8) {
      out.set(indices.subarray(start, start + width), offset);
      continue;
    }
    for (let x = 0; x < width; x++) {
      const shift = 8 - depth * ((x % perByte) + 1);
      out[offset + Math.floor(x / perByte)] |=
        (indices[start + x] & mask) << shift;
    }
  }
  return out;
}

/** CRC-32 (the PNG/zlib polynomial) of some bytes. */
export function crc32(bytes: Uint8Array): number {
  const table = Private.crcTable();
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    crc = table[(crc ^ bytes[i]) & 255] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** One PNG chunk: length, type, data and the CRC of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) {
    out[4 + i] = type.charCodeAt(i);
  }
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Compress bytes to a zlib stream with the platform's `CompressionStream`. */
export async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  if (typeof CompressionStream === 'undefined') {
    throw new Error('no CompressionStream to deflate with');
  }
  const stream = new CompressionStream('deflate');
  const writer = stream.writable.getWriter();
  const written = writer.write(bytes).then(() => writer.close());
  const reader = stream.readable.getReader();
  const parts: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    parts.push(value);
    length += value.length;
  }
  await written;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * The PNG file of an indexed image: signature, IHDR (colour type 3, bit
 * depth 1, 2, 4 or 8), PLTE, tRNS when a colour is not opaque, IDAT and IEND.
 */
export async function encodeIndexedPng(
  image: IIndexedImage
): Promise<Uint8Array> {
  const colours = image.palette.length / 4;
  if (colours < 1 || colours > MAX_PALETTE) {
    throw new Error(`a palette of ${colours} colours`);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, image.width);
  view.setUint32(4, image.height);
  header[8] = bitDepthOf(colours);
  header[9] = 3; // indexed colour; compression, filter, interlace: 0
  const plte = new Uint8Array(colours * 3);
  const alpha = new Uint8Array(colours);
  for (let k = 0; k < colours; k++) {
    plte.set(image.palette.subarray(4 * k, 4 * k + 3), 3 * k);
    alpha[k] = image.palette[4 * k + 3];
  }
  let lastTranslucent = -1;
  alpha.forEach((a, k) => {
    if (a < 255) {
      lastTranslucent = k;
    }
  });
  const parts = [
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('PLTE', plte),
    ...(lastTranslucent >= 0
      ? [chunk('tRNS', alpha.subarray(0, lastTranslucent + 1))]
      : []),
    chunk('IDAT', await deflate(filterRows(image))),
    chunk('IEND', new Uint8Array(0))
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A `data:image/png;base64,` URL of some PNG bytes. */
export function pngDataUrl(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return `data:image/png;base64,${btoa(text)}`;
}

/** Module-private state: the CRC table, made once. */
namespace Private {
  let table: Uint32Array | null = null;

  /** The 256-entry CRC-32 table. */
  export function crcTable(): Uint32Array {
    if (!table) {
      table = new Uint32Array(256);
      for (let n = 0; n < 256; n++) {
        let c = n;
        for (let k = 0; k < 8; k++) {
          c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        }
        table[n] = c >>> 0;
      }
    }
    return table;
  }
}
