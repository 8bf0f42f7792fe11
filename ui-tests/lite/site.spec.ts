/**
 * The course site in the browser alone: the tour opens in JupyterLite, the
 * Pyodide kernel (CPython compiled to 32-bit WebAssembly) starts with
 * `redpill` importable, the front end's autoload loads the magic, and every
 * %%redpill cell draws; --steps and --quiz work, quiz answers survive a reload
 * (the notebook is kept in the browser's storage), and no request leaves
 * 127.0.0.1 (other hosts do not even resolve: see playwright.config.ts).
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'fs';
import { join } from 'path';

/** What the tests reach through `window.jupyterapp`. */
interface IApp {
  commands: { execute(id: string, args?: unknown): Promise<unknown> };
  shell: { currentWidget: INotebookPanel | null };
}
interface INotebookPanel {
  context: { path: string };
  sessionContext: { session?: { kernel?: { status: string } | null } | null };
  content: {
    widgets: unknown[];
    activeCellIndex: number;
    activeCell: { model: { sharedModel: { setSource(s: string): void } } };
  };
}
declare global {
  // eslint-disable-next-line @typescript-eslint/naming-convention
  interface Window {
    jupyterapp?: IApp;
  }
}

const EXAMPLES = join(__dirname, '..', '..', 'examples');

/** How many code cells of an example notebook start with %%redpill. */
function redpillCells(name: string): number {
  const nb = JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8'));
  return (
    nb.cells as { cell_type: string; source: string | string[] }[]
  ).filter(
    c =>
      c.cell_type === 'code' &&
      [c.source].flat().join('').startsWith('%%redpill')
  ).length;
}

let requests: string[] = [];

test.beforeEach(async ({ context }) => {
  requests = [];
  // Every request of the page, its workers and its service worker.
  context.on('request', request => requests.push(request.url()));
  // For the tests only: expose the application object (JupyterLite's own
  // option) so cells can be added and run through JupyterLab's commands.
  await context.route('**/jupyter-lite.json', async route => {
    const response = await route.fetch();
    const json = await response.json();
    json['jupyter-config-data'] = {
      ...json['jupyter-config-data'],
      exposeAppInBrowser: true
    };
    await route.fulfill({ response, json });
  });
});

test.afterEach(async ({ baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const foreign = requests.filter(
    url => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url)
  );
  expect(foreign).toEqual([]);
});

/** Open a notebook of the site and wait for its Pyodide kernel to be idle. */
async function openNotebook(page: Page, path: string): Promise<void> {
  await page.goto(`lab/index.html?path=${path}`);
  await page.waitForFunction(
    p => window.jupyterapp?.shell.currentWidget?.context?.path === p,
    path,
    { timeout: 120_000 }
  );
  await page.waitForFunction(
    () =>
      window.jupyterapp?.shell.currentWidget?.sessionContext.session?.kernel
        ?.status === 'idle',
    undefined,
    { timeout: 180_000 }
  );
}

/** Append a code cell to the open notebook and run it; its output area. */
async function addAndRun(page: Page, source: string): Promise<Locator> {
  const index = await page.evaluate(async src => {
    const app = window.jupyterapp!;
    const notebook = app.shell.currentWidget!.content;
    notebook.activeCellIndex = notebook.widgets.length - 1;
    await app.commands.execute('notebook:insert-cell-below');
    notebook.activeCell.model.sharedModel.setSource(src);
    await app.commands.execute('notebook:run-cell');
    return notebook.activeCellIndex;
  }, source);
  return page.locator('.jp-NotebookPanel:visible .jp-Cell').nth(index);
}

function cell(page: Page, index: number): Locator {
  return page.locator('.jp-NotebookPanel:visible .jp-Cell').nth(index);
}

