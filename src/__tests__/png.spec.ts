/**
 * The PNG raster of a static SVG, on jest-canvas-mock's canvas (it records
 * the drawing calls). jsdom decodes no images: `ImageStandIn` stands in for
 * the browser's <img>, firing `load` (or `error`) once a source is set, and
 * blob URLs are counted instead of made. The real raster is checked in
 * galata (its PNG's size).
 */
import { svgToPng } from '../draw/png';

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
    const getContext = jest
      .spyOn(HTMLCanvasElement.prototype, 'getContext')
      .mockReturnValue(null);
    await expect(svgToPng(MARKUP, 120, 40, document)).rejects.toThrow(
      'no 2D canvas context'
    );
    getContext.mockRestore();
  });
});
