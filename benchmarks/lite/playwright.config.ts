/**
 * Course-site benchmark (not a test suite: it prints numbers, asserts no
 * timings). Run from the repository root after `bash scripts/lite.sh`, or all
 * of it (build time and size too) with `bash benchmarks/lite_site.sh`:
 *
 *   PATH=$PWD/.venv/bin:$PATH npx playwright test -c benchmarks/lite
 *
 * It serves build/lite/ on 127.0.0.1 (REDPILL_LITE_PORT, default 8871) and
 * drives Debian's Chromium (CHROMIUM_PATH) with every other host unresolvable.
 */
import { defineConfig } from '@playwright/test';

import { chromiumUse, ONLY_LOCALHOST } from '../../ui-tests/chromium';
import * as path from 'path';

const PORT = Number(process.env.REDPILL_LITE_PORT ?? 8871);
const ROOT = path.join(__dirname, '..', '..');

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.bench\.ts/,
  outputDir: path.join(ROOT, 'ui-tests', 'test-results', 'lite-bench'),
  workers: 1,
  retries: 0,
  timeout: 600 * 1000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    ...chromiumUse([ONLY_LOCALHOST])
  },
  webServer: {
    command: `python ${path.join(ROOT, 'scripts', 'lite', 'serve.py')} ${path.join(ROOT, 'build', 'lite')} ${PORT}`,
    url: `http://127.0.0.1:${PORT}/jupyter-lite.json`,
    timeout: 60 * 1000,
    reuseExistingServer: false
  }
});
