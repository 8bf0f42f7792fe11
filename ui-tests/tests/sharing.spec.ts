/**
 * Sharing: a notebook saved from JupyterLab carries one static copy of the
 * diagram, an image/png within its budget (300 KB of base64, one device pixel
 * per CSS pixel) for viewers that run no script (GitHub's), and no HTML copy:
 * the kernel's own text/html is saved as the kernel sent it. The toolbar
 * downloads the picture as SVG and PNG.
 */
import { expect, test } from '@jupyterlab/galata';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { notebookJson, runRedpill } from './notebook';

const MIME = 'application/vnd.redpill.v1+json';
const ROOT = path.resolve(__dirname, '..', '..');
const JUPYTER = path.join(ROOT, '.venv', 'bin', 'jupyter');
/** Most characters of the stored base64 PNG (COPY_BUDGET in src/draw/png.ts). */
const BUDGET = 300_000;
const SOURCE = '%%redpill\nage = 1042\nb = age\nwords = ["hi there", age]';

test.use({ autoGoto: true });

/** Width, height, bit depth and colour type (3: indexed) from a PNG's IHDR. */
function pngSize(bytes: Buffer): {
  width: number;
  height: number;
  depth: number;
  colourType: number;
} {
  expect(bytes.subarray(0, 8)).toEqual(
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  );
  return {
    width: bytes.readUInt32BE(16),
    height: bytes.readUInt32BE(20),
    depth: bytes[24],
    colourType: bytes[25]
  };
}

async function runRedpillCell(
  page: import('@jupyterlab/galata').IJupyterLabPageFixture,
  name: string
) {
  const output = await runRedpill(page, name, SOURCE);
  await expect(output.locator('svg.jp-Redpill-svg')).toBeVisible();
  return output;
}

/** Wait until the first cell's output holds the stored PNG. */
async function waitForPng(
  page: import('@jupyterlab/galata').IJupyterLabPageFixture
): Promise<void> {
  await page.waitForFunction(() => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const app = (window as any).jupyterapp;
    const cell = app.shell.currentWidget?.content?.model?.cells.get(0);
    return !!cell?.outputs?.get(0)?.data?.['image/png'];
  });
}

/** The first output of the saved notebook `name`, read from the server. */
async function savedOutput(
  request: import('@playwright/test').APIRequestContext,
  tmpPath: string,
  name: string
) {
  const response = await request.get(
    `/api/contents/${tmpPath}/${name}?content=1&type=notebook`
  );
  expect(response.ok()).toBe(true);
  return (await response.json()).content.cells[0].outputs[0];
}

/**
 * The share of a PNG's pixels that are dark (text and lines), in Chromium,
 * as shown on a page of colour `background` (GitHub's light page is white,
 * its dark one #0d1117), over the rows `from`..`to` (default: all).
 */
async function inkOf(
  page: import('@playwright/test').Page,
  base64: string,
  background = '#ffffff',
  from = 0,
  to = Infinity
): Promise<{ width: number; height: number; ink: number }> {
  return page.evaluate(
    async ({ data, background, from, to }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${data}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      const top = Math.max(0, from);
      const bottom = Math.min(image.naturalHeight, to ?? Infinity);
      canvas.width = image.naturalWidth;
      canvas.height = Math.max(1, bottom - top);
      const context = canvas.getContext('2d')!;
      context.fillStyle = background;
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, -top);
      const pixels = context.getImageData(
        0,
        0,
        canvas.width,
        canvas.height
      ).data;
      let dark = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        if (pixels[i] + pixels[i + 1] + pixels[i + 2] < 300) {
          dark++;
        }
      }
      return {
        width: image.naturalWidth,
        height: image.naturalHeight,
        ink: dark / (pixels.length / 4)
      };
    },
    { data: base64, background, from, to: Number.isFinite(to) ? to : null }
  );
}

/** GitHub's page colour in its dark theme. */
const GITHUB_DARK = '#0d1117';

/**
 * The PNG reads the same on GitHub's light and dark pages: it is opaque
 * (its own white background), so the dark page shows through nowhere.
 */