test('the tour runs in the browser: a 32-bit CPython, every %%redpill cell drawn', async ({
  page
}) => {
  await openNotebook(page, 'tour.ipynb');

  // The first code cell, run as a student would, with no set-up cell.
  await cell(page, 2).click();
  await page.keyboard.press('Shift+Enter');
  const first = cell(page, 2).locator('.jp-OutputArea-output.jp-Redpill');
  await expect(first.locator('svg.jp-Redpill-svg')).toBeVisible();
  await expect(first.locator('[data-name]')).toHaveCount(2);
  await expect(first.locator('.jp-Redpill-box')).toHaveCount(1);
  await expect(
    first.locator('.jp-Redpill-box .jp-Redpill-refcount')
  ).toHaveText('refcnt 2');
  await expect(first.locator('.jp-Redpill-box')).toContainText('1042');
  // The diagram names the interpreter it read: Pyodide's 32-bit CPython.
  await expect(first).toContainText('32-bit');

  // The interpreter behind it is Pyodide's CPython, 32-bit.
  const probe = await addAndRun(
    page,
    'import struct, sys\nprint(sys.platform, struct.calcsize("P") * 8, sys.implementation.name)'
  );
  await expect(probe.locator('.jp-OutputArea-output')).toHaveText(
    'emscripten 32 cpython'
  );

  await page.evaluate(() =>
    window.jupyterapp!.commands.execute('notebook:run-all-cells')
  );
  const notebook = page.locator('.jp-NotebookPanel:visible');
  await expect(
    notebook.locator('.jp-OutputArea-output.jp-Redpill svg.jp-Redpill-svg')
  ).toHaveCount(redpillCells('tour.ipynb'));
  await expect(notebook.locator('.jp-Cell[data-running]')).toHaveCount(0);
  await expect(
    notebook.locator(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
    )
  ).toHaveCount(0);
  await expect(notebook.locator('.jp-Redpill-error')).toHaveCount(0);
  await expect(
    notebook.locator('.jp-OutputArea-output').filter({ hasText: 'Traceback' })
  ).toHaveCount(0);

  // The recorder saw the kernel's own downloads (so an empty list of foreign
  // requests means something): Pyodide's runtime and the product's wheel.
  expect(
    requests.some(u => u.endsWith('/static/pyodide/pyodide.asm.wasm'))
  ).toBe(true);
  expect(
    requests.some(u => /\/static\/pyodide\/jupyterlab_redpill-.*\.whl$/.test(u))
  ).toBe(true);
});

test('--steps and --quiz in the browser; quiz answers kept after a reload', async ({
  page
}) => {
  await openNotebook(page, 'tour.ipynb');

  const steps = (
    await addAndRun(page, '%%redpill --steps\na = 1042\nb = a\ndel a')
  ).locator('.jp-Redpill');
  const refcount = steps.locator('.jp-Redpill-box .jp-Redpill-refcount');
  await expect(steps.locator('.jp-Redpill-stepLabel')).toHaveText(
    'Step 3 of 3 (line 4)'
  );
  await expect(refcount).toHaveText('refcnt 1');
  await steps.getByRole('button', { name: 'Previous step' }).click();
  await expect(refcount).toHaveText('refcnt 2');
  await expect(steps.locator('.jp-Redpill-changeBadge')).toHaveText(
    'refcnt 1 → 2 ↑'
  );
  await steps.getByRole('button', { name: 'Next step' }).click();
  await expect(refcount).toHaveText('refcnt 1');

  const quizCell = await addAndRun(
    page,
    '%%redpill --quiz refcount\nx = [1042]\ny = x'
  );
  const q1 = quizCell.locator('.jp-Redpill [data-question="q1"]');
  await expect(q1).toBeVisible();
  // The list's count is the question: hidden until revealed.
  await expect(quizCell.locator('svg.jp-Redpill-svg')).toContainText(
    'refcnt ?'
  );
  await expect(quizCell.locator('svg.jp-Redpill-svg')).not.toContainText(
    'refcnt 2'
  );
  const input = q1.getByRole('textbox');
  await input.fill('3');
  await q1.getByRole('button', { name: /^Check/ }).click();
  await expect(q1.getByRole('status')).toHaveText('✗ Not quite');
  await input.fill('2');
  await q1.getByRole('button', { name: /^Check/ }).click();
  await expect(q1.getByRole('status')).toHaveText('✓ Right');
  await page.evaluate(() =>
    window.jupyterapp!.commands.execute('docmanager:save')
  );
  await expect(
    page.locator('.jp-NotebookPanel:visible .jp-mod-dirty')
  ).toHaveCount(0);

  // Reload: the notebook comes back from the browser's storage.
  await page.reload();
  await page.waitForFunction(
    () =>
      window.jupyterapp?.shell.currentWidget?.context?.path === 'tour.ipynb',
    undefined,
    { timeout: 120_000 }
  );
  const again = page.locator(
    '.jp-NotebookPanel:visible .jp-Redpill [data-question="q1"]'
  );
  await expect(again.getByRole('status')).toHaveText('✓ Right');
  await expect(again.locator('input')).toHaveValue('2');
  await expect(again).not.toContainText('Answer:');
});

test('the assignment notebook runs with its reference solution', async ({
  page
}) => {
  await openNotebook(page, 'assignment.ipynb');
  await page.evaluate(() =>
    window.jupyterapp!.commands.execute('notebook:run-all-cells')
  );
  const notebook = page.locator('.jp-NotebookPanel:visible');
  const code = JSON.parse(
    readFileSync(join(EXAMPLES, 'assignment.ipynb'), 'utf8')
  ).cells.filter((c: { cell_type: string }) => c.cell_type === 'code').length;
  // Every code cell ran (has an execution count) and none failed.
  await expect(
    notebook.locator('.jp-InputPrompt').filter({ hasText: /\[\d+\]/ })
  ).toHaveCount(code);
  await expect(
    notebook.locator(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
    )
  ).toHaveCount(0);
  await expect(
    notebook.locator('.jp-OutputArea-output').filter({ hasText: 'Error' })
  ).toHaveCount(0);
});
