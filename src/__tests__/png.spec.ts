/**
 * The PNG raster of a static SVG, on jest-canvas-mock's canvas (it records
 * the drawing calls). jsdom decodes no images: `ImageStandIn` stands in for
 * the browser's <img>, firing `load` (or `error`) once a source is set, and
 * blob URLs are counted instead of made. The real raster is checked in
 * galata (its PNG's size).
 */
import { CompressionStream as NodeCompressionStream } from 'stream/web';

import {
  base64Of,
  COPY_BUDGET,
  fitRaster,
  MAX_ATTEMPTS,
  MIN_COPY_SCALE,
  STRIP_ROWS,
  svgToPng
} from '../draw/png';

/** A real <img> element whose `src` fires `load` (or `error`) at once. */
const ImageStandIn = Object.assign(
  // eslint-disable-next-line prefer-arrow-callback -- constructed with `new`, like the browser's Image
  function imageStandIn(): HTMLImageElement {
    const image = document.createElement('img');
    Object.defineProperty(image, 'src', {
      set(url: string) {
        ImageStandIn.loaded.push(url);
        setTimeout(
          () =>
            (ImageStandIn.fail ? image.onerror : image.onload)?.call(
              image,
              new Event(ImageStandIn.fail ? 'error' : 'load')
            ),
          0
        );
      }
    });
    return image;
  },
  { fail: false, loaded: [] as string[] }
);

const win = window as unknown as Record<string, unknown>;
const url = URL as unknown as Record<string, unknown>;
const saved = { Image: win.Image, create: url.createObjectURL };
let revoked: string[] = [];

beforeEach(() => {
  ImageStandIn.fail = false;
  ImageStandIn.loaded = [];
  revoked = [];
  win.Image = ImageStandIn;
  url.createObjectURL = () => 'blob:diagram';
  url.revokeObjectURL = (u: string) => revoked.push(u);
});

afterEach(() => {
  win.Image = saved.Image;
  url.createObjectURL = saved.create;
});

const MARKUP =
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"/>';

describe('svgToPng', () => {
  it('draws the SVG image onto a canvas at the raster scale', async () => {
    const proto = CanvasRenderingContext2D.prototype;
    const transform = jest.spyOn(proto, 'setTransform');
    const draw = jest.spyOn(proto, 'drawImage');
    Object.defineProperty(window, 'devicePixelRatio', {
      value: 3,
      configurable: true
    });
    const raster = await svgToPng(MARKUP, 120, 40, document);
    // devicePixelRatio 3, capped at 2: a 240×80 raster of the 120×40 diagram.
    expect(raster.width).toBe(240);
    expect(raster.height).toBe(80);
    expect(raster.dataUrl).toMatch(/^data:image\/png/);
    expect(transform).toHaveBeenCalledWith(2, 0, 0, 2, 0, 0);
    expect(draw).toHaveBeenCalledTimes(1);
    expect(draw.mock.calls[0][0]).toBeInstanceOf(HTMLImageElement);
    expect(draw.mock.calls[0].slice(1)).toEqual([0, 0, 120, 40]);
    expect(ImageStandIn.loaded).toEqual(['blob:diagram']);
    expect(revoked).toEqual(['blob:diagram']);
    transform.mockRestore();
    draw.mockRestore();
    Object.defineProperty(window, 'devicePixelRatio', {
      value: 1,
      configurable: true
    });
  });

  it('rejects, and frees the blob URL, when the image does not load', async () => {
    ImageStandIn.fail = true;
    await expect(svgToPng(MARKUP, 120, 40, document)).rejects.toThrow(
      'the SVG did not load as image'
    );
    expect(revoked).toEqual(['blob:diagram']);
  });

  it('refuses a diagram too large to be read as a raster', async () => {
    await expect(svgToPng(MARKUP, 1500, 400000, document)).rejects.toThrow(
      'too large'
    );
    expect(ImageStandIn.loaded).toEqual([]);
  });

  it('rejects without a 2D canvas context', async () => {
    // Once only: the spy then calls jest-canvas-mock's context again.
    jest
      .spyOn(HTMLCanvasElement.prototype, 'getContext')
      .mockReturnValueOnce(null);
    await expect(svgToPng(MARKUP, 120, 40, document)).rejects.toThrow(
      'no 2D canvas context'
    );
  });
});

