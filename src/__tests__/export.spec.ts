/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are loosely typed JSON */
/**
 * Static copies: the self-contained SVG (the .svg download and the PNG's
 * source), the PNG stored in a trusted bundle for GitHub (its raster is
 * mocked here: jsdom decodes no images; png.spec.ts tests it on a mock canvas
 * and galata in a real browser, with its size), the kernel's text/html left
 * as it is, the toolbar's export buttons, and the idempotence of
 * `renderModel` after `setData`.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';

import {
  LIGHT_PALETTE,
  payloadHash,
  staticSvg,
  svgFile,
  svgMarkup
} from '../draw/export';
import { COPY_BUDGET, rasterScale, svgToPng } from '../draw/png';
import { buildModel } from '../model/model';
import { buildDiagram } from '../draw/diagram';
import { RendererSettings } from '../settings';
import { MIME_TYPE } from '../tokens';
import { META_KEY, RenderedRedpill, STATIC_VERSION } from '../widget';
import { fixture, newWidget, render } from './helpers';

const FAKE_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==';

jest.mock('../draw/png', () => {
  const actual = jest.requireActual('../draw/png');
  return {
    ...actual,
    svgToPng: jest.fn(async (_: string, width: number, height: number) => ({
      dataUrl: `data:image/png;base64,${FAKE_PNG}`,
      width: 2,
      height: 2,
      colours: 2,
      cssWidth: width,
      cssHeight: height
    }))
  };
});

const KERNEL_HTML =
  '<div class="redpill-fallback"><table><tbody><tr><td>age</td><td>int</td></tr></tbody></table></div>';

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '</svg><script>alert(1)</script>',
  '"><svg onload=alert(1)>',
  "' onmouseover='alert(1)",
  '<a href="javascript:alert(1)">x</a>',
  '<style>*{display:none}</style>'
];

function hostile(): any {
  const p = fixture('kinds.json');
  p.names.forEach(
    (n: any, i: number) => (n.name = HOSTILE[i % HOSTILE.length] + i)
  );
  p.objects.forEach((o: any, i: number) => {
    o.repr = HOSTILE[(i + 1) % HOSTILE.length];
    o.type = HOSTILE[(i + 2) % HOSTILE.length];
  });
  return p;
}

function drawn(payload: any): SVGSVGElement {
  return buildDiagram(document, buildModel(payload), { maxObjects: 300 }).svg;
}

/** Every element of a parsed document/fragment. */
function elements(root: ParentNode): Element[] {
  return Array.from(root.querySelectorAll('*'));
}

function assertInert(root: ParentNode, allowClass = false): void {
  for (const el of elements(root)) {
    expect(['script', 'style', 'iframe', 'foreignobject', 'a']).not.toContain(
      el.localName.toLowerCase()
    );
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      expect(name.startsWith('on')).toBe(false);
      expect(['href', 'xlink:href', 'src']).not.toContain(name);
      if (!allowClass) {
        expect(name).not.toBe('class');
      }
      // Styling attributes are literal; text-bearing ones are just data.
      if (!name.startsWith('data-') && name !== 'aria-label') {
        expect(attr.value).not.toMatch(/var\(|javascript:/i);
      }
    }
  }
}