async function expectSameOnLightAndDark(
  page: import('@playwright/test').Page,
  base64: string
): Promise<number> {
  const light = await inkOf(page, base64, '#ffffff');
  const dark = await inkOf(page, base64, GITHUB_DARK);
  expect(dark.ink).toBe(light.ink);
  expect(light.ink).toBeGreaterThan(0.005); // text and arrows were drawn
  expect(light.ink).toBeLessThan(0.5); // on the light background
  return light.ink;
}

test('a saved notebook holds a PNG within budget and the kernel HTML, no HTML copy', async ({
  page,
  request,
  tmpPath
}, testInfo) => {
  const output = await runRedpillCell(page, 'sharing.ipynb');
  // The copy is stored right after drawing (the PNG takes a moment).
  await waitForPng(page);
  // Storing the copy did not replace or duplicate our diagram.
  await expect(output).toHaveCount(1);
  await expect(output.locator('svg.jp-Redpill-svg')).toHaveCount(1);
  // Our MIME renderer drew it: the kernel's live HTML never ran here.
  expect(
    await page.evaluate(
      () =>
        (window as unknown as { redpillLiveRuns?: number }).redpillLiveRuns ?? 0
    )
  ).toBe(0);
  await expect(page.locator('div.redpill-live')).toHaveCount(0);
  await page.notebook.save();

  const saved = await savedOutput(request, tmpPath, 'sharing.ipynb');
  expect(saved.output_type).toBe('display_data');
  expect(saved.data[MIME].schema_version).toBe(1);
  expect(saved.data['text/plain']).toBeTruthy();
  // The kernel's own HTML, as it sent it: no copy of ours replaced it.
  const html = [saved.data['text/html']].flat().join('');
  expect(html).toContain('redpill-fallback');
  expect(html).not.toContain('data-redpill-static');
  expect(Object.keys(saved.data).sort()).toEqual(
    [MIME, 'image/png', 'text/html', 'text/plain'].sort()
  );
  expect(saved.metadata['jupyterlab-redpill']).toEqual({
    hash: expect.stringMatching(/^[0-9a-f]{16}$/),
    version: 2
  });

  // The PNG is within budget, at one pixel per CSS pixel, indexed colour (the
  // extension's own encoder, not the canvas's RGBA), and a picture.
  const base64 = [saved.data['image/png']].flat().join('');
  expect(base64.length).toBeLessThanOrEqual(BUDGET);
  const size = pngSize(Buffer.from(base64, 'base64'));
  const shown = saved.metadata['image/png'];
  console.log(
    `3-name PNG copy: ${size.width}×${size.height} px, ${base64.length} base64 characters`
  );
  expect(size.colourType).toBe(3);
  expect(shown.width).toBeGreaterThan(150);
  expect(Math.abs(size.width - shown.width)).toBeLessThanOrEqual(1);
  expect(Math.abs(size.height - shown.height)).toBeLessThanOrEqual(1);
  // A small diagram keeps its colours (8 bits per pixel: up to 256).
  expect(size.depth).toBe(8);
  const picture = await inkOf(page, base64);
  expect(picture.width).toBe(size.width);
  await expectSameOnLightAndDark(page, base64);
  const file = testInfo.outputPath('three.png');
  fs.writeFileSync(file, Buffer.from(base64, 'base64'));
  await testInfo.attach('three.png', { path: file, contentType: 'image/png' });
});