/**
 * Stands in for the browser's PNG encoder (jest-canvas-mock's returns a
 * fixed string): a data URL whose base64 grows with the canvas area, as a
 * real PNG of a diagram does.
 */
function areaEncoder(bytesPerPixel: number) {
  return jest
    .spyOn(HTMLCanvasElement.prototype, 'toDataURL')
    .mockImplementation(function (this: HTMLCanvasElement) {
      return `data:image/png;base64,${'A'.repeat(Math.ceil(this.width * this.height * bytesPerPixel))}`;
    });
}

describe('the stored PNG within its budget', () => {
  /** An encoder whose output grows with the area drawn, `perPixel` each. */
  function encoder(perPixel: number, tries: number[]) {
    return (scale: number) => {
      tries.push(scale);
      const bytes = Math.round(scale * scale * 1000 * 1000 * perPixel);
      return { dataUrl: `data:,${'A'.repeat(bytes)}`, scale };
    };
  }

  it('encodes once when the first try fits', async () => {
    const tries: number[] = [];
    const raster = await fitRaster(encoder(0.1, tries), 1, COPY_BUDGET);
    expect(tries).toEqual([1]);
    expect(raster.scale).toBe(1);
  });

  it('shrinks the whole diagram while it stays readable', async () => {
    const tries: number[] = [];
    // 1 Mpx at 0.4 per pixel: 400,000 > 300,000; fits at scale ~0.83.
    const raster = await fitRaster(encoder(0.4, tries), 1, COPY_BUDGET);
    expect(tries.length).toBe(2);
    expect(raster.scale).toBeLessThan(1);
    expect(raster.scale).toBeGreaterThanOrEqual(MIN_COPY_SCALE);
    expect(base64Of(raster.dataUrl).length).toBeLessThanOrEqual(COPY_BUDGET);
  });

  it('gives up rather than shrink it unreadable (never a part of it)', async () => {
    const tries: number[] = [];
    await expect(fitRaster(encoder(2, tries), 1, COPY_BUDGET)).rejects.toThrow(
      'does not fit a PNG of 300 KB'
    );
    expect(tries.length).toBeLessThanOrEqual(MAX_ATTEMPTS);
    expect(Math.min(...tries)).toBe(MIN_COPY_SCALE);
    for (let i = 1; i < tries.length; i++) {
      expect(tries[i]).toBeLessThan(tries[i - 1]);
    }
  });

  it('svgToPng at pixel ratio 1 redraws the canvas smaller when over budget', async () => {
    Object.defineProperty(window, 'devicePixelRatio', {
      value: 2,
      configurable: true
    });
    const encode = areaEncoder(0.4);
    const draw = jest.spyOn(CanvasRenderingContext2D.prototype, 'drawImage');
    // 1000×800 at ratio 1 is 320,000 "bytes": just over a 300,000 budget.
    const raster = await svgToPng(MARKUP, 1000, 800, document, {
      pixelRatio: 1,
      maxBytes: 300_000
    });
    expect(raster.width * raster.height * 0.4).toBeLessThanOrEqual(300_000);
    expect(raster.width).toBeLessThan(1000);
    expect(raster.width).toBeGreaterThanOrEqual(1000 * MIN_COPY_SCALE);
    expect([raster.cssWidth, raster.cssHeight]).toEqual([1000, 800]);
    expect(
      draw.mock.calls.filter(
        c => JSON.stringify(c.slice(1)) === '[0,0,1000,800]'
      ).length
    ).toBeGreaterThan(1);
    // Without the option, the window's ratio (2) is used.
    const sharp = await svgToPng(MARKUP, 100, 80, document);
    expect(sharp.width).toBe(200);
    encode.mockRestore();
    draw.mockRestore();
    Object.defineProperty(window, 'devicePixelRatio', {
      value: 1,
      configurable: true
    });
  });

  it('svgToPng stores no part of a diagram too large for the budget', async () => {
    const encode = areaEncoder(1);
    await expect(
      svgToPng(MARKUP, 1000, 15000, document, {
        pixelRatio: 1,
        maxBytes: 300_000
      })
    ).rejects.toThrow(/too large|does not fit/);
    encode.mockRestore();
  });
});

