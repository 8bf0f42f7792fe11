/**
 * The PNG raster of a static SVG, on jest-canvas-mock's canvas (it records
 * the drawing calls). jsdom decodes no images: `ImageStandIn` stands in for
 * the browser's <img>, firing `load` (or `error`) once a source is set, and
 * blob URLs are counted instead of made. The real raster is checked in
 * galata (its PNG's size).
 */
import {
  COPY_BUDGET,
  encodeWithin,
  MAX_ATTEMPTS,
  MIN_SCALE,
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
  it('encodes once when the first scale fits', () => {
    const scales: number[] = [];
    const raster = encodeWithin(
      s => {
        scales.push(s);
        return { dataUrl: 'data:image/png;base64,AAAA' };
      },
      1,
      10
    );
    expect(raster.dataUrl).toContain('AAAA');
    expect(scales).toEqual([1]);
  });

  it('tries smaller scales until the PNG fits, each smaller than the last', () => {
    const scales: number[] = [];
    // Size grows with the area, a little faster than the estimate expects.
    const size = (s: number) => Math.round(400_000 * s * s * (1 + s / 4));
    const raster = encodeWithin(
      s => {
        scales.push(s);
        return { dataUrl: `data:,${'A'.repeat(size(s))}`, scale: s };
      },
      1,
      COPY_BUDGET
    );
    expect(size(raster.scale)).toBeLessThanOrEqual(COPY_BUDGET);
    expect(scales.length).toBeGreaterThan(1);
    expect(scales.length).toBeLessThanOrEqual(MAX_ATTEMPTS);
    for (let i = 1; i < scales.length; i++) {
      expect(scales[i]).toBeLessThan(scales[i - 1]);
    }
    expect(raster.scale).toBeGreaterThanOrEqual(MIN_SCALE);
  });

  it('gives up rather than store an unreadable raster', () => {
    const scales: number[] = [];
    expect(() =>
      encodeWithin(
        s => {
          scales.push(s);
          return { dataUrl: `data:,${'A'.repeat(Math.round(5e6 * s * s))}` };
        },
        1,
        COPY_BUDGET
      )
    ).toThrow('does not fit a PNG of 300 KB');
    expect(Math.min(...scales)).toBeGreaterThanOrEqual(MIN_SCALE);
    expect(scales.length).toBeLessThanOrEqual(MAX_ATTEMPTS);
  });

  it('svgToPng at pixel ratio 1 redraws the canvas smaller when over budget', async () => {
    Object.defineProperty(window, 'devicePixelRatio', {
      value: 2,
      configurable: true
    });
    const encoder = areaEncoder(1);
    const draw = jest.spyOn(CanvasRenderingContext2D.prototype, 'drawImage');
    // 1000×800 at ratio 1 is 800,000 "bytes": over a 300,000 budget.
    const raster = await svgToPng(MARKUP, 1000, 800, document, {
      pixelRatio: 1,
      maxBytes: 300_000
    });
    expect(raster.width * raster.height).toBeLessThanOrEqual(300_000);
    expect(raster.width).toBeLessThan(1000);
    expect(raster.width / raster.height).toBeCloseTo(1000 / 800, 1);
    expect(raster.width).toBeGreaterThanOrEqual(1000 * MIN_SCALE);
    // Every try draws the whole diagram (its CSS size), scaled, and encodes.
    const tries = draw.mock.calls.filter(
      call => JSON.stringify(call.slice(1)) === '[0,0,1000,800]'
    );
    expect(tries.length).toBeGreaterThan(1);
    expect(encoder.mock.calls.length).toBeGreaterThanOrEqual(tries.length);
    // Without the option, the window's ratio (2) is used.
    encoder.mockClear();
    const sharp = await svgToPng(MARKUP, 100, 80, document);
    expect(sharp.width).toBe(200);
    encoder.mockRestore();
    draw.mockRestore();
    Object.defineProperty(window, 'devicePixelRatio', {
      value: 1,
      configurable: true
    });
  });
});