test('a 100-object diagram stores the whole diagram, readable, within budget', async ({
  page,
  request,
  tmpPath
}, testInfo) => {
  // 100 objects: 33 lists of [int, str] and their items, capped at 100.
  const output = await runRedpill(
    page,
    'hundred.ipynb',
    '%%redpill --max-objects 100\n' +
      'rows = [[1000 + i, f"row {i}"] for i in range(33)]'
  );
  await expect(output.locator('svg.jp-Redpill-svg')).toBeVisible();
  const boxes = await output
    .locator('svg.jp-Redpill-svg g[data-address]')
    .count();
  expect(boxes).toBe(100);
  await waitForPng(page);
  await page.notebook.save();
  const saved = await savedOutput(request, tmpPath, 'hundred.ipynb');
  const base64 = [saved.data['image/png']].flat().join('');
  const size = pngSize(Buffer.from(base64, 'base64'));
  const shown = saved.metadata['image/png'];
  const full = await output.locator('svg.jp-Redpill-svg').evaluate(svg => ({
    width: Number(svg.getAttribute('width')),
    height: Number(svg.getAttribute('height')),
    // The lowest box's top, in the diagram's CSS pixels.
    lastTop: Math.max(
      ...Array.from(svg.querySelectorAll('g[data-address]')).map(g =>
        Number(
          /translate\([-\d.]+ ([-\d.]+)\)/.exec(
            g.getAttribute('transform') ?? ''
          )?.[1] ?? 0
        )
      )
    )
  }));
  const record =
    `${boxes} boxes, diagram ${full.width}×${full.height} CSS px, ` +
    `PNG ${size.width}×${size.height} px at ${size.depth} bit per pixel, ` +
    `shown at ${shown.width}×${shown.height}, ${base64.length} base64 characters`;
  testInfo.annotations.push({ type: 'png-size', description: record });
  console.log(`100-object PNG copy: ${record}`);
  const file = testInfo.outputPath('hundred.png');
  fs.writeFileSync(file, Buffer.from(base64, 'base64'));
  await testInfo.attach('hundred.png', {
    path: file,
    contentType: 'image/png'
  });
  expect(base64.length).toBeLessThanOrEqual(BUDGET);
  // The whole diagram, one pixel per CSS pixel (not shrunk, not cut), shown
  // at its size.
  expect(Math.abs(size.width - full.width)).toBeLessThanOrEqual(1);
  expect(Math.abs(size.height - full.height)).toBeLessThanOrEqual(1);
  expect(Math.abs(shown.width - full.width)).toBeLessThanOrEqual(1);
  expect(Math.abs(shown.height - full.height)).toBeLessThanOrEqual(1);
  // Drawn down to its last box: text and borders there too.
  const bottom = await inkOf(
    page,
    base64,
    '#ffffff',
    Math.floor(full.lastTop),
    Math.floor(full.lastTop) + 200
  );
  expect(bottom.ink).toBeGreaterThan(0.005);
  await expectSameOnLightAndDark(page, base64);
  expect([saved.data['text/html']].flat().join('')).not.toContain(
    'data-redpill-static'
  );
});

test('a diagram too large even in monochrome stores the summary copy: every object listed', async ({
  page,
  request,
  tmpPath
}, testInfo) => {
  // 100 lists of [int, str]: the kernel collects 151 objects of them.
  const output = await runRedpill(
    page,
    'summary.ipynb',
    '%%redpill --max-objects 400\n' +
      'rows = [[1000 + i, f"row {i}"] for i in range(100)]'
  );
  await expect(output.locator('svg.jp-Redpill-svg')).toBeVisible();
  const boxes = await output
    .locator('svg.jp-Redpill-svg g[data-address]')
    .count();
  expect(boxes).toBeGreaterThan(150);
  const full = await output.locator('svg.jp-Redpill-svg').evaluate(svg => ({
    width: Number(svg.getAttribute('width')),
    height: Number(svg.getAttribute('height'))
  }));
  await waitForPng(page);
  await page.notebook.save();
  const saved = await savedOutput(request, tmpPath, 'summary.ipynb');
  const base64 = [saved.data['image/png']].flat().join('');
  const size = pngSize(Buffer.from(base64, 'base64'));
  const record =
    `${boxes} boxes, diagram ${full.width}×${full.height} CSS px, summary ` +
    `PNG ${size.width}×${size.height} px at ${size.depth} bit per pixel, ` +
    `${base64.length} base64 characters`;
  testInfo.annotations.push({ type: 'png-size', description: record });
  console.log(`${boxes}-object PNG copy: ${record}`);
  const file = testInfo.outputPath('summary.png');
  fs.writeFileSync(file, Buffer.from(base64, 'base64'));
  await testInfo.attach('summary.png', {
    path: file,
    contentType: 'image/png'
  });
  expect(base64.length).toBeLessThanOrEqual(BUDGET);
  // Not the diagram (nor its top part): the summary's lines, 17 px each
  // under a 12 px margin: title, two lines of note, a blank, "Names", the
  // name, a blank, "Objects (N)" and one line per object.
  expect(size.height).toBeLessThan(full.height / 4);
  expect(size.height).toBe(2 * 12 + 17 * (8 + boxes));
  const shown = saved.metadata['image/png'];
  expect(Math.abs(shown.width - size.width)).toBeLessThanOrEqual(1);
  await expectSameOnLightAndDark(page, base64);
});

