/**
 * The walking skeleton, as a user meets it: a new notebook on a Python kernel,
 * a %%redpill cell and NO %load_ext (the front-end plugin loads the magic), and
 * the diagram drawn by our MIME renderer under the cell.
 */
import { expect, test } from '@jupyterlab/galata';

const MIME = 'application/vnd.redpill.v1+json';

test.use({ autoGoto: true });

test.describe('%%redpill in JupyterLab', () => {
  test('draws two names pointing at one int box with no set-up cell', async ({
    page
  }) => {
    await page.notebook.createNew('skeleton.ipynb');
    await page.notebook.setCell(0, 'code', '%%redpill\nage = 1042\nb = age');
    await page.notebook.runCell(0);

    const cellOutput = await page.notebook.getCellOutputLocator(0);
    const output = cellOutput!.locator('.jp-Redpill');
    await expect(output).toHaveCount(1);
    await expect(output).toHaveAttribute('data-mime-type', MIME);
    const svg = output.locator('svg.jp-Redpill-svg');
    await expect(svg).toBeVisible();

    // Two names, in binding order.
    const names = output.locator('[data-name]');
    await expect(names).toHaveCount(2);
    await expect(names.nth(0)).toHaveAttribute('data-name', 'age');
    await expect(names.nth(1)).toHaveAttribute('data-name', 'b');

    // One object box, reached by both arrows.
    const boxes = output.locator('[data-address]');
    await expect(boxes).toHaveCount(1);
    const address = await boxes.first().getAttribute('data-address');
    expect(address).toMatch(/^0x[0-9a-f]+$/);
    const arrows = output.locator('.jp-Redpill-arrow');
    await expect(arrows).toHaveCount(2);
    for (const arrow of await arrows.all()) {
      await expect(arrow).toHaveAttribute('data-to', address!);
    }

    // The box tells the truth: type int, the kernel's address, refcount 2.
    const box = boxes.first();
    await expect(box).toContainText('int');
    await expect(box).toContainText(address!);
    await expect(box.locator('.jp-Redpill-refcount')).toContainText('2');

    // The address is the one id() gives in the same kernel.
    await page.notebook.addCell('code', 'hex(id(age))');
    const last = (await page.notebook.getCellCount()) - 1;
    await page.notebook.runCell(last);
    expect(await page.notebook.getCellTextOutput(last)).toEqual([
      `'${address}'`
    ]);

    // One screenshot in the light theme; addresses change every run.
    expect(
      await output.screenshot({
        mask: [
          output.locator('.jp-Redpill-address'),
          output.locator('.jp-Redpill-typeAddress')
        ],
        animations: 'disabled'
      })
    ).toMatchSnapshot('skeleton-light.png');
  });
});