/**
 * The copy in our own encoder. jsdom has no `CompressionStream`: node's (the
 * same WHATWG API, real zlib) is lent to it. jest-canvas-mock's canvas holds
 * no pixels: `getImageData` stands in for the browser's with a picture whose
 * size in each encoding is known: noise (nothing deflate can shorten) in
 * 256 greys, so that the colour PNG takes 8 bits per pixel, the 16-colour one
 * 4 and the monochrome one 1.
 */
describe('the stored PNG in fewer colours', () => {
  const scope = globalThis as unknown as Record<string, unknown>;
  let spy: jest.SpyInstance;
  let reads: number[][];

  beforeEach(() => {
    scope.CompressionStream = NodeCompressionStream;
    reads = [];
    let seed = 12345;
    spy = jest
      .spyOn(CanvasRenderingContext2D.prototype, 'getImageData')
      .mockImplementation((x: number, y: number, w: number, h: number) => {
        reads.push([x, y, w, h]);
        const data = new Uint8ClampedArray(w * h * 4);
        for (let i = 0; i < w * h; i++) {
          seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
          const grey = seed >>> 24;
          data.set([grey, grey, grey, 255], 4 * i);
        }
        return { data, width: w, height: h, colorSpace: 'srgb' } as ImageData;
      });
  });

  afterEach(() => {
    spy.mockRestore();
    delete scope.CompressionStream;
  });

  /** Width, height, bit depth and colours of a PNG data URL. */
  function header(dataUrl: string) {
    const png = Buffer.from(base64Of(dataUrl), 'base64');
    return {
      width: png.readUInt32BE(16),
      height: png.readUInt32BE(20),
      depth: png[24],
      colours: png.readUInt32BE(33) / 3 // PLTE follows IHDR
    };
  }

  it('keeps 256 colours when they fit', async () => {
    const raster = await svgToPng(MARKUP, 120, 40, document, {
      pixelRatio: 1,
      maxBytes: 300_000
    });
    expect(raster.colours).toBe(256);
    expect(header(raster.dataUrl)).toEqual({
      width: 120,
      height: 40,
      depth: 8,
      colours: 256
    });
  });

  it('goes to 16 colours, then monochrome: the whole diagram, never cut', async () => {
    // 500×400 noise: 200 KB in 256 colours (over a 200,000-character
    // budget), 100 KB in 16 (within it).
    const sixteen = await svgToPng(MARKUP, 500, 400, document, {
      pixelRatio: 1,
      maxBytes: 200_000
    });
    expect(sixteen.colours).toBe(16);
    expect(header(sixteen.dataUrl)).toMatchObject({
      width: 500,
      height: 400,
      depth: 4
    });
    // 1000×2500 noise: 3.3 M characters in colour (and 0.6 of that, what 16
    // colours would take, still over: not tried); 312 KB at one bit per
    // pixel, read back in strips, fits a budget of 450,000.
    reads = [];
    const mono = await svgToPng(MARKUP, 1000, 2500, document, {
      pixelRatio: 1,
      maxBytes: 450_000
    });
    expect(mono.colours).toBe(2);
    expect(header(mono.dataUrl)).toEqual({
      width: 1000,
      height: 2500,
      depth: 1,
      colours: 2
    });
    expect([mono.cssWidth, mono.cssHeight]).toEqual([1000, 2500]);
    expect(base64Of(mono.dataUrl).length).toBeLessThanOrEqual(450_000);
    expect(reads).toEqual([
      [0, 0, 1000, 2500],
      [0, 0, 1000, STRIP_ROWS],
      [0, 0, 1000, STRIP_ROWS],
      [0, 0, 1000, 2500 - 2 * STRIP_ROWS]
    ]);
  });

  it('rejects when even monochrome is over budget (no PNG rather than a part)', async () => {
    await expect(
      svgToPng(MARKUP, 1000, 2500, document, {
        pixelRatio: 1,
        maxBytes: 300_000
      })
    ).rejects.toThrow('does not fit a PNG of 300 KB');
  });
});
