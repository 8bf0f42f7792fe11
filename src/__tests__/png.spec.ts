/**
 * The PNG raster of a static SVG, on jest-canvas-mock's canvas (it records
 * the drawing calls). jsdom decodes no images: `ImageStandIn` stands in for
 * the browser's <img>, firing `load` (or `error`) once a source is set, and
 * blob URLs are counted instead of made. The real raster is checked in
 * galata (its PNG's size).
 */
import {
  base64Of,
  COPY_BUDGET,
  CROP_SCALE,
  CUT_NOTE_HEIGHT,
  fitRaster,
  IRasterTry,
  MAX_ATTEMPTS,
  MIN_ROWS,
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
  const SIZE = { width: 1000, height: 1000 };
  /** An encoder whose output grows with the area drawn, `perPixel` each. */
  function encoder(perPixel: number, tries: IRasterTry[]) {
    return (t: IRasterTry) => {
      tries.push(t);
      const bytes = Math.round(
        t.scale * t.scale * SIZE.width * t.rows * perPixel
      );
      return { dataUrl: `data:,${'A'.repeat(bytes)}`, ...t };
    };
  }

  it('encodes once when the first try fits', async () => {
    const tries: IRasterTry[] = [];
    const raster = await fitRaster(
      encoder(0.1, tries),
      SIZE,
      { scale: 1, rows: 1000 },
      COPY_BUDGET
    );
    expect(tries).toEqual([{ scale: 1, rows: 1000 }]);
    expect(raster.rows).toBe(1000);
  });

  it('shrinks the whole diagram while it stays readable', async () => {
    const tries: IRasterTry[] = [];
    // 1 Mpx at 0.4 per pixel: 400,000 > 300,000; fits at scale ~0.83.
    const raster = await fitRaster(
      encoder(0.4, tries),
      SIZE,
      { scale: 1, rows: 1000 },
      COPY_BUDGET
    );
    expect(tries.length).toBe(2);
    expect(raster.rows).toBe(1000);
    expect(raster.scale).toBeLessThan(1);
    expect(raster.scale).toBeGreaterThanOrEqual(CROP_SCALE);
    expect(base64Of(raster.dataUrl).length).toBeLessThanOrEqual(COPY_BUDGET);
  });

  it('keeps the top part at the cut scale rather than shrink it unreadable', async () => {
    const tries: IRasterTry[] = [];
    const raster = await fitRaster(
      encoder(2, tries),
      SIZE,
      { scale: 1, rows: 1000 },
      COPY_BUDGET
    );
    expect(raster.scale).toBe(CROP_SCALE);
    expect(raster.rows).toBeLessThan(1000);
    expect(raster.rows).toBeGreaterThanOrEqual(MIN_ROWS);
    expect(base64Of(raster.dataUrl).length).toBeLessThanOrEqual(COPY_BUDGET);
    expect(tries.length).toBeLessThanOrEqual(MAX_ATTEMPTS);
    // Each try is smaller than the one before.
    for (let i = 1; i < tries.length; i++) {
      const area = (t: IRasterTry) => t.scale * t.scale * t.rows;
      expect(area(tries[i])).toBeLessThan(area(tries[i - 1]));
    }
  });

  it('gives up rather than store a sliver', async () => {
    const tries: IRasterTry[] = [];
    await expect(
      fitRaster(encoder(50, tries), SIZE, { scale: 1, rows: 1000 }, COPY_BUDGET)
    ).rejects.toThrow('does not fit a PNG of 300 KB');
    expect(tries.length).toBeLessThanOrEqual(MAX_ATTEMPTS);
    for (const t of tries) {
      expect(t.rows).toBeGreaterThanOrEqual(MIN_ROWS);
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
    expect(raster.width).toBeGreaterThanOrEqual(1000 * CROP_SCALE);
    expect(raster.rows).toBe(800);
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

  it('svgToPng cuts a tall diagram: its top part, and a note under it', async () => {
    const encode = areaEncoder(1);
    const draw = jest.spyOn(CanvasRenderingContext2D.prototype, 'drawImage');
    const text = jest.spyOn(CanvasRenderingContext2D.prototype, 'fillText');
    const raster = await svgToPng(MARKUP, 1000, 15000, document, {
      pixelRatio: 1,
      maxBytes: 300_000
    });
    expect(raster.width * raster.height).toBeLessThanOrEqual(300_000);
    expect(raster.width).toBe(Math.round(1000 * CROP_SCALE));
    expect(raster.rows).toBeLessThan(15000);
    expect(raster.rows).toBeGreaterThanOrEqual(MIN_ROWS);
    expect(raster.cssHeight).toBe(raster.rows + CUT_NOTE_HEIGHT);
    // The source rectangle is the top of the diagram, drawn at its size.
    const last = draw.mock.calls[draw.mock.calls.length - 1];
    expect(last.slice(1)).toEqual([
      0,
      0,
      1000,
      raster.rows,
      0,
      0,
      1000,
      raster.rows
    ]);
    expect(String(text.mock.calls[text.mock.calls.length - 1][0])).toMatch(
      /cut at \d+% of its height/
    );
    encode.mockRestore();
    draw.mockRestore();
    text.mockRestore();
  });
});
