/**
 * The front ends that show the kernel's own output, in Debian's Chromium with
 * every host but 127.0.0.1 unresolvable: the tour built by Sphinx + myst-nb
 * (opened from disk) and served by Voila, once with this labextension and
 * once without it. `bash scripts/frontends.sh` prepares build/frontends/ first.
 */
import * as path from 'path';
import { defineConfig } from '@playwright/test';

import { chromiumUse, ONLY_LOCALHOST } from '../chromium';

const ROOT = path.resolve(__dirname, '..', '..');
const BUILD = path.join(ROOT, 'build', 'frontends');
const PORT = Number(process.env.REDPILL_FRONTENDS_PORT ?? 8921);
/** The Voila server with the labextension (the MIME renderer draws). */
export const VOILA_WITH = `http://127.0.0.1:${PORT}`;
/** The Voila server told to leave the labextension out. */
export const VOILA_WITHOUT = `http://127.0.0.1:${PORT + 1}`;

/** A Voila server on the tour, its kernels loading %%redpill from the profile. */
function voila(port: number, ...flags: string[]) {
  return {
    command: [
      path.join(ROOT, '.venv', 'bin', 'voila'),
      '--no-browser',
      `--port=${port}`,
      '--Voila.ip=127.0.0.1',
      ...flags,
      path.join(BUILD, 'voila', 'tour.ipynb')
    ].join(' '),
    url: `http://127.0.0.1:${port}/`,
    timeout: 120 * 1000,
    reuseExistingServer: false,
    env: {
      ...(process.env as Record<string, string>),
      IPYTHONDIR: path.join(BUILD, 'ipython'),
      PYTHONPATH: ROOT
    }
  };
}

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../test-results/frontends',
  workers: 1,
  retries: 0,
  // A Voila page runs the whole tour in a fresh kernel: these catch a freeze.
  timeout: 180 * 1000,
  expect: { timeout: 90 * 1000 },
  reporter: [
    ['list'],
    [
      'json',
      {
        outputFile:
          process.env.REDPILL_FRONTENDS_JSON ??
          '../test-results/frontends/results.json'
      }
    ]
  ],
  use: chromiumUse([ONLY_LOCALHOST]),
  webServer: [
    voila(PORT),
    voila(
      PORT + 1,
      `--VoilaConfiguration.extension_denylist="['jupyterlab-redpill']"`
    )
  ]
});
