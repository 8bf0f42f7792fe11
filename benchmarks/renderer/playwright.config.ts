/**
 * Renderer benchmark (not a test suite: it prints numbers, asserts no
 * timings). Run from the repository root, after `bash scripts/setup.sh`:
 *
 *   PATH=$PWD/.venv/bin:$PATH npx playwright test -c benchmarks/renderer
 *
 * It starts (or reuses) the galata JupyterLab server of ui-tests/ on port
 * 8888 (REDPILL_UI_PORT) and drives Debian's Chromium (CHROMIUM_PATH).
 */
import { defineConfig } from '@playwright/test';

import { chromiumUse } from '../../ui-tests/chromium';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

const PORT = Number(process.env.REDPILL_UI_PORT ?? 8888);

export default defineConfig({
  ...baseConfig,
  testDir: '.',
  testMatch: /.*\.bench\.ts/,
  outputDir: path.join(
    __dirname,
    '..',
    '..',
    'ui-tests',
    'test-results',
    'bench'
  ),
  workers: 1,
  retries: 0,
  timeout: 300 * 1000,
  reporter: [['list']],
  use: {
    ...baseConfig.use,
    baseURL: `http://localhost:${PORT}`,
    ...chromiumUse(),
    viewport: { width: 1600, height: 1000 }
  },
  webServer: {
    command: `jupyter lab --config jupyter_server_test_config.py --port ${PORT}`,
    cwd: path.join(__dirname, '..', '..', 'ui-tests'),
    url: `http://localhost:${PORT}/lab`,
    timeout: 180 * 1000,
    reuseExistingServer: true
  }
});
