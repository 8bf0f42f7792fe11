/**
 * The live diagram in the kernel's text/html, where jupyterlab-redpill is
 * not installed: nbconvert's HTML of the executed tour (and nbviewer, which
 * serves the same lab template), its sanitized export, a VS Code-like page
 * and a Colab-like page (scripts/live_pages.py says what each stands in
 * for), hostile payloads and outputs that cannot draw. Markers: a drawn host
 * is `div.redpill-live[data-redpill-drawn="true"]` holding an `<svg>`; every
 * run of the embedded script adds one to `window.redpillLiveRuns`.
 */
import { expect, Page, test } from '@playwright/test';
import { readFileSync } from 'fs';
import { join } from 'path';

const PAGES = join(__dirname, '..', '..', 'build', 'live-pages');
const manifest = JSON.parse(
  readFileSync(join(PAGES, 'manifest.json'), 'utf8')
) as Record<string, number>;

const DRAWN = 'div.redpill-live[data-redpill-drawn="true"]';

/**
 * The names the live bundles give our classes (scripts/short-classes.cjs
 * shortens them all but the diagram's, its boxes', the selected one's and the
 * details'; the build lists them in build/live/classes.json).
 */
const CLASSES = JSON.parse(
  readFileSync(
    join(__dirname, '..', '..', 'build', 'live', 'classes.json'),
    'utf8'
  )
) as Record<string, string>;

/** The class `name` of the renderer as the live page has it. */
function cls(name: string): string {
  const short = CLASSES[name];
  if (short === undefined) {
    throw new Error(`${name} is not in build/live/classes.json`);
  }
  return short;
}

/** What the embedded scripts leave on `window` (and what a breaker would). */
interface ILiveWindow {
  redpillLiveRuns?: number;
  redpillPwned?: unknown;
  DecompressionStream?: unknown;
}

/** `window.redpillLiveRuns` of the page. */
function runs(page: Page): Promise<number | undefined> {
  return page.evaluate(() => (window as ILiveWindow).redpillLiveRuns);
}

