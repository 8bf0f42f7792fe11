/**
 * The C story in a real JupyterLab: `age = 1042` under %%redpill, its box
 * says how CPython made it; selecting it shows the call path with links to
 * CPython's source (new tab, the fixed GitHub prefix, the running version's
 * tag), the allocation, and the struct's declaration, whose members
 * highlight their bytes in the memory view. Light and dark screenshots of the
 * call path and the declaration (they hold no address, so they are stable
 * for one interpreter version).
 */
import { expect, test } from '@jupyterlab/galata';

import { runRedpill } from './notebook';

test.use({ autoGoto: true, viewport: { width: 1400, height: 1800 } });

const PREFIX = 'https://github.com/python/cpython/blob/v3.';

test('call path, links and declaration, light and dark', async ({ page }) => {
  test.setTimeout(120000);
  const output = await runRedpill(
    page,
    'cstory.ipynb',
    '%%redpill\nage = 1042'
  );
  const box = output.locator('.jp-Redpill-box[data-kind="int"]');
  await expect(box.locator('.jp-Redpill-madeBy')).toHaveText([
    'made by PyLong_FromLong',
    '→ _PyLong_FromMedium → PyObject_Malloc',
    'a literal: made when the cell was compiled'
  ]);
  await box.click();
  const details = output.locator('.jp-Redpill-details');

  // the call path, each function a link to CPython's source at this tag
  const steps = details.locator('.jp-Redpill-callStep');
  await expect(steps).toHaveCount(3);
  await expect(steps.locator('a')).toHaveText([
    'PyLong_FromLong',
    '_PyLong_FromMedium',
    'PyObject_Malloc'
  ]);
  for (const link of await details.locator('a').all()) {
    expect(await link.getAttribute('href')).toMatch(
      /^https:\/\/github\.com\/python\/cpython\/blob\/v3\.\d+\.\d+\/(Objects|Include)\/[\w/]+\.[ch](#L\d+)?$/
    );
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toContain('noopener');
  }
  const first = await steps.first().locator('a').getAttribute('href');
  expect(first!.startsWith(PREFIX)).toBe(true);
  expect(first).toContain('/Objects/longobject.c');
  await expect(steps.first()).toContainText('compiled');
  await expect(details.locator('.jp-Redpill-allocation')).toContainText(
    'allocation:'
  );

  // the declaration, from the kernel's own headers (the test environment has them)
  const decl = details.locator('.jp-Redpill-declaration');
  await expect(decl.locator('.jp-Redpill-declSource')).toContainText(
    "from your Python's headers: Include/cpython/longintrepr.h line "
  );
  await expect(decl.locator('.jp-Redpill-declText')).toContainText(
    'struct _longobject {'
  );
  // a member's click highlights its bytes in the (opened) memory view
  const member = decl.locator('.jp-Redpill-member').last();
  await member.click();
  await expect(details.locator('details.jp-Redpill-memory')).toHaveAttribute(
    'open',
    ''
  );
  const lit = details.locator('.jp-Redpill-hexByte.jp-Redpill-hl');
  expect(await lit.count()).toBeGreaterThanOrEqual(4);
  const titles = new Set(
    await lit.evaluateAll(nodes => nodes.map(n => n.getAttribute('title')))
  );
  expect(titles.has('ob_digit[0]')).toBe(true);

  const birth = details.locator('section.jp-Redpill-birth');
  for (const theme of ['light', 'dark']) {
    if (theme === 'dark') {
      await page.theme.setDarkTheme();
    }
    await birth.scrollIntoViewIfNeeded();
    expect(await birth.screenshot({ animations: 'disabled' })).toMatchSnapshot(
      `cstory-path-${theme}.png`
    );
    expect(await decl.screenshot({ animations: 'disabled' })).toMatchSnapshot(
      `cstory-declaration-${theme}.png`
    );
  }
  await page.theme.setLightTheme();
});
