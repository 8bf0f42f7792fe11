/**
 * A real JupyterHub (scripts/hub.sh: JupyterHub from PyPI, its proxy from the
 * npm registry, two local accounts) driven in Debian's Chromium.
 */
import { defineConfig } from '@playwright/test';

import { chromiumUse } from '../chromium';

const PORT = Number(process.env.REDPILL_HUB_PORT ?? 8880);

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../test-results/hub',
  workers: 1,
  retries: 0,
  // Spawning a single-user server and its kernel; these only catch a freeze.
  timeout: 300 * 1000,
  expect: { timeout: 90 * 1000 },
  reporter: [
    ['list'],
    [
      'json',
      {
        outputFile:
          process.env.REDPILL_HUB_JSON ?? '../test-results/hub/results.json'
      }
    ]
  ],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    ...chromiumUse()
  },
  webServer: {
    command: `bash ../../scripts/hub.sh run ${PORT}`,
    url: `http://127.0.0.1:${PORT}/hub/login`,
    timeout: 120 * 1000,
    reuseExistingServer: false,
    // JupyterHub stops the users' servers and its proxy on SIGTERM (they run
    // in sessions of their own, which killing the hub's group would leave).
    gracefulShutdown: { signal: 'SIGTERM', timeout: 30 * 1000 }
  }
});
