/**
 * A stranger's folder: a `redpill.py` next to a notebook (a cloned
 * repository) is never imported when the notebook opens, because the front
 * end's autoload only loads the installed package; `%%redpill` still works.
 */
import { expect, test } from '@jupyterlab/galata';
import { notebookJson } from './notebook';

test.use({ autoGoto: true });

/** Leaves a marker file next to itself and a flag in builtins when imported. */
const PLANTED = [
  'import builtins, pathlib',
  'builtins.__redpill_planted__ = True',
  "pathlib.Path(__file__).with_name('planted-ran.txt').write_text('ran')",
  '',
  'def load_ipython_extension(ipython):',
  '    builtins.__redpill_planted_loaded__ = True',
  ''
].join('\n');

const notebook = notebookJson([
  {
    cell_type: 'code',
    execution_count: null,
    metadata: {},
    outputs: [],
    source: '%%redpill\nanswer = 1042'
  },
  {
    cell_type: 'code',
    execution_count: null,
    metadata: {},
    outputs: [],
    source: [
      'import builtins, os, sys',
      "print('planted flag:', hasattr(builtins, '__redpill_planted__'))",
      "print('from cwd:', sys.modules['redpill'].__file__.startswith(os.getcwd()))"
    ].join('\n')
  }
]);

for (const layout of ['module', 'package'] as const) {
  test(`a planted redpill ${layout} next to the notebook never runs`, async ({
    page,
    tmpPath
  }) => {
    const file =
      layout === 'module'
        ? `${tmpPath}/redpill.py`
        : `${tmpPath}/redpill/__init__.py`;
    await page.contents.uploadContent(PLANTED, 'text', file);
    const path = `${tmpPath}/cloned.ipynb`;
    await page.contents.uploadContent(notebook, 'text', path);
    await page.notebook.openByPath(path);
    await page.notebook.activate('cloned.ipynb');
    // The autoload is sent when the kernel is first idle: wait until the
    // kernel has loaded an extension named redpill (whichever it found).
    const probe = () =>
      page.evaluate(async () => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const app = (window as any).jupyterapp;
        const kernel =
          app?.shell?.currentWidget?.sessionContext?.session?.kernel;
        if (!kernel || kernel.status !== 'idle') {
          return 'no idle kernel';
        }
        let text = '';
        const future = kernel.requestExecute({
          code: "print('redpill' in get_ipython().extension_manager.loaded)",
          silent: false,
          store_history: false
        });
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        future.onIOPub = (msg: any) => {
          if (msg.header.msg_type === 'stream') {
            text += msg.content.text;
          }
        };
        await future.done;
        return text.trim();
      });
    await expect.poll(probe, { timeout: 30000, intervals: [500] }).toBe('True');

    // The installed package was loaded: the magic draws.
    await page.notebook.runCell(0);
    const output = (await page.notebook.getCellOutputLocator(0))!.locator(
      '.jp-Redpill'
    );
    await expect(output.locator('svg.jp-Redpill-svg')).toBeVisible();
    await expect(output.locator('[data-name="answer"]')).toHaveCount(1);

    // The planted module never ran.
    await page.notebook.runCell(1);
    const text = (await page.notebook.getCellOutputLocator(1))!;
    await expect(text).toContainText('planted flag: False');
    await expect(text).toContainText('from cwd: False');
    expect(await page.contents.fileExists(`${tmpPath}/planted-ran.txt`)).toBe(
      false
    );
  });
}
