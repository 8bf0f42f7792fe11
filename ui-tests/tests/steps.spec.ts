/**
 * --steps line by line with call frames, in a real JupyterLab and in
 * Notebook 7 with a real kernel: a recursive factorial(4) stepped through
 * with the Next button and the slider. The stack of frame boxes goes
 * 0 → 4 → 0 calls one level at a time, each frame's n holds its own int, the
 * returning frame shows its return value, the current line follows the label,
 * and the picture says how many steps were recorded. Screenshots in the light
 * and dark themes at the deepest step (what changes between runs hidden).
 */
import { expect, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

import { notebookJson } from './notebook';

test.use({ autoGoto: true, viewport: { width: 1400, height: 2000 } });

const SOURCE = [
  '%%redpill --steps',
  'def fact(n):',
  '    if n <= 1:',
  '        return 1',
  '    return n * fact(n - 1)',
  '',
  'r = fact(4)'
].join('\n');

/**
 * Hidden in screenshots: what varies between runs (as in kinds.spec.ts), and
 * the function's box (its file is the cell's, named anew every run, and the
 * box is as wide as that name).
 */
const VOLATILE_STYLE = `
.jp-Redpill-box[data-kind='function'],
.jp-Redpill-volatile,
.jp-Redpill-shared .jp-Redpill-refcount,
.jp-Redpill-shared .jp-Redpill-holders,
.jp-Redpill-badge-unexplained { visibility: hidden; }
.jp-Redpill-notices, .jp-Redpill-stepChanges { display: none; }
`;

function notebook(): string {
  return notebookJson([
    {
      cell_type: 'code',
      execution_count: null,
      metadata: {},
      outputs: [],
      source: SOURCE
    }
  ]);
}

/** What one step shows: how many calls, the label, the marked line. */
interface IShown {
  depth: number;
  label: string;
  line: string | null;
}

async function shown(output: Locator): Promise<IShown> {
  return {
    depth: (await output.locator('.jp-Redpill-stackFrame').count()) - 1,
    label: (await output.locator('.jp-Redpill-stepLabel').textContent()) ?? '',
    line: await output
      .locator('.jp-Redpill-sourceLine.jp-Redpill-current')
      .first()
      .getAttribute('data-line')
  };
}

/**
 * Step through every step from the first with Next; checks each step and
 * returns what each one showed.
 */
async function stepThrough(output: Locator): Promise<IShown[]> {
  const slider = output.locator('.jp-Redpill-stepSlider');
  const count = Number(await slider.getAttribute('max'));
  expect(count).toBeGreaterThan(8);
  await slider.fill('1');
  await expect(output.locator('.jp-Redpill-stepLabel')).toContainText(
    `Step 1 of ${count}`
  );
  const next = output.locator('.jp-Redpill-stepNext');
  const seen: IShown[] = [await shown(output)];
  for (let i = 2; i <= count; i++) {
    await next.click();
    await expect(output.locator('.jp-Redpill-stepLabel')).toContainText(
      `Step ${i} of ${count}`
    );
    seen.push(await shown(output));
  }
  await expect(next).toBeDisabled();
  // The calls go 0 → 4 → 0, one level at a time.
  const depths = seen.map(s => s.depth);
  expect(depths[0]).toBe(0);
  expect(depths[depths.length - 1]).toBe(0);
  expect(Math.max(...depths)).toBe(4);
  for (let i = 1; i < depths.length; i++) {
    expect(Math.abs(depths[i] - depths[i - 1])).toBeLessThanOrEqual(1);
  }
  // The marked line is the label's line.
  for (const s of seen) {
    const m = /\(line (\d+)\)/.exec(s.label);
    expect(m, s.label).not.toBeNull();
    expect(s.line).toBe(m![1]);
  }
  return seen;
}

/** Go to the step `index` (0-based) with the slider. */
async function goTo(output: Locator, index: number): Promise<void> {
  await output.locator('.jp-Redpill-stepSlider').fill(String(index + 1));
  await expect(output.locator('.jp-Redpill-steps')).toHaveAttribute(
    'data-step',
    String(index)
  );
}

/** The value (repr) of the box a name row points at. */
async function valueOf(output: Locator, row: Locator): Promise<string> {
  const address = await row.getAttribute('data-target');
  const box = output.locator(`.jp-Redpill-box[data-address="${address}"]`);
  const label = (await box.getAttribute('aria-label')) ?? '';
  return /value ([^,]+)/.exec(label)?.[1] ?? '';
}

/** At the deepest step: four fact frames under the global one, n = 4 … 1. */
async function checkDeepest(output: Locator): Promise<void> {
  const frames = output.locator('.jp-Redpill-stackFrame');
  await expect(frames).toHaveCount(5);
  await expect(
    frames.first().locator('.jp-Redpill-stackFrameTitle')
  ).toHaveText('Global frame');
  const values: string[] = [];
  for (let k = 1; k < 5; k++) {
    const frame = frames.nth(k);
    await expect(frame.locator('.jp-Redpill-stackFrameTitle')).toHaveText(
      'fact'
    );
    const call = await frame.getAttribute('data-call');
    const n = output.locator(
      `.jp-Redpill-name[data-frame="${call}"][data-name="n"]`
    );
    await expect(n).toHaveCount(1);
    values.push(await valueOf(output, n));
    // An arrow leaves each frame's n.
    await expect(
      output.locator(`.jp-Redpill-arrow-name[data-frame="${call}"]`)
    ).toHaveCount(1);
  }
  expect(values).toEqual(['4', '3', '2', '1']);
  await expect(frames.last()).toHaveClass(/jp-Redpill-stackFrame-current/);
}

/** The last return: the outermost fact returns 24 ("Return value" row). */
async function checkReturn(output: Locator, seen: IShown[]): Promise<void> {
  let last = -1;
  seen.forEach((s, i) => {
    if (/fact returns/.test(s.label) && s.depth === 1) {
      last = i;
    }
  });
  expect(last).toBeGreaterThan(0);
  await goTo(output, last);
  const row = output.locator('.jp-Redpill-name-return');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveText('Return value');
  expect(await valueOf(output, row)).toBe('24');
}

async function screenshots(
  output: Locator,
  name: string,
  setTheme: (theme: 'light' | 'dark') => Promise<void>
): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(theme);
    await output.scrollIntoViewIfNeeded();
    expect(
      await output.screenshot({ style: VOLATILE_STYLE, animations: 'disabled' })
    ).toMatchSnapshot(`${name}-${theme}.png`);
  }
  await setTheme('light');
}

