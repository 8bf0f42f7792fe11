/**
 * The live diagram where our extension is not installed: the pages of
 * `python scripts/live_pages.py` (nbconvert's HTML of the executed tour, the
 * sanitized export, a hostile notebook, a VS Code-like and a Colab-like page;
 * see the script for what each stands in for), served from build/live-pages
 * on 127.0.0.1 and opened in Debian's Chromium with every other host
 * unresolvable: no extension, no network.
 */
import { defineConfig } from '@playwright/test';

import { chromiumUse, ONLY_LOCALHOST } from '../chromium';

const PORT = Number(process.env.REDPILL_LIVE_PORT ?? 8911);

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../test-results/live',
  workers: 1,
  retries: 0,
  // Generous: these only catch a freeze.
  timeout: 120 * 1000,
  expect: {
    timeout: 30 * 1000,
    toHaveScreenshot: { maxDiffPixelRatio: 0.02 }
  },
  snapshotPathTemplate: '{testDir}/{testFileName}-snapshots/{arg}{ext}',
  reporter: [
    ['list'],
    [
      'json',
      {
        outputFile:
          process.env.REDPILL_LIVE_JSON ?? '../test-results/live/results.json'
      }
    ]
  ],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1100, height: 900 },
    ...chromiumUse([ONLY_LOCALHOST])
  },
  webServer: {
    command: `python -m http.server ${PORT} --bind 127.0.0.1 --directory ../../build/live-pages`,
    url: `http://127.0.0.1:${PORT}/manifest.json`,
    timeout: 60 * 1000,
    reuseExistingServer: false
  }
});