/** Fail the test on any uncaught error of the page. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', error => errors.push(error.message));
  return errors;
}

test('nbconvert page: every output draws; a box opens its details and memory', async ({
  page
}) => {
  const errors = watchErrors(page);
  await page.goto('/tour.html');
  const hosts = page.locator('div.redpill-live');
  await expect(hosts).toHaveCount(manifest.tour);
  await expect(page.locator(DRAWN)).toHaveCount(manifest.tour);
  for (let i = 0; i < manifest.tour; i++) {
    await expect(hosts.nth(i).locator('svg.jp-Redpill-svg')).toBeVisible();
    // the table is kept, hidden, for nothing is lost
    await expect(hosts.nth(i).locator('.redpill-fallback')).toBeHidden();
  }
  expect(await runs(page)).toBe(manifest.tour);

  const first = hosts.first();
  const box = first.locator('.jp-Redpill-box').first();
  await box.click();
  await expect(box).toHaveClass(/jp-Redpill-selected/);
  const details = first.locator('.jp-Redpill-details');
  await expect(details).toContainText('Holders');
  await expect(details).toContainText('name age');
  await details.getByText(/^Memory at 0x[0-9a-f]+/).click();
  await expect(
    details.locator(`.${cls('jp-Redpill-hexRow')}`).first()
  ).toBeVisible();
  expect(errors).toEqual([]);
});

test('nbconvert page: --steps and --quiz work as in JupyterLab', async ({
  page
}) => {
  const errors = watchErrors(page);
  await page.goto('/instructor.html');
  await expect(page.locator(DRAWN)).toHaveCount(3);
  const [steps, quiz] = [
    page.locator(DRAWN).nth(0),
    page.locator(DRAWN).nth(1)
  ];
  const label = steps.locator(`.${cls('jp-Redpill-stepLabel')}`);
  const refcount = steps.locator(`svg .${cls('jp-Redpill-refcount')}`).first();
  await expect(label).toHaveText('Step 3 of 3 (line 4)');
  await expect(refcount).toHaveText('refcnt 1');
  await steps.getByRole('button', { name: 'Previous step' }).click();
  await expect(label).toHaveText('Step 2 of 3 (line 3)');
  await expect(refcount).toHaveText('refcnt 2');

  // The answers stay hidden until revealed.
  await expect(quiz.locator('svg.jp-Redpill-svg')).not.toContainText(
    /refcnt \d/
  );
  await expect(quiz).not.toContainText('Answer:');
  const q2 = quiz.locator('[data-question="q2"]');
  await q2.getByRole('button', { name: /^Reveal/ }).click();
  await expect(q2.locator(`.${cls('jp-Redpill-answer')}`)).toHaveText(
    'Answer: yes'
  );
  expect(errors).toEqual([]);
});

test('nbconvert page: --diff marks the changes since the last snapshot', async ({
  page
}) => {
  const errors = watchErrors(page);
  await page.goto('/instructor.html');
  await expect(page.locator(DRAWN)).toHaveCount(3);
  const diff = page.locator(DRAWN).nth(2);
  const changes = diff.locator(`.${cls('jp-Redpill-changes')}`);
  await expect(changes).toBeVisible();
  await expect(
    changes.locator(`.${cls('jp-Redpill-changesTitle')}`)
  ).toHaveText(/^Changes/);
  await expect(changes.locator('li').first()).toBeVisible();
  // the changed objects are marked on the diagram itself
  await expect(
    diff.locator(`svg [class*="${cls('jp-Redpill-change-')}"]`).first()
  ).toBeVisible();
  expect(errors).toEqual([]);
});

test('buffers and views draw with their own code, plain and under --steps', async ({
  page
}) => {
  const errors = watchErrors(page);
  await page.goto('/buffers.html');
  const hosts = page.locator('div.redpill-live');
  await expect(hosts).toHaveCount(manifest.buffers);
  await expect(page.locator(DRAWN)).toHaveCount(manifest.buffers);
  for (let i = 0; i < manifest.buffers; i++) {
    // the buffer kinds' own drawing, not the stand-in (a repr alone)
    await expect(
      hosts
        .nth(i)
        .locator(`.${cls('jp-Redpill-bufferBar')}`)
        .first()
    ).toBeVisible();
  }
  const first = hosts.first();
  const box = first
    .locator('.jp-Redpill-box')
    .filter({ hasText: 'memoryview' })
    .first();
  await box.click();
  await expect(
    first.locator(`.jp-Redpill-details .${cls('jp-Redpill-buffer')}`)
  ).toBeVisible();
  expect(errors).toEqual([]);
});

test('sanitized export: the tables show, no diagram, no payload or packed code', async ({
  page
}) => {
  await page.goto('/tour-sanitized.html');
  const tables = page.locator('.redpill-fallback');
  await expect(tables).toHaveCount(manifest.tour);
  for (let i = 0; i < manifest.tour; i++) {
    await expect(tables.nth(i)).toBeVisible();
    await expect(tables.nth(i)).toContainText('redpill');
  }
  await expect(page.locator('svg.jp-Redpill-svg')).toHaveCount(0);
  expect(await runs(page)).toBe(undefined);
  // The sanitizer drops the comments (payload, packed code); it escapes the
  // bootstrap script, whose short source then shows as text after each table.
  const text = await page.locator('body').innerText();
  expect(text).not.toContain('"schema_version"');
  expect(text).not.toMatch(/redpillLive_[0-9a-f]{12}_\d+/);
  expect(Math.max(...text.split('\n').map(line => line.length))).toBeLessThan(
    2000
  );
});

test('VS Code-like page: every output draws, in any order, copies too', async ({
  page
}) => {
  const errors = watchErrors(page);
  await page.goto('/vscode.html');
  await expect(page.locator('div.redpill-live')).toHaveCount(manifest.vscode);
  await expect(page.locator(DRAWN)).toHaveCount(manifest.vscode);
  await expect(page.locator(`${DRAWN} svg.jp-Redpill-svg`)).toHaveCount(
    manifest.vscode
  );
  expect(await runs(page)).toBe(manifest.vscode);
  expect(errors).toEqual([]);
});

test('Colab-like page: each output draws in its own sandboxed frame', async ({
  page
}) => {
  await page.goto('/colab.html');
  const frames = page.locator('iframe.output');
  await expect(frames).toHaveCount(manifest.colab);
  for (let i = 0; i < manifest.colab; i++) {
    const frame = frames.nth(i).contentFrame();
    await expect(frame.locator(`${DRAWN} svg.jp-Redpill-svg`)).toHaveCount(1);
  }
});

test('hostile payloads draw as text and run nothing; undrawable outputs keep their tables', async ({
  page
}) => {
  const errors = watchErrors(page);
  let dialogs = 0;
  page.on('dialog', dialog => {
    dialogs++;
    void dialog.dismiss();
  });
  await page.goto('/hostile.html');
  const host = page.locator('.jp-OutputArea div.redpill-live');
  await expect(host).toHaveCount(manifest.hostile);
  await expect(host.first()).toHaveAttribute('data-redpill-drawn', 'true');
  const svg = host.first().locator('svg.jp-Redpill-svg');
  await expect(svg).toBeVisible();
  // the breakers are names: drawn as text
  await expect(svg).toContainText('</script>');
  await expect(svg).toContainText('<!--');
  expect(
    await page.evaluate(() => (window as ILiveWindow).redpillPwned)
  ).toBeUndefined();
  await expect(host.first().locator('img, iframe, style + img')).toHaveCount(0);
  expect(await host.first().locator('script').count()).toBe(0);

  for (let i = 0; i < manifest.undrawable; i++) {
    const output = page.locator(`#undrawable-${i} div.redpill-live`);
    await expect(output).toContainText(`table ${i} stays`);
    await expect(output.locator('table')).toBeVisible();
    await expect(output).not.toHaveAttribute('data-redpill-drawn', /.*/);
  }
  // every script ran (the hostile output and the undrawable ones)
  expect(await runs(page)).toBe(manifest.hostile + manifest.undrawable);
  expect(errors).toEqual([]);
  expect(dialogs).toBe(0);
});

