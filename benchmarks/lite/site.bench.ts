/**
 * The course site from a student's side, in a fresh browser profile each
 * round: page load to the notebook shown, to the Pyodide kernel idle, and the
 * first %%redpill cell (run as soon as the kernel is idle) to its picture.
 * Prints the times of each round and their median; asserts none.
 */
import { expect, test } from '@playwright/test';

const ROUNDS = Number(process.env.REDPILL_LITE_ROUNDS ?? 3);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

test('kernel start to first picture', async ({ browser }) => {
  const rows: { shown: number; idle: number; picture: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto('lab/index.html?path=tour.ipynb');
    const firstCell = page.locator('.jp-NotebookPanel .jp-Cell').nth(2);
    await expect(firstCell).toBeVisible({ timeout: 120_000 });
    const shown = Date.now();
    await expect(
      page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]')
    ).toBeVisible({ timeout: 300_000 });
    const idle = Date.now();
    await firstCell.click();
    await page.keyboard.press('Shift+Enter');
    const output = firstCell.locator('.jp-OutputArea-output').first();
    await expect(output).toBeVisible({ timeout: 300_000 });
    const drawn = await firstCell
      .locator('svg.jp-Redpill-svg')
      .waitFor({ timeout: 60_000 })
      .then(() => true)
      .catch(() => false);
    const picture = Date.now();
    if (!drawn) {
      console.log(
        `round ${round + 1}: no picture; the cell's output: ${(await output.innerText()).slice(0, 300)}`
      );
      await context.close();
      continue;
    }
    rows.push({
      shown: (shown - t0) / 1000,
      idle: (idle - t0) / 1000,
      picture: (picture - idle) / 1000
    });
    await context.close();
  }
  if (rows.length === 0) {
    console.log('no round drew a picture');
    return;
  }
  const fmt = (x: number) => `${x.toFixed(1)} s`;
  for (const [i, r] of rows.entries()) {
    console.log(
      `round ${i + 1}: notebook shown ${fmt(r.shown)}, kernel idle ${fmt(r.idle)}, ` +
        `first %%redpill cell to picture ${fmt(r.picture)}; kernel start to first picture ${fmt(r.idle - r.shown + r.picture)}`
    );
  }
  console.log(
    `median of ${rows.length}: page load to kernel idle ${fmt(median(rows.map(r => r.idle)))}, ` +
      `kernel start to first picture ${fmt(median(rows.map(r => r.idle - r.shown + r.picture)))}, ` +
      `page load to first picture ${fmt(median(rows.map(r => r.idle + r.picture)))}`
  );
});
