/**
 * Shared galata steps: a new notebook whose first cell runs a %%redpill
 * source, and the redpill output it draws.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

/**
 * Create the notebook `name`, run `source` in its first cell and return the
 * cell's redpill output (`.jp-Redpill`).
 */
export async function runRedpill(
  page: IJupyterLabPageFixture,
  name: string,
  source: string
): Promise<Locator> {
  await page.notebook.createNew(name);
  await page.notebook.setCell(0, 'code', source);
  await page.notebook.runCell(0);
  return (await page.notebook.getCellOutputLocator(0))!.locator('.jp-Redpill');
}

/** The JSON of a Python 3 notebook holding `cells` (nbformat 4.5). */
export function notebookJson(cells: unknown[]): string {
  return JSON.stringify({
    cells,
    metadata: {
      kernelspec: {
        name: 'python3',
        display_name: 'Python 3 (ipykernel)',
        language: 'python'
      }
    },
    nbformat: 4,
    nbformat_minor: 5
  });
}
