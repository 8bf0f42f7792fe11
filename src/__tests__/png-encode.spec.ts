/**
 * The indexed-colour PNG encoder. jsdom has no `CompressionStream`: node's
 * own (the same WHATWG API the browser has, real zlib) is lent to it here. What it encodes is read back by a small
 * decoder written here: chunks and CRCs checked, IDAT inflated with node's
 * zlib, rows unfiltered, indices unpacked, so dimensions, palette and pixels
 * round-trip.
 */
import { CompressionStream as NodeCompressionStream } from 'stream/web';
import { inflateSync } from 'zlib';

import {
  bitDepthOf,
  crc32,
  encodeIndexedPng,
  filterRows,
  monochrome,
  MONOCHROME_INK,
  PNG_SIGNATURE,
  pngDataUrl,
  quantise
} from '../draw/png-encode';

const scope = globalThis as unknown as Record<string, unknown>;
scope.CompressionStream ??= NodeCompressionStream;

/** A decoded PNG: its header fields, palette (RGBA) and pixels (RGBA). */
interface IDecoded {
  width: number;
  height: number;
  depth: number;
  colourType: number;
  types: string[];
  palette: number[][];
  rgba: Uint8Array;
}

/** Decode an indexed PNG (colour type 3, depth 1, 2, 4 or 8, no interlace). */
function decode(png: Uint8Array): IDecoded {
  expect([...png.subarray(0, 8)]).toEqual([...PNG_SIGNATURE]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const types: string[] = [];
  const idat: Uint8Array[] = [];
  let header = new Uint8Array(0);
  let plte = new Uint8Array(0);
  let trns = new Uint8Array(0);
  for (let at = 8; at < png.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + length);
    expect(view.getUint32(at + 8 + length)).toBe(
      crc32(png.subarray(at + 4, at + 8 + length))
    );
    types.push(type);
    if (type === 'IHDR') {
      header = data;
    } else if (type === 'PLTE') {
      plte = data;
    } else if (type === 'tRNS') {
      trns = data;
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    at += 12 + length;
  }
  const hv = new DataView(header.buffer, header.byteOffset, 13);
  const width = hv.getUint32(0);
  const height = hv.getUint32(4);
  const depth = header[8];
  const palette: number[][] = [];
  for (let k = 0; k < plte.length / 3; k++) {
    palette.push([
      plte[3 * k],
      plte[3 * k + 1],
      plte[3 * k + 2],
      k < trns.length ? trns[k] : 255
    ]);
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = Math.ceil((width * depth) / 8);
  expect(raw.length).toBe(height * (stride + 1));
  const rgba = new Uint8Array(width * height * 4);
  let previous = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = new Uint8Array(
      raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    );
    for (let x = 0; x < stride; x++) {
      if (filter === 1) {
        line[x] = (line[x] + (x > 0 ? line[x - 1] : 0)) & 255;
      } else if (filter === 2) {
        line[x] = (line[x] + previous[x]) & 255;
      } else {
        expect(filter).toBe(0);
      }
    }
    for (let x = 0; x < width; x++) {
      const perByte = 8 / depth;
      const shift = 8 - depth * ((x % perByte) + 1);
      const index =
        (line[Math.floor(x / perByte)] >> shift) & ((1 << depth) - 1);
      rgba.set(palette[index], 4 * (y * width + x));
    }
    previous = line;
  }
  return { width, height, depth, colourType: header[9], types, palette, rgba };
}

/** A synthetic picture: `colours` flat bands, one of them translucent. */
function bands(width: number, height: number, colours: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const k = (x + 3 * y) % colours;
      rgba.set(
        [(k * 37) & 255, (k * 91) & 255, (k * 13) & 255, k === 1 ? 128 : 255],
        4 * (y * width + x)
      );
    }
  }
  return rgba;
}

