/**
 * An indexed-colour PNG encoder for flat pictures (the diagram: a few theme
 * colours and the anti-aliasing ramps between them). The RGBA pixels are
 * quantised to a palette of at most 256 colours (the most frequent ones,
 * every other colour mapped to its nearest), the rows filtered (None, Sub or
 * Up, whichever has the smallest sum of absolute values) and compressed with
 * the browser's `CompressionStream('deflate')`, whose zlib stream is what a
 * PNG's IDAT holds.
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

/** Bits per palette index: 4 for up to 16 colours, else 8. */
export function bitDepthOf(colours: number): 4 | 8 {
  return colours <= 16 ? 4 : 8;
}

/**
 * The filtered scanlines of an indexed image: each row packed at its bit
 * depth and prefixed by its filter type (0 None, 1 Sub, 2 Up), the one whose
 * bytes, read as signed, have the smallest sum of absolute values.
 */
export function filterRows(image: IIndexedImage): Uint8Array {
  const { width, height, indices } = image;
  const depth = bitDepthOf(image.palette.length / 4);
  const stride = depth === 8 ? width : Math.ceil(width / 2);
  const out = new Uint8Array(height * (stride + 1));
  let previous = new Uint8Array(stride);
  let row = new Uint8Array(stride);
  const sub = new Uint8Array(stride);
  const up = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    row.fill(0);
    const start = y * width;
    if (depth === 8) {
      row.set(indices.subarray(start, start + width));
    } else {
      for (let x = 0; x < width; x++) {
        row[x >> 1] |= (indices[start + x] & 15) << (x & 1 ? 0 : 4);
      }
    }
    // Sub and Up work on whole bytes: the byte to the left is one back.
    let sumNone = 0;
    let sumSub = 0;
    let sumUp = 0;
    for (let x = 0; x < stride; x++) {
      const left = x > 0 ? row[x - 1] : 0;
      sub[x] = (row[x] - left) & 255;
      up[x] = (row[x] - previous[x]) & 255;
      sumNone += row[x] < 128 ? row[x] : 256 - row[x];
      sumSub += sub[x] < 128 ? sub[x] : 256 - sub[x];
      sumUp += up[x] < 128 ? up[x] : 256 - up[x];
    }
    const offset = y * (stride + 1);
    if (sumUp < sumNone && sumUp <= sumSub) {
      out[offset] = 2;
      out.set(up, offset + 1);
    } else if (sumSub < sumNone) {
      out[offset] = 1;
      out.set(sub, offset + 1);
    } else {
      out[offset] = 0;
      out.set(row, offset + 1);
    }
    [previous, row] = [row, previous];
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
 * depth 4 or 8), PLTE, tRNS when a colour is not opaque, IDAT and IEND.
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