/** The index of the deepest step where the innermost call runs its line. */
function deepestIndex(seen: IShown[]): number {
  return seen.findIndex(s => s.depth === 4 && !/· call/.test(s.label));
}

test('steps through factorial(4) frame by frame in JupyterLab', async ({
  page,
  tmpPath
}) => {
  test.setTimeout(180000);
  const path = `${tmpPath}/steps.ipynb`;
  await page.contents.uploadContent(notebook(), 'text', path);
  await page.notebook.openByPath(path);
  await page.notebook.activate(path);
  await page.notebook.runCell(0);
  const output = (await page.notebook.getCellOutputLocator(0))!.locator(
    '.jp-Redpill'
  );
  await expect(output.locator('.jp-Redpill-steps')).toBeVisible();
  await expect(output.locator('.jp-Redpill-error')).toHaveCount(0);
  await expect(output.locator('.jp-Redpill-stepCounts')).toHaveText(
    /^\d+ steps recorded: every line executed \(\d+ lines\), and each call, return and raise\.$/
  );

  const seen = await stepThrough(output);
  await checkReturn(output, seen);

  // ← and → move one step (from the buttons' focus, as a user tabs there).
  const deepest = deepestIndex(seen);
  await goTo(output, deepest + 1);
  await output.locator('.jp-Redpill-stepPrev').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(output.locator('.jp-Redpill-steps')).toHaveAttribute(
    'data-step',
    String(deepest)
  );
  await checkDeepest(output);

  await screenshots(output, 'steps-factorial', async theme =>
    theme === 'dark' ? page.theme.setDarkTheme() : page.theme.setLightTheme()
  );

  // The frame local is a holder of its int.
  const n1 = output
    .locator('.jp-Redpill-name[data-frame][data-name="n"]')
    .last();
  const address = await n1.getAttribute('data-target');
  await output.locator(`.jp-Redpill-box[data-address="${address}"]`).click();
  await expect(output.locator('.jp-Redpill-holdersList')).toContainText(
    'frame fact: n'
  );
});

test('steps through factorial(4) in Notebook 7', async ({
  page,
  tmpPath,
  baseURL
}) => {
  test.setTimeout(180000);
  const path = `${tmpPath}/steps7.ipynb`;
  await page.contents.uploadContent(notebook(), 'text', path);
  const url = `${baseURL}/notebooks/${path}`;
  await page.evaluate(href => window.location.assign(href), url);
  await page.waitForURL(url);
  await page.waitForFunction(() => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const app = (window as any).jupyterapp;
    const kernel = app?.shell?.currentWidget?.sessionContext?.session?.kernel;
    return kernel?.status === 'idle';
  });
  await page.locator('.jp-Cell .jp-InputArea-editor').first().click();
  await page.keyboard.press('Shift+Enter');
  const output = page.locator('.jp-Cell').first().locator('.jp-Redpill');
  await expect(output.locator('.jp-Redpill-steps')).toBeVisible();

  const seen = await stepThrough(output);
  await checkReturn(output, seen);
  await goTo(output, deepestIndex(seen));
  await checkDeepest(output);

  await screenshots(output, 'steps-factorial-notebook7', async theme => {
    await page.evaluate(
      async name => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const app = (window as any).jupyterapp;
        await app.commands.execute('apputils:change-theme', { theme: name });
      },
      theme === 'dark' ? 'JupyterLab Dark' : 'JupyterLab Light'
    );
    await page.waitForFunction(
      dark => document.body.dataset.jpThemeLight === (dark ? 'false' : 'true'),
      theme === 'dark'
    );
  });
});
