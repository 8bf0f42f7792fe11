/**
 * The summary copy: every name and object of a diagram too large for the
 * stored PNG, one line each. Drawn in jsdom; its raster goes through our
 * encoder with node's `CompressionStream` lent to jsdom. jest-canvas-mock's
 * canvas holds no pixels: `getImageData` stands in for the browser's, with
 * noise (nothing deflate can shorten: over any budget) for the diagram's
 * canvas and a blank picture for the summary's. jsdom decodes no images: a
 * stand-in <img> fires `load` once its source is set.
 */
import { CompressionStream as NodeCompressionStream } from 'stream/web';

import { LIGHT_PALETTE, svgMarkup } from '../draw/export';
import {
  summaryCopy,
  summaryLines,
  SUMMARY_LINE_CHARS
} from '../draw/summary-copy';
import { buildModel } from '../model/model';
import { drawView } from '../view/payload-view';
import { plainToolbar } from '../view/toolbar-items';
import { fixture } from './helpers';
import { syntheticPayload } from './synthetic';

describe('summaryLines', () => {
  it('lists every name and every object once, without fields or bytes', () => {
    const payload = syntheticPayload(120, 10);
    const model = buildModel(payload);
    const lines = summaryLines(model);
    expect(lines[0]).toMatch(/^CPython memory: 10 names, 120 objects/);
    expect(lines).toContain('Names');
    expect(lines).toContain('Objects (120)');
    for (const obj of payload.objects) {
      const own = lines.filter(l =>
        l.startsWith(`  ${obj.type} object at ${obj.address},`)
      );
      expect(own).toHaveLength(1);
      expect(own[0]).toContain(`refcnt ${obj.refcount}`);
    }
    for (const name of payload.names) {
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^  ${name.name} → `))
      );
    }
    for (const line of lines) {
      expect(line.length).toBeLessThanOrEqual(SUMMARY_LINE_CHARS);
      expect(line).not.toMatch(/ob_digit|\b[0-9a-f]{2}( [0-9a-f]{2}){7}\b/);
    }
  });

  it('draws them as text only, within the static allowlist, on a background', () => {
    const model = buildModel(fixture('kinds.json'));
    const copy = summaryCopy(document, model, LIGHT_PALETTE);
    const markup = svgMarkup(copy.svg);
    expect(markup).not.toMatch(/class=|<script|\son[a-z]+=/i);
    expect(copy.svg.querySelectorAll('text')).toHaveLength(copy.lines.length);
    const texts = Array.from(copy.svg.querySelectorAll('text')).map(
      t => t.textContent
    );
    expect(texts).toEqual(copy.lines);
    expect(copy.svg.querySelector('rect')!.getAttribute('fill')).toBe(
      '#ffffff'
    );
    expect(copy.height).toBeGreaterThan(copy.lines.length * 12);
    // Parsed back as a standalone SVG, its text is all there.
    const parsed = new DOMParser().parseFromString(markup, 'image/svg+xml');
    expect(parsed.querySelectorAll('text')).toHaveLength(copy.lines.length);
  });
});

describe('the stored copy of a diagram too large for the budget', () => {
  const scope = globalThis as unknown as Record<string, unknown>;
  const win = window as unknown as Record<string, unknown>;
  const saved = { Image: win.Image, create: URL.createObjectURL };

  beforeEach(() => {
    scope.CompressionStream = NodeCompressionStream;
    win.Image = function imageStandIn(): HTMLImageElement {
      const image = document.createElement('img');
      Object.defineProperty(image, 'src', {
        set: () =>
          setTimeout(() => image.onload?.call(image, new Event('load')), 0)
      });
      return image;
    };
    URL.createObjectURL = () => 'blob:copy';
    URL.revokeObjectURL = () => undefined;
  });

  afterEach(() => {
    delete scope.CompressionStream;
    win.Image = saved.Image;
    URL.createObjectURL = saved.create;
  });

  it('is the summary copy: every object listed, not a part of the diagram', async () => {
    const payload = syntheticPayload(120, 10);
    const view = drawView(payload, document, { maxObjects: 300 }, plainToolbar);
    const diagramWidth = Math.ceil(Number(view.svg.getAttribute('width')));
    let seed = 7;
    const spy = jest
      .spyOn(CanvasRenderingContext2D.prototype, 'getImageData')
      .mockImplementation(function (
        this: CanvasRenderingContext2D,
        _x: number,
        _y: number,
        w: number,
        h: number
      ) {
        const data = new Uint8ClampedArray(w * h * 4).fill(255);
        if (this.canvas.width === diagramWidth) {
          for (let i = 0; i < w * h; i++) {
            seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
            data.fill(seed >>> 31 ? 0 : 255, 4 * i, 4 * i + 3);
          }
        }
        return { data, width: w, height: h, colorSpace: 'srgb' } as ImageData;
      });
    try {
      const copy = await view.staticCopy();
      const expected = summaryCopy(document, view.model, LIGHT_PALETTE);
      expect(copy.summary).toBe(true);
      expect([copy.width, copy.height]).toEqual([
        expected.width,
        expected.height
      ]);
      expect(expected.lines.filter(l => / object at 0x/.test(l))).toHaveLength(
        120
      );
      expect(copy.raster.dataUrl).toMatch(/^data:image\/png;base64,/);
    } finally {
      spy.mockRestore();
      view.dispose();
    }
  });
});
