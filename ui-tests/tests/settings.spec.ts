/**
 * Settings (schema/settings/plugin.json) are honoured live: changing them in the
 * setting registry (what the Settings Editor does) redraws the outputs already
 * on the page.
 */
import { expect, test } from '@jupyterlab/galata';

import { runRedpill } from './notebook';

const PLUGIN = 'jupyterlab-redpill:plugin';

test.use({ autoGoto: true });

async function setSetting(
  page: import('@playwright/test').Page,
  key: string,
  value: unknown
): Promise<void> {
  await page.evaluate(
    async ({ plugin, key, value }) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const galata = (window as any).galata;
      const registry = await galata.getPlugin(
        '@jupyterlab/apputils-extension:settings'
      );
      await registry.set(plugin, key, value);
    },
    { plugin: PLUGIN, key, value }
  );
}

test('address format, maximum objects and memory view follow the settings live', async ({
  page
}) => {
  const output = await runRedpill(
    page,
    'settings.ipynb',
    '%%redpill\nage = 1042\nwords = ["one", "two", age]'
  );
  const address = output.locator('.jp-Redpill-address').first();
  await expect(address).toHaveText(/^at 0x[0-9a-f]{6,}$/);
  const full = (await output
    .locator('.jp-Redpill-box')
    .first()
    .getAttribute('data-address'))!;
  await expect(output.locator('.jp-Redpill-box')).toHaveCount(4);

  try {
    await setSetting(page, 'addressFormat', 'short');
    await expect(address).toHaveText(`at 0x…${full.slice(-4)}`);

    await setSetting(page, 'maxObjects', 2);
    await expect(output.locator('.jp-Redpill-box')).toHaveCount(2);
    await expect(output).toContainText('2 objects not drawn');

    await setSetting(page, 'memoryOpen', true);
    await output.locator('.jp-Redpill-box').first().click();
    await expect(output.locator('details.jp-Redpill-memory')).toHaveAttribute(
      'open',
      ''
    );
  } finally {
    for (const key of ['addressFormat', 'maxObjects', 'memoryOpen']) {
      await page.evaluate(
        async ({ plugin, key }) => {
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          const galata = (window as any).galata;
          const registry = await galata.getPlugin(
            '@jupyterlab/apputils-extension:settings'
          );
          await registry.remove(plugin, key);
        },
        { plugin: PLUGIN, key }
      );
    }
  }
  await expect(address).toHaveText(`at ${full}`);
  await expect(output.locator('.jp-Redpill-box')).toHaveCount(4);
});