describe('static SVG', () => {
  it('resolves every style to literal attributes, no classes or hooks', () => {
    const svg = drawn(fixture('kinds.json'));
    svg.setAttribute('width', '9'); // zoomed: the copy is at 100%
    const copy = staticSvg(svg);
    const markup = svgMarkup(copy);
    expect(markup).not.toMatch(/class=|var\(|tabindex|role="button"/);
    expect(copy.getAttribute('style')).toBe('white-space:pre');
    for (const el of Array.from(copy.querySelectorAll('[style]'))) {
      expect(el.localName).toBe('text');
      expect(el.getAttribute('style')).toBe('white-space:pre');
    }
    expect(markup).not.toMatch(/<script|<style|\son[a-z]+=/i);
    const viewBox = copy.getAttribute('viewBox')!.split(' ');
    expect(copy.getAttribute('width')).toBe(viewBox[2]);
    expect(copy.getAttribute('font-family')).toMatch(/monospace/);
    // The drawing is all there: names, boxes with frames, arrows.
    expect(copy.querySelectorAll('[data-name]')).toHaveLength(14);
    expect(copy.querySelectorAll('g[data-address]')).toHaveLength(16);
    const frame = copy.querySelector('g[data-address] > rect')!;
    expect(frame.getAttribute('fill')).toBe(LIGHT_PALETTE.layout1);
    expect(frame.getAttribute('stroke')).toBe(LIGHT_PALETTE.border1);
    const path = copy.querySelector('g[data-from] path')!;
    expect(path.getAttribute('fill')).toBe('none');
    expect(path.getAttribute('stroke')).toBe(LIGHT_PALETTE.brand1);
    for (const text of Array.from(copy.querySelectorAll('text'))) {
      expect(text.getAttribute('fill')).toBeTruthy();
    }
    // A background, so the picture reads on dark pages too.
    const bg = copy.querySelector(':scope > rect')!;
    expect(bg.getAttribute('fill')).toBe('#ffffff');
    // The live diagram is untouched.
    expect(svg.getAttribute('width')).toBe('9');
    expect(svg.querySelector('.jp-Redpill-box')).not.toBeNull();
  });

  it('snapped for a raster: whole-pixel translations, crisp rectangles and lines', () => {
    const svg = drawn(fixture('kinds.json'));
    const halves = Array.from(svg.querySelectorAll('[transform]')).filter(el =>
      /\.5\b/.test(el.getAttribute('transform')!)
    );
    const plain = svgMarkup(staticSvg(svg));
    expect(plain).not.toContain('shape-rendering');
    const copy = staticSvg(svg, LIGHT_PALETTE, true);
    const transforms = Array.from(copy.querySelectorAll('[transform]')).map(
      el => el.getAttribute('transform')!
    );
    expect(transforms.length).toBeGreaterThan(10);
    for (const t of transforms) {
      expect(t).toMatch(/^translate\(-?\d+ -?\d+\)$/);
    }
    // The layout put some boxes at half pixels: the copy moved them.
    expect(halves.length).toBeGreaterThan(0);
    const crisp = copy.querySelectorAll('rect[shape-rendering="crispEdges"]');
    // Every rectangle of the drawing (the background is the copy's own).
    expect(crisp.length).toBe(copy.querySelectorAll('g rect').length);
    expect(copy.querySelector('path[shape-rendering]')).toBeNull();
    // Whole pixels: the background covers the last row of a raster too.
    svg.setAttribute('viewBox', '0 0 300.5 120.25');
    const sized = staticSvg(svg, LIGHT_PALETTE, true);
    expect(sized.getAttribute('viewBox')).toBe('0 0 301 121');
    expect([sized.getAttribute('width'), sized.getAttribute('height')]).toEqual(
      ['301', '121']
    );
    expect(staticSvg(svg).getAttribute('height')).toBe('120.25');
    // The allowlist keeps it in the markup.
    expect(svgMarkup(copy)).toContain('shape-rendering="crispEdges"');
  });

  it('is a standalone, parseable SVG file', () => {
    const file = svgFile(staticSvg(drawn(fixture('skeleton.json'))));
    expect(file.startsWith('<?xml')).toBe(true);
    const doc = new DOMParser().parseFromString(file, 'image/svg+xml');
    expect(doc.querySelector('parsererror')).toBeNull();
    expect(doc.documentElement.localName).toBe('svg');
    expect(doc.documentElement.getAttribute('xmlns')).toBe(
      'http://www.w3.org/2000/svg'
    );
    expect(doc.querySelectorAll('[data-name]')).toHaveLength(2);
    assertInert(doc);
  });

  it('keeps hostile strings as text', () => {
    const file = svgFile(staticSvg(drawn(hostile())));
    // Markup only where we put it: the hostile strings are escaped text.
    expect(file).not.toMatch(/<(script|img|style|a)[\s>]/i);
    const doc = new DOMParser().parseFromString(file, 'image/svg+xml');
    expect(doc.querySelector('parsererror')).toBeNull();
    assertInert(doc);
    expect(doc.documentElement.textContent).toContain('<script>alert(1)');
  });
});

describe('payloadHash and raster scale', () => {
  it('is stable and tells payloads apart', () => {
    const a = fixture('skeleton.json');
    expect(payloadHash(a)).toBe(payloadHash(fixture('skeleton.json')));
    expect(payloadHash(a)).toMatch(/^[0-9a-f]{16}$/);
    a.names[0].name = 'other';
    expect(payloadHash(a)).not.toBe(payloadHash(fixture('skeleton.json')));
    expect(payloadHash(undefined)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('rasters at devicePixelRatio, capped at 2, at the canvas limit and at 4 Mpx', () => {
    expect(rasterScale(100, 100, 1)).toBe(1);
    expect(rasterScale(100, 100, 3)).toBe(2);
    expect(rasterScale(100, 100, 0)).toBe(1);
    expect(rasterScale(20000, 100, 2)).toBeCloseTo(16384 / 20000);
    // At most 4 Mpx: a tall diagram is drawn at a lower scale.
    expect(rasterScale(1000, 4000, 2)).toBeCloseTo(1);
    expect(rasterScale(1500, 40000, 2)).toBeLessThan(0.5);
  });
});

/** An IMimeModel that behaves like JupyterLab's OutputModel on setData. */
function outputModel(
  bundle: Record<string, unknown>,
  trusted: boolean,
  onChange?: (model: IRenderMime.IMimeModel) => void
): IRenderMime.IMimeModel & { calls: number } {
  const model = {
    trusted,
    calls: 0,
    data: { ...bundle } as any,
    metadata: {} as any,
    setData(options: IRenderMime.IMimeModel.ISetDataOptions) {
      model.calls++;
      if (options.data) {
        model.data = { ...options.data };
      }
      if (options.metadata) {
        model.metadata = { ...options.metadata };
      }
      onChange?.(model);
    }
  };
  return model;
}

function widget(): RenderedRedpill {
  return newWidget();
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await new Promise(resolve => setTimeout(resolve, 0));
  }
}

describe('copies stored in the output bundle', () => {
  afterEach(() => document.body.replaceChildren());

  it('stores a PNG within budget once for a trusted output, the kernel HTML untouched', async () => {
    const pngs = svgToPng as jest.Mock;
    pngs.mockClear();
    const w = widget();
    const renders: Promise<void>[] = [];
    // Like JupyterLab: setData makes the output area call renderModel again.
    const model = outputModel(
      {
        [MIME_TYPE]: fixture('skeleton.json'),
        'text/plain': 'age -> int',
        'text/html': KERNEL_HTML
      },
      true,
      m => renders.push(w.renderModel(m))
    );
    await w.renderModel(model);
    await Promise.all(renders);
    await settle();
    expect(model.calls).toBe(1);
    expect(model.data['text/plain']).toBe('age -> int');
    expect(model.data['image/png']).toBe(FAKE_PNG);
    // No HTML copy: the kernel's own text/html (its live diagram) is kept.
    expect(model.data['text/html']).toBe(KERNEL_HTML);
    expect(Object.keys(model.data).sort()).toEqual(
      [MIME_TYPE, 'image/png', 'text/html', 'text/plain'].sort()
    );
    expect(model.metadata[META_KEY]).toEqual({
      hash: payloadHash(fixture('skeleton.json')),
      version: STATIC_VERSION
    });
    // One device pixel per CSS pixel, within the budget, of the static SVG.
    expect(pngs).toHaveBeenCalledTimes(1);
    const [markup, width, height, , options] = pngs.mock.calls[0];
    expect(markup).toMatch(/^<svg[^>]*xmlns=/);
    expect(markup).toContain('data-name="age"');
    expect(options).toEqual({ pixelRatio: 1, maxBytes: COPY_BUDGET });
    expect(COPY_BUDGET).toBeLessThanOrEqual(300_000);
    // Shown at the diagram's size, whatever the raster's.
    expect(model.metadata['image/png']).toEqual({ width, height });
    expect(width).toBeGreaterThan(100);
    // The diagram is still ours, drawn once more at most, and one of it.
    expect(w.node.querySelectorAll('svg.jp-Redpill-svg')).toHaveLength(1);

    // A new widget on the saved bundle (reopened notebook): nothing stored.
    const again = widget();
    await again.renderModel(model);
    await settle();
    expect(model.calls).toBe(1);
    expect(pngs).toHaveBeenCalledTimes(1);
    w.dispose();
    again.dispose();
  });

  it('a diagram over the budget stores its summary copy, every object listed', async () => {
    const pngs = svgToPng as jest.Mock;
    pngs.mockClear();
    pngs.mockRejectedValueOnce(
      new Error('the diagram does not fit a PNG of 300 KB')
    );
    const w = widget();
    const payload = fixture('skeleton.json');
    const model = outputModel(
      { [MIME_TYPE]: payload, 'text/html': KERNEL_HTML },
      true
    );
    await w.renderModel(model);
    await settle();
    expect(pngs).toHaveBeenCalledTimes(2);
    // The second raster is the summary: a list of every object, no boxes.
    const [markup, width, height] = pngs.mock.calls[1];
    expect(markup).not.toContain('data-address');
    for (const obj of payload.objects) {
      expect(markup).toContain(`object at ${obj.address}, refcnt`);
    }
    expect(markup).toContain(
      'too large for the picture saved with the notebook'
    );
    expect(model.data['image/png']).toBe(FAKE_PNG);
    expect((model.metadata as any)['image/png']).toEqual({ width, height });
    expect(model.data['text/html']).toBe(KERNEL_HTML);
    w.dispose();
  });

  it('a diagram whose summary is over the budget too is tagged without a PNG, losing nothing', async () => {
    const tooLarge = new Error('the diagram does not fit a PNG of 300 KB');
    (svgToPng as jest.Mock)
      .mockRejectedValueOnce(tooLarge)
      .mockRejectedValueOnce(tooLarge);
    const w = widget();
    const model = outputModel(
      { [MIME_TYPE]: fixture('skeleton.json'), 'text/html': KERNEL_HTML },
      true
    );
    await w.renderModel(model);
    await settle();
    expect(model.calls).toBe(1);
    expect(model.data['image/png']).toBeUndefined();
    expect(model.data['text/html']).toBe(KERNEL_HTML);
    expect((model.metadata as any)[META_KEY].hash).toBe(
      payloadHash(fixture('skeleton.json'))
    );
    expect(w.node.querySelector('svg.jp-Redpill-svg')).not.toBeNull();
    // Tagged: reopening does not try again.
    await newWidget().renderModel(model);
    await settle();
    expect(model.calls).toBe(1);
    w.dispose();
  });

  it("replaces an older version's PNG and keeps its HTML copy", async () => {
    const w = widget();
    const model = outputModel(
      {
        [MIME_TYPE]: fixture('skeleton.json'),
        'text/html': '<div data-redpill-static="1">old copy</div>',
        'image/png': 'b2xk'
      },
      true
    );
    (model as any).metadata = {
      [META_KEY]: { hash: payloadHash(fixture('skeleton.json')), version: 1 },
      'image/png': { width: 1, height: 1 }
    };
    await w.renderModel(model);
    await settle();
    expect(model.calls).toBe(1);
    expect(model.data['image/png']).toBe(FAKE_PNG);
    expect(model.data['text/html']).toContain('old copy');
    expect((model.metadata as any)[META_KEY].version).toBe(STATIC_VERSION);
    expect((model.metadata['image/png'] as any).width).toBeGreaterThan(100);
    w.dispose();
  });

  it('does not redraw the same payload after setData', async () => {
    const w = widget();
    const model = outputModel({ [MIME_TYPE]: fixture('skeleton.json') }, true);
    await w.renderModel(model);
    const svg = w.node.querySelector('svg.jp-Redpill-svg');
    await w.renderModel(model);
    expect(w.node.querySelector('svg.jp-Redpill-svg')).toBe(svg);
    w.dispose();
  });

  it('a redraw while the copies are pending stores them once, as shown', async () => {
    const settings = new RendererSettings();
    const w = newWidget({}, settings);
    const model = outputModel({ [MIME_TYPE]: fixture('skeleton.json') }, true);
    const first = w.renderModel(model);
    await new Promise(resolve => setTimeout(resolve, 0));
    const pngs = svgToPng as jest.Mock;
    pngs.mockClear();
    settings.update({ addressFormat: 'short' }); // redraws meanwhile
    await first;
    await settle();
    expect(model.calls).toBe(1);
    expect(pngs).toHaveBeenCalledTimes(1);
    expect(pngs.mock.calls[0][0]).toContain('0x…1f30');
    w.dispose();
  });

  it('stores nothing when the staticCopies setting is off', async () => {
    const w = newWidget({ staticCopies: false });
    const model = outputModel({ [MIME_TYPE]: fixture('skeleton.json') }, true);
    await w.renderModel(model);
    await settle();
    expect(model.calls).toBe(0);
    expect(w.node.querySelector('svg.jp-Redpill-svg')).not.toBeNull();
    w.dispose();
  });

  it('leaves untrusted outputs alone', async () => {
    const w = widget();
    const model = outputModel({ [MIME_TYPE]: fixture('skeleton.json') }, false);
    await w.renderModel(model);
    await settle();
    expect(model.calls).toBe(0);
    expect(model.data['image/png']).toBeUndefined();
    w.dispose();
  });

  it('stores nothing for a payload it cannot draw', async () => {
    const w = widget();
    const model = outputModel({ [MIME_TYPE]: { schema_version: 99 } }, true);
    await w.renderModel(model);
    await settle();
    expect(model.calls).toBe(0);
    expect(w.node.querySelector('.jp-Redpill-error')).not.toBeNull();
    w.dispose();
  });
});

describe('toolbar', () => {
  afterEach(() => document.body.replaceChildren());

  it('has accessible export buttons next to the zoom', async () => {
    const w = await render(fixture('skeleton.json'));
    const buttons = Array.from(
      w.node.querySelectorAll<HTMLButtonElement>('.jp-Redpill-toolbar button')
    );
    for (const b of buttons) {
      expect(b.type).toBe('button');
      expect(b.getAttribute('aria-label')).toBeTruthy();
    }
    const labels = buttons.map(b => b.textContent);
    expect(labels).toEqual(
      expect.arrayContaining(['Copy SVG', 'Download SVG', 'Download PNG'])
    );
    // jsdom has no ClipboardItem: no Copy PNG button.
    expect(labels).not.toContain('Copy PNG');
    expect(w.node.querySelector('[role="status"]')).not.toBeNull();
    w.dispose();
  });

  it('Download SVG saves an .svg file; Copy SVG copies the same text', async () => {
    const blobs: Blob[] = [];
    const url = URL as any;
    url.createObjectURL = (b: Blob) => {
      blobs.push(b);
      return 'blob:fake';
    };
    url.revokeObjectURL = () => undefined;
    let downloaded = '';
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function (this: HTMLAnchorElement) {
        downloaded = this.download;
      });
    const copied: string[] = [];
    const write = jest
      .spyOn(navigator.clipboard, 'writeText')
      .mockImplementation(async text => {
        copied.push(text);
      });
    const w = await render(fixture('skeleton.json'));
    w.node.querySelector<HTMLButtonElement>('.jp-Redpill-downloadSvg')!.click();
    await settle();
    expect(downloaded).toBe('redpill-age.svg');
    expect(blobs).toHaveLength(1);
    expect(blobs[0].type).toBe('image/svg+xml');
    const text = await new Promise<string>(resolve => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(blobs[0]);
    });
    expect(text).toMatch(/^<\?xml[^]*<svg/);
    expect(text).toContain('data-name="age"');
    expect(text).not.toMatch(/class=|var\(/);
    w.node.querySelector<HTMLButtonElement>('.jp-Redpill-copySvg')!.click();
    await settle();
    expect(copied).toEqual([text]);
    expect(w.node.querySelector('.jp-Redpill-status')!.textContent).toBe(
      'SVG copied'
    );
    click.mockRestore();
    write.mockRestore();
    w.dispose();
  });
});

describe('volatile marks (masked in screenshots)', () => {
  afterEach(() => document.body.replaceChildren());

  it('wraps addresses in notes and reprs, as text', async () => {
    const payload = fixture('skeleton.json');
    payload.notes = ['<b>x</b> cached at 0x7f00deadbeef, see 0xabcdef12'];
    payload.objects[0].repr = '<Point at 0x7f0012345678>';
    payload.objects[0].kind = 'other'; // drawn with its repr
    const w = await render(payload);
    const note = Array.from(w.node.querySelectorAll('.jp-Redpill-notice')).find(
      n => n.textContent!.includes('cached')
    )!;
    expect(note.textContent).toBe(payload.notes[0]);
    expect(
      Array.from(note.querySelectorAll('.jp-Redpill-volatile')).map(
        s => s.textContent
      )
    ).toEqual(['0x7f00deadbeef', '0xabcdef12']);
    expect(note.querySelector('b')).toBeNull();
    const repr = w.node.querySelector('.jp-Redpill-box .jp-Redpill-repr')!;
    expect(repr.textContent).toBe('<Point at 0x7f0012345678>');
    expect(
      Array.from(repr.querySelectorAll('tspan.jp-Redpill-volatile')).map(
        t => t.textContent
      )
    ).toEqual(['0x7f0012345678']);
    // Addresses and type addresses in the header are volatile themselves.
    expect(
      w.node.querySelectorAll('.jp-Redpill-box .jp-Redpill-volatile').length
    ).toBeGreaterThanOrEqual(2);
    w.dispose();
  });
});
