/**
 * Buffers and views in a real JupyterLab: `b = a[::2]` of a numpy array is
 * drawn with a `.base` arrow to `a`, and b's bar marks its items inside a's
 * buffer (the same bytes, every other item). Screenshots in the light and
 * dark themes; what changes from run to run (addresses, the raw bytes and
 * address ranges) is hidden (`.jp-Redpill-volatile`). Needs numpy in the
 * JupyterLab environment (the project's test extras install it).
 */
import { expect, test } from '@jupyterlab/galata';

import { runRedpill } from './notebook';

test.use({ autoGoto: true, viewport: { width: 1400, height: 1000 } });

// Only a and b are drawn (the numpy module's box would show this machine's paths).
const SOURCE = [
  '%%redpill a b',
  'import numpy as np',
  'a = np.arange(8.0)',
  'b = a[::2]'
].join('\n');

/** Hidden in screenshots: what varies between runs. */
const VOLATILE_STYLE = `
.jp-Redpill-volatile,
.jp-Redpill-shared .jp-Redpill-refcount,
.jp-Redpill-shared .jp-Redpill-holders,
.jp-Redpill-badge-unexplained { visibility: hidden; }
.jp-Redpill-notices { display: none; }
`;

test('an ndarray view shares its base: arrow and marked bytes, light and dark', async ({
  page
}) => {
  test.setTimeout(120000);
  const output = await runRedpill(page, 'buffers.ipynb', SOURCE);
  await expect(output.locator('svg.jp-Redpill-svg')).toBeVisible();
  await expect(output.locator('.jp-Redpill-error')).toHaveCount(0);

  const a = output.locator('.jp-Redpill-name[data-name="a"]');
  const b = output.locator('.jp-Redpill-name[data-name="b"]');
  const aAddress = (await a.getAttribute('data-target'))!;
  const bAddress = (await b.getAttribute('data-target'))!;
  const aBox = output.locator(`.jp-Redpill-box[data-address="${aAddress}"]`);
  const bBox = output.locator(`.jp-Redpill-box[data-address="${bAddress}"]`);
  await expect(aBox).toHaveAttribute('data-kind', 'ndarray');
  await expect(bBox).toHaveAttribute('data-kind', 'ndarray');
  // the .base arrow from b to a
  await expect(
    output.locator(
      `.jp-Redpill-arrow[data-from="${bAddress}"][data-to="${aAddress}"][data-label=".base"]`
    )
  ).toHaveCount(1);
  // b's four items inside a's 64 bytes; a owns its buffer
  await expect(bBox.locator('.jp-Redpill-bufferItem')).toHaveCount(4);
  await expect(bBox.locator('.jp-Redpill-bufferCaption')).toHaveText(
    "bytes +0…+56 of ndarray's 64"
  );
  await expect(aBox.locator('.jp-Redpill-bufferCaption')).toHaveText(
    'its own 64 bytes'
  );
  await expect(bBox).toContainText('dtype float64 <f8');

  for (const theme of ['light', 'dark']) {
    if (theme === 'dark') {
      await page.theme.setDarkTheme();
    }
    await output.scrollIntoViewIfNeeded();
    expect(
      await output.locator('svg.jp-Redpill-svg').screenshot({
        style: VOLATILE_STYLE,
        animations: 'disabled'
      })
    ).toMatchSnapshot(`buffers-view-${theme}.png`);
  }
  await page.theme.setLightTheme();

  // the details panel lists the buffer
  await bBox.click();
  const details = output.locator('.jp-Redpill-details .jp-Redpill-buffer');
  await expect(details).toContainText('in its buffer');
  await expect(details).toContainText(`of ndarray ${aAddress}`);
});
