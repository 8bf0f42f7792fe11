/**
 * The tour notebook, as the README's setup command opens it: every cell runs
 * without an error and every %%redpill cell draws its diagram.
 */
import { expect, test } from '@jupyterlab/galata';
import { readFileSync } from 'fs';
import { join } from 'path';

test.use({ autoGoto: true });

test('examples/tour.ipynb runs top to bottom', async ({ page, tmpPath }) => {
  const tour = readFileSync(
    join(__dirname, '..', '..', 'examples', 'tour.ipynb'),
    'utf8'
  );
  const redpillCells = (
    JSON.parse(tour).cells as { cell_type: string; source: string | string[] }[]
  ).filter(
    cell =>
      cell.cell_type === 'code' &&
      [cell.source].flat().join('').startsWith('%%redpill')
  ).length;
  expect(redpillCells).toBeGreaterThan(3);

  await page.contents.uploadContent(tour, 'text', `${tmpPath}/tour.ipynb`);
  await page.notebook.openByPath(`${tmpPath}/tour.ipynb`);
  await page.notebook.activate('tour.ipynb');
  await page.notebook.run();

  await expect(
    page.locator('.jp-OutputArea-output.jp-Redpill svg.jp-Redpill-svg')
  ).toHaveCount(redpillCells);
  await expect(
    page.locator(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
    )
  ).toHaveCount(0);
  await expect(page.locator('.jp-Redpill-error')).toHaveCount(0);
  await expect(
    page.locator('.jp-OutputArea-output').filter({ hasText: 'Traceback' })
  ).toHaveCount(0);
});