test('a notebook executed by nbconvert opens untrusted: the MIME renderer draws, the live script never runs', async ({
  page,
  tmpPath
}) => {
  // Executed headlessly, with the one-line IPython profile: its outputs carry
  // the kernel's live HTML, and this server never signed it (untrusted).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redpill-untrusted-'));
  const profile = path.join(dir, 'ipython', 'profile_default');
  fs.mkdirSync(profile, { recursive: true });
  fs.copyFileSync(
    path.join(
      ROOT,
      'ui-tests',
      'frontends',
      'ipython',
      'profile_default',
      'ipython_config.py'
    ),
    path.join(profile, 'ipython_config.py')
  );
  const source = path.join(dir, 'headless.ipynb');
  fs.writeFileSync(
    source,
    notebookJson([
      {
        cell_type: 'code',
        execution_count: null,
        metadata: {},
        outputs: [],
        source: SOURCE
      },
      {
        cell_type: 'code',
        execution_count: null,
        metadata: {},
        outputs: [],
        source: '%%redpill\nx = [1.5]'
      }
    ])
  );
  execFileSync(
    JUPYTER,
    ['nbconvert', '--to', 'notebook', '--execute', '--inplace', source],
    {
      stdio: 'pipe',
      timeout: 120000,
      env: {
        ...process.env,
        IPYTHONDIR: path.join(dir, 'ipython'),
        PYTHONPATH: ROOT
      }
    }
  );
  const executed = fs.readFileSync(source, 'utf8');
  expect(executed).toContain('redpill-live');
  await page.contents.uploadContent(
    executed,
    'text',
    `${tmpPath}/headless.ipynb`
  );
  await page.notebook.openByPath(`${tmpPath}/headless.ipynb`);
  await page.notebook.activate('headless.ipynb');
  const rendered = page.locator(
    `.jp-OutputArea-output[data-mime-type="${MIME}"] svg.jp-Redpill-svg`
  );
  await expect(rendered).toHaveCount(2);
  await expect(rendered.first().locator('[data-name="age"]')).toHaveCount(1);
  expect(
    await page.evaluate(() => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const app = (window as any).jupyterapp;
      return app.shell.currentWidget.content.model.cells.get(0).trusted;
    })
  ).toBe(false);
  expect(
    await page.evaluate(
      () =>
        (window as unknown as { redpillLiveRuns?: number }).redpillLiveRuns ?? 0
    )
  ).toBe(0);
  await expect(page.locator('div.redpill-live')).toHaveCount(0);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the toolbar downloads the picture as SVG and PNG', async ({ page }) => {
  const output = await runRedpillCell(page, 'toolbar.ipynb');
  const toolbar = output.locator('.jp-Redpill-toolbar');
  for (const label of [
    'Copy the diagram as SVG',
    'Download the diagram as an SVG file',
    'Download the diagram as a PNG file'
  ]) {
    await expect(toolbar.getByRole('button', { name: label })).toBeVisible();
  }

  const [svgDownload] = await Promise.all([
    page.waitForEvent('download'),
    toolbar
      .getByRole('button', { name: 'Download the diagram as an SVG file' })
      .click()
  ]);
  expect(svgDownload.suggestedFilename()).toBe('redpill-age.svg');
  const svgText = fs.readFileSync((await svgDownload.path())!, 'utf8');
  expect(svgText).toMatch(/^<\?xml[^]*<svg/);
  expect(svgText).toContain('data-name="words"');
  expect(svgText).not.toMatch(/class=|var\(--|<script/);

  // Keyboard: focus the PNG button and press Enter.
  const pngButton = toolbar.getByRole('button', {
    name: 'Download the diagram as a PNG file'
  });
  await pngButton.focus();
  const [pngDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.keyboard.press('Enter')
  ]);
  expect(pngDownload.suggestedFilename()).toBe('redpill-age.png');
  const size = pngSize(fs.readFileSync((await pngDownload.path())!));
  expect(size.width).toBeGreaterThan(150);
  await expect(toolbar.locator('[role="status"]')).toHaveText('PNG saved');
});
