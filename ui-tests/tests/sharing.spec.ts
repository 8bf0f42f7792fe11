/**
 * Sharing: a notebook saved from JupyterLab carries static copies of the
 * diagram (image/png for GitHub, script-free text/html for nbviewer and
 * nbconvert), and `jupyter nbconvert --to html` of it shows the picture in a
 * browser page WITHOUT JupyterLab or this extension. The toolbar downloads
 * the picture as SVG and PNG.
 */
import { expect, test } from '@jupyterlab/galata';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';

import { runRedpill } from './notebook';

const MIME = 'application/vnd.redpill.v1+json';
const JUPYTER = path.resolve(__dirname, '..', '..', '.venv', 'bin', 'jupyter');
const SOURCE = '%%redpill\nage = 1042\nb = age\nwords = ["hi there", age]';

test.use({ autoGoto: true });

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  );
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function runRedpillCell(
  page: import('@jupyterlab/galata').IJupyterLabPageFixture,
  name: string
) {
  const output = await runRedpill(page, name, SOURCE);
  await expect(output.locator('svg.jp-Redpill-svg')).toBeVisible();
  return output;
}

test('a saved notebook shows the diagram in nbconvert HTML, without the extension', async ({
  page,
  request,
  tmpPath,
  browser
}) => {
  const output = await runRedpillCell(page, 'sharing.ipynb');
  // The copies are stored right after drawing (the PNG takes a moment).
  await page.waitForFunction(() => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const app = (window as any).jupyterapp;
    const cell = app.shell.currentWidget?.content?.model?.cells.get(0);
    const out = cell?.outputs?.get(0);
    return !!out?.data?.['image/png'] && !!out?.data?.['text/html'];
  });
  // Storing the copies did not replace or duplicate our diagram.
  await expect(output).toHaveCount(1);
  await expect(output.locator('svg.jp-Redpill-svg')).toHaveCount(1);
  await page.notebook.save();

  const response = await request.get(
    `/api/contents/${tmpPath}/sharing.ipynb?content=1&type=notebook`
  );
  expect(response.ok()).toBe(true);
  const notebook = (await response.json()).content;
  const saved = notebook.cells[0].outputs[0];
  expect(saved.output_type).toBe('display_data');
  expect(saved.data[MIME].schema_version).toBe(1);
  expect(saved.data['text/plain']).toBeTruthy();
  const html = [saved.data['text/html']].flat().join('');
  expect(html).toContain('data-redpill-static');
  expect(html).toContain('<svg');
  expect(html).not.toMatch(/<script|\son[a-z]+\s*=|var\(--/i);
  // The kernel's table is still there, as text.
  expect(html).toContain('<table');
  expect(saved.metadata['jupyterlab-redpill'].hash).toMatch(/^[0-9a-f]{16}$/);

  // The PNG decodes and has a sane size (2× the diagram at most).
  const png = Buffer.from([saved.data['image/png']].flat().join(''), 'base64');
  const size = pngSize(png);
  const shown = saved.metadata['image/png'];
  expect(shown.width).toBeGreaterThan(150);
  expect(size.width).toBeGreaterThanOrEqual(shown.width);
  expect(size.width).toBeLessThanOrEqual(2 * shown.width + 1);
  expect(size.height).toBeGreaterThan(50);
  expect(size.height).toBeLessThan(4000);

  // nbconvert --to html, then open the result in a plain browser page.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redpill-share-'));
  const ipynb = path.join(dir, 'sharing.ipynb');
  fs.writeFileSync(ipynb, JSON.stringify(notebook));
  execFileSync(JUPYTER, ['nbconvert', '--to', 'html', ipynb], {
    stdio: 'pipe',
    timeout: 60000
  });
  const exported = path.join(dir, 'sharing.html');
  expect(fs.existsSync(exported)).toBe(true);

  const context = await browser.newContext();
  const plain = await context.newPage();
  await plain.goto(pathToFileURL(exported).href);
  expect(
    await plain.evaluate(() => 'jupyterapp' in window || 'galata' in window)
  ).toBe(false);
  const svg = plain.locator('[data-redpill-static] svg').first();
  await expect(svg).toBeVisible();
  const names = svg.locator('[data-name]');
  await expect(names).toHaveCount(3);
  await expect(names.nth(0)).toContainText('age');
  await expect(svg.locator('g[data-address]')).toHaveCount(3);
  await expect(svg.locator('g[data-from]')).toHaveCount(5);
  await expect(svg).toContainText('refcnt');
  // Really drawn: boxes have a size and a literal fill.
  const box = svg.locator('g[data-address] > rect').first();
  expect((await box.boundingBox())!.width).toBeGreaterThan(100);
  expect(await box.getAttribute('fill')).toBe('#ffffff');
  expect(
    await svg.screenshot({
      // Addresses and hashes change every run (and hashes change width).
      style: '[data-volatile] { visibility: hidden; }',
      animations: 'disabled'
    })
  ).toMatchSnapshot('nbconvert-static.png');
  await context.close();
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