test('without DecompressionStream the tables stay, with no error', async ({
  page
}) => {
  const errors = watchErrors(page);
  await page.addInitScript(() => {
    delete (window as ILiveWindow).DecompressionStream;
  });
  await page.goto('/tour.html');
  await expect.poll(() => runs(page)).toBe(manifest.tour);
  await expect(page.locator('svg.jp-Redpill-svg')).toHaveCount(0);
  await expect(page.locator(DRAWN)).toHaveCount(0);
  await expect(page.locator('.redpill-fallback').first()).toBeVisible();
  expect(errors).toEqual([]);
});

for (const [scheme, file] of [
  ['light', 'tour.html'],
  ['dark', 'tour-dark.html']
] as const) {
  test(`screenshot of the nbconvert page (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`/${file}`);
    const host = page.locator(DRAWN).first();
    await expect(host.locator('svg.jp-Redpill-svg')).toBeVisible();
    await host.scrollIntoViewIfNeeded();
    // addresses change every run
    await expect(host).toHaveScreenshot(`nbconvert-${scheme}.png`, {
      mask: [
        host.locator(`.${cls('jp-Redpill-address')}`),
        host.locator(`.${cls('jp-Redpill-typeAddress')}`)
      ],
      animations: 'disabled'
    });
  });
}

test('screenshot of a page without a theme (Colab-like), dark', async ({
  page
}) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/colab.html');
  const host = page
    .locator('iframe.output')
    .first()
    .contentFrame()
    .locator(DRAWN);
  await expect(host.locator('svg.jp-Redpill-svg')).toBeVisible();
  await expect(host).toHaveScreenshot('colab-dark.png', {
    mask: [
      host.locator(`.${cls('jp-Redpill-address')}`),
      host.locator(`.${cls('jp-Redpill-typeAddress')}`)
    ],
    animations: 'disabled'
  });
});
