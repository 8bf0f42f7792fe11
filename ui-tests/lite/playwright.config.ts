/**
 * The course site (JupyterLite, built by `bash scripts/lite.sh` into
 * build/lite/) served on 127.0.0.1 and driven in Debian's Chromium, with every
 * other host unresolvable: the Pyodide kernel, %%redpill and the renderer run
 * in the browser alone.
 */
import { defineConfig } from '@playwright/test';

import { chromiumUse, ONLY_LOCALHOST } from '../chromium';

const PORT = Number(process.env.REDPILL_LITE_PORT ?? 8870);

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../test-results/lite',
  workers: 1,
  retries: 0,
  // The Pyodide kernel takes 10-20 s to start; these only catch a freeze.
  timeout: 300 * 1000,
  expect: { timeout: 120 * 1000 },
  reporter: [
    ['list'],
    [
      'json',
      {
        outputFile:
          process.env.REDPILL_LITE_JSON ?? '../test-results/lite/results.json'
      }
    ]
  ],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    ...chromiumUse([ONLY_LOCALHOST])
  },
  webServer: {
    command: `python ../../scripts/lite/serve.py ../../build/lite ${PORT}`,
    url: `http://127.0.0.1:${PORT}/jupyter-lite.json`,
    timeout: 60 * 1000,
    reuseExistingServer: false
  }
});
