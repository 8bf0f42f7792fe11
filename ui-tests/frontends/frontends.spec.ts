/**
 * Where the diagram shows without JupyterLab: the tour as a Sphinx + myst-nb
 * site and a Jupyter Book 1 (`jupyter-book build`) build it, and as `jupyter nbconvert --execute` then `--to html` exports
 * it (the kernel's text/html, executed with the one-line IPython profile;
 * nbviewer renders with nbconvert's lab template), and as Voila serves it, with this labextension
 * installed (the MIME renderer draws; the live script in the kernel's HTML
 * must never run) and without it (the live script draws). Every %%redpill
 * output must show a drawn SVG.
 */
import { expect, Page, test } from '@playwright/test';
import { readFileSync } from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';

import { VOILA_WITH, VOILA_WITHOUT } from './playwright.config';

const TOUR = path.resolve(__dirname, '..', '..', 'examples', 'tour.ipynb');

/** How many %%redpill cells examples/tour.ipynb has (each draws one diagram). */
const DIAGRAMS = (
  JSON.parse(readFileSync(TOUR, 'utf8')) as {
    cells: { cell_type: string; source: string | string[] }[];
  }
).cells.filter(
  cell =>
    cell.cell_type === 'code' &&
    [cell.source].flat().join('').trimStart().startsWith('%%redpill')
).length;
const MIME = 'application/vnd.redpill.v1+json';
/** A diagram the kernel's live script drew (contract markers). */
const LIVE = 'div.redpill-live[data-redpill-drawn="true"] svg';
/** A diagram our MIME renderer drew (its widget, marked by its MIME type). */
const RENDERED = `div.jp-Redpill[data-mime-type="${MIME}"] svg.jp-Redpill-svg`;
const BUILD = path.resolve(__dirname, '..', '..', 'build', 'frontends');
const SPHINX = path.join(BUILD, 'sphinx', 'tour.html');
/**
 * The one error the book's own page throws, with or without our outputs: Jupyter
 * Book 1.0.4 writes sphinx-thebe's `const THEBE_JS_URL` script twice into every
 * page. Any other page error fails the test.
 */
const BOOK_THEME_ERROR =
  /^Identifier 'THEBE_JS_URL' has already been declared$/;
/** The tour's page of the book `jupyter-book build` wrote (scripts/frontends.sh). */
const JUPYTER_BOOK = path.join(
  BUILD,
  'jupyter-book',
  '_build',
  'html',
  'tour.html'
);
/** A page `jupyter nbconvert --to html` wrote (scripts/frontends.sh). */
const nbconvertPage = (name: string) =>
  pathToFileURL(path.join(BUILD, 'nbconvert', name)).href;

/** How often the kernel's live script ran in this page (0: never). */
function liveRuns(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      (window as unknown as { redpillLiveRuns?: number }).redpillLiveRuns ?? 0
  );
}

/** Every diagram of `selector` is really drawn: boxes with a size. */
async function expectDrawn(page: Page, selector: string): Promise<void> {
  const svgs = page.locator(selector);
  await expect(svgs).toHaveCount(DIAGRAMS);
  for (let i = 0; i < DIAGRAMS; i++) {
    const svg = svgs.nth(i);
    await expect(svg).toBeVisible();
    expect((await svg.boundingBox())!.width).toBeGreaterThan(100);
    expect(await svg.locator('[data-address]').count()).toBeGreaterThan(0);
  }
  await expect(svgs.first().locator('[data-name="age"]')).toHaveCount(1);
}

test('Sphinx + myst-nb: the live script draws every diagram, once each', async ({
  page
}) => {
  const errors: string[] = [];
  page.on('pageerror', e => errors.push(e.message));
  await page.goto(pathToFileURL(SPHINX).href);
  // The kernel's HTML made it into the page (its table is the fallback).
  await expect(page.locator('.redpill-fallback')).toHaveCount(DIAGRAMS);
  await expectDrawn(page, LIVE);
  expect(await liveRuns(page)).toBe(DIAGRAMS);
  expect(errors).toEqual([]);
});

test('Jupyter Book 1: the live script draws every diagram; a box opens its details', async ({
  page
}) => {
  const errors: string[] = [];
  page.on('pageerror', e => errors.push(e.message));
  await page.goto(pathToFileURL(JUPYTER_BOOK).href);
  await expect(page.locator('.redpill-fallback')).toHaveCount(DIAGRAMS);
  await expectDrawn(page, LIVE);
  expect(await liveRuns(page)).toBe(DIAGRAMS);
  // The book theme's own scripts and styles leave the diagram working.
  const host = page.locator('div.redpill-live').first();
  const box = host.locator('.jp-Redpill-box').first();
  await box.click();
  await expect(box).toHaveClass(/jp-Redpill-selected/);
  await expect(host.locator('.jp-Redpill-details')).toContainText('Holders');
  expect(errors.filter(e => !BOOK_THEME_ERROR.test(e))).toEqual([]);
});

for (const template of ['lab', 'classic']) {
  test(`nbconvert --to html (${template} template): the live script draws every diagram`, async ({
    page
  }) => {
    const errors: string[] = [];
    page.on('pageerror', e => errors.push(e.message));
    await page.goto(nbconvertPage(`${template}.html`));
    await expect(page.locator('.redpill-fallback')).toHaveCount(DIAGRAMS);
    await expectDrawn(page, LIVE);
    expect(await liveRuns(page)).toBe(DIAGRAMS);
    expect(errors).toEqual([]);
  });
}

test('nbconvert with sanitize_html: the table shows, no script runs', async ({
  page
}) => {
  await page.goto(nbconvertPage('sanitized.html'));
  const tables = page.locator('.redpill-fallback table');
  expect(await tables.count()).toBeGreaterThanOrEqual(DIAGRAMS);
  await expect(tables.first()).toBeVisible();
  await expect(tables.first()).toContainText('age');
  await expect(page.locator('[data-redpill-drawn]')).toHaveCount(0);
  expect(await liveRuns(page)).toBe(0);
});

test('Voila with the labextension: the MIME renderer draws, the live script never runs', async ({
  page
}) => {
  const errors: string[] = [];
  page.on('pageerror', e => errors.push(e.message));
  await page.goto(`${VOILA_WITH}/`);
  await expectDrawn(page, RENDERED);
  // Selecting a box opens its details, as in JupyterLab.
  await page
    .locator(RENDERED)
    .first()
    .locator('g[data-address]')
    .first()
    .click();
  await expect(page.locator('.jp-Redpill-details').first()).toContainText(
    'refcnt'
  );
  expect(await liveRuns(page)).toBe(0);
  await expect(page.locator('div.redpill-live')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('Voila without the labextension: the live script draws every diagram', async ({
  page
}) => {
  const errors: string[] = [];
  page.on('pageerror', e => errors.push(e.message));
  await page.goto(`${VOILA_WITHOUT}/`);
  await expect(page.locator('.redpill-fallback')).toHaveCount(DIAGRAMS);
  await expectDrawn(page, LIVE);
  await expect(page.locator(`[data-mime-type="${MIME}"]`)).toHaveCount(0);
  expect(await liveRuns(page)).toBe(DIAGRAMS);
  expect(errors).toEqual([]);
});