describe('encodeIndexedPng', () => {
  it('round-trips a picture of 40 colours at bit depth 8, with tRNS', async () => {
    const rgba = bands(37, 11, 40);
    const png = decode(await encodeIndexedPng(quantise(rgba, 37, 11)));
    expect(png.types).toEqual(['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND']);
    expect([png.width, png.height, png.depth, png.colourType]).toEqual([
      37, 11, 8, 3
    ]);
    expect(png.palette).toHaveLength(40);
    expect(png.rgba).toEqual(rgba);
  });

  it('packs 16 colours or fewer at bit depth 4, odd width included', async () => {
    const rgba = bands(9, 5, 16).map((v, i) => (i % 4 === 3 ? 255 : v));
    const png = decode(await encodeIndexedPng(quantise(rgba, 9, 5)));
    expect(png.depth).toBe(4);
    expect(png.types).not.toContain('tRNS'); // every colour opaque
    expect(png.palette).toHaveLength(16);
    expect(png.rgba).toEqual(rgba);
  });

  it('maps colours beyond the palette to their nearest entry', async () => {
    // 300 greys: the 256 most frequent are kept, the rest drawn nearest.
    const width = 300;
    const rgba = new Uint8Array(width * 4 * 2);
    for (let x = 0; x < width; x++) {
      const grey = Math.round((x * 255) / (width - 1));
      rgba.set([grey, grey, grey, 255], 4 * x);
      // Row two repeats the first 256 greys, so they are the frequent ones.
      rgba.set(
        x < 256 ? [grey, grey, grey, 255] : [0, 0, 0, 255],
        4 * (width + x)
      );
    }
    const image = quantise(rgba, width, 2);
    expect(image.palette.length / 4).toBe(256);
    const png = decode(await encodeIndexedPng(image));
    for (let x = 0; x < width; x++) {
      const grey = rgba[4 * x];
      expect(Math.abs(png.rgba[4 * x] - grey)).toBeLessThanOrEqual(1);
    }
    expect(png.rgba.subarray(4 * width)).toEqual(rgba.subarray(4 * width));
  });

  it('packs 2 colours at bit depth 1 and 3–4 at depth 2, odd widths included', async () => {
    for (const [colours, depth] of [
      [2, 1],
      [3, 2],
      [4, 2]
    ]) {
      const rgba = bands(13, 3, colours).map((v, i) => (i % 4 === 3 ? 255 : v));
      const png = decode(await encodeIndexedPng(quantise(rgba, 13, 3)));
      expect([png.depth, png.palette.length]).toEqual([depth, colours]);
      expect(png.rgba).toEqual(rgba);
    }
  });

  it('leaves every row unfiltered (None), each packed from the high bits', () => {
    const width = 10;
    const rgba = new Uint8Array(width * 2 * 4).fill(255);
    rgba.set([0, 0, 0, 255], 0); // the first pixel of the first row
    rgba.set([0, 0, 0, 255], 4 * (width + width - 1)); // the last of row two
    const rows = filterRows(quantise(rgba, width, 2));
    // Two bytes per row at one bit per pixel, after the filter byte.
    expect([...rows]).toEqual([0, 0x80, 0x00, 0, 0x00, 0x40]);
  });

  it('monochrome: text and borders as ink, fills and transparency as the background', async () => {
    const pixels: [number, number, number, number][] = [
      [255, 255, 255, 255], // background
      [238, 238, 238, 255], // a title bar (#eeeeee)
      [224, 224, 224, 255], // a rule (#e0e0e0)
      [196, 229, 247, 255], // a field colour over white
      [189, 189, 189, 255], // a border (#bdbdbd)
      [33, 33, 33, 255], // text
      [117, 117, 117, 255], // muted text
      [25, 118, 210, 255], // an arrow (#1976d2)
      [0, 0, 0, 0], // transparent: never ink
      [0, 0, 0, 30], // faint anti-aliasing over white
      [0, 0, 0, 200] // strong anti-aliasing over white
    ];
    const rgba = Uint8Array.from(pixels.flat());
    const image = monochrome(rgba, pixels.length, 1);
    expect([...image.indices]).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1]);
    const png = decode(await encodeIndexedPng(image));
    expect(png.depth).toBe(1);
    expect(png.types).not.toContain('tRNS'); // opaque on any page
    expect(png.palette).toEqual([
      [255, 255, 255, 255],
      [...MONOCHROME_INK, 255]
    ]);
    expect(() => monochrome(rgba, 20, 1)).toThrow(/fewer pixels/);
  });

  it('makes a data URL a browser can read back byte for byte', async () => {
    const png = await encodeIndexedPng(quantise(bands(5, 5, 3), 5, 5));
    const url = pngDataUrl(png);
    expect(url).toMatch(/^data:image\/png;base64,/);
    expect(new Uint8Array(Buffer.from(url.split(',')[1], 'base64'))).toEqual(
      png
    );
  });

  it('refuses pixels shorter than the picture', () => {
    expect(() => quantise(new Uint8Array(8), 3, 3)).toThrow(/fewer pixels/);
    expect([1, 2, 3, 4, 5, 16, 17, 256].map(bitDepthOf)).toEqual([
      1, 1, 2, 2, 4, 4, 8, 8
    ]);
  });
});
