/**
 * Galata (Playwright) configuration: a real JupyterLab server from the project
 * environment, driven in Debian's Chromium (browsers cannot be downloaded here).
 */
import { defineConfig } from '@playwright/test';

import { chromiumUse } from './chromium';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

const PORT = Number(process.env.REDPILL_UI_PORT ?? 8888);

export default defineConfig({
  ...baseConfig,
  testDir: './tests',
  outputDir: './test-results',
  // One server, one browser: two cores are all we have.
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [
    ['list'],
    [
      'json',
      { outputFile: process.env.REDPILL_UI_JSON ?? 'test-results/results.json' }
    ]
  ],
  expect: { toHaveScreenshot: { maxDiffPixelRatio: 0.02 } },
  snapshotPathTemplate: '{testDir}/{testFileName}-snapshots/{arg}{ext}',
  use: {
    ...baseConfig.use,
    baseURL: `http://localhost:${PORT}`,
    ...chromiumUse()
  },
  webServer: {
    command: `jupyter lab --config jupyter_server_test_config.py --port ${PORT}`,
    url: `http://localhost:${PORT}/lab`,
    timeout: 180 * 1000,
    reuseExistingServer: !process.env.CI
  }
});
