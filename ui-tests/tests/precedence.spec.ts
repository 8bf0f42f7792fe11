/**
 * The kernel's text/html carries the live diagram (a script that draws the
 * payload where our extension is not installed). In JupyterLab the MIME
 * renderer (rank 35, before text/html's 50) draws instead, in untrusted and
 * trusted notebooks, and the embedded script never runs: every run of it
 * adds one to `window.redpillLiveRuns`. A control shows the marker works:
 * the same output without our MIME type, trusted, does run the script.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';

import { notebookJson } from './notebook';

/** Prints the display bundle the magic publishes (the kernel's own output). */
const CAPTURE = [
  'import json',
  'from IPython.utils.capture import capture_output',
  'capturing = capture_output()',
  'captured = capturing.__enter__()',
  "get_ipython().run_cell_magic('redpill', '', 'age = 1042\\nb = age')",
  'capturing.__exit__(None, None, None)',
  'print(json.dumps(captured.outputs[0].data))'
].join('\n');

const MIME = 'application/vnd.redpill.v1+json';

/** What the embedded script leaves on `window`. */
interface ILiveWindow {
  redpillLiveRuns?: number;
}

function liveRuns(page: IJupyterLabPageFixture): Promise<number | undefined> {
  return page.evaluate(() => (window as ILiveWindow).redpillLiveRuns);
}

/** Run CAPTURE in a scratch notebook and return the bundle it printed. */
async function kernelBundle(
  page: IJupyterLabPageFixture
): Promise<Record<string, unknown>> {
  await page.notebook.createNew('capture.ipynb');
  await page.notebook.setCell(0, 'code', CAPTURE);
  await page.notebook.runCell(0);
  const printed = (await page.notebook.getCellTextOutput(0))!.join('');
  await page.notebook.close(true);
  return JSON.parse(printed);
}

/** Trust the active notebook (JupyterLab's command, its dialog accepted). */
async function trust(page: IJupyterLabPageFixture): Promise<void> {
  await page.evaluate(() => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    void (window as any).jupyterapp.commands.execute('notebook:trust');
  });
  await page.locator('.jp-Dialog .jp-mod-accept').click();
  await expect(page.locator('[data-icon="ui-components:trusted"]')).toHaveCount(
    1
  );
}

/** Upload a notebook holding `data` as one output, and open it. */
async function openWith(
  page: IJupyterLabPageFixture,
  path: string,
  data: Record<string, unknown>
): Promise<void> {
  const notebook = notebookJson([
    {
      cell_type: 'code',
      execution_count: 1,
      metadata: {},
      outputs: [{ output_type: 'display_data', data, metadata: {} }],
      source: '%%redpill\nage = 1042\nb = age'
    }
  ]);
  // No signature: JupyterLab opens it untrusted.
  await page.contents.uploadContent(notebook, 'text', path);
  await page.notebook.openByPath(path);
  await page.notebook.activate(path);
}

test.describe('the MIME renderer wins over the live text/html', () => {
  test('untrusted and trusted: drawn by the renderer, the script never runs', async ({
    page,
    tmpPath
  }) => {
    const data = await kernelBundle(page);
    const html = String(data['text/html']);
    // The output really carries the live diagram and its script.
    expect(html).toContain('class="redpill-live"');
    expect(html).toContain('<script>');
    expect(data[MIME]).toBeTruthy();

    const path = `${tmpPath}/live-untrusted.ipynb`;
    await openWith(page, path, data);
    const output = (await page.notebook.getCellOutputLocator(0))!;
    await expect(
      output.locator('.jp-Redpill svg.jp-Redpill-svg')
    ).toBeVisible();
    await expect(output.locator('.redpill-live')).toHaveCount(0);
    expect(await liveRuns(page)).toBeUndefined();

    await trust(page);
    await expect(
      output.locator('.jp-Redpill svg.jp-Redpill-svg')
    ).toBeVisible();
    await expect(output.locator('.redpill-live')).toHaveCount(0);
    expect(await liveRuns(page)).toBeUndefined();
  });

  test('control: the same text/html alone, trusted, runs the script and draws', async ({
    page,
    tmpPath
  }) => {
    const data = await kernelBundle(page);
    const htmlOnly = {
      'text/html': data['text/html'],
      'text/plain': data['text/plain']
    };
    const path = `${tmpPath}/live-html-only.ipynb`;
    await openWith(page, path, htmlOnly);
    const output = (await page.notebook.getCellOutputLocator(0))!;
    // Untrusted: JupyterLab sanitizes the HTML; the table shows, nothing runs.
    await expect(
      output.locator('.redpill-fallback table').first()
    ).toBeVisible();
    expect(await liveRuns(page)).toBeUndefined();

    await trust(page);
    await expect(
      output.locator('div.redpill-live[data-redpill-drawn="true"] svg')
    ).toBeVisible();
    expect(await liveRuns(page)).toBeGreaterThanOrEqual(1);
  });
});
