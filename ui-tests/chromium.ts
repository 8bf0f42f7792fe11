/**
 * Debian's Chromium, as every Playwright suite of the project drives it
 * (browsers cannot be downloaded here): the launch options and recording
 * settings of a config's `use`.
 */

/** The flags of every run: no sandbox (root), no GPU, no calls home. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
];

/** Makes every host but 127.0.0.1 unresolvable: a page that needs one fails. */
export const ONLY_LOCALHOST =
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1';

/**
 * The `use` settings for Debian's Chromium (`CHROMIUM_PATH` overrides the
 * path), with `extraFlags` added to the launch flags.
 */
export function chromiumUse(extraFlags: string[] = []) {
  return {
    browserName: 'chromium' as const,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [...FLAGS, ...extraFlags]
    },
    video: 'off' as const,
    trace: 'off' as const
  };
}
