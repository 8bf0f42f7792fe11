/**
 * Notebook 7 loads the same labextension: the magic is loaded for the user and
 * the diagram is drawn there too.
 */
import { expect, test } from '@jupyterlab/galata';
import { notebookJson } from './notebook';

test('draws the diagram in Notebook 7', async ({ page, tmpPath, baseURL }) => {
  const notebook = notebookJson([
    {
      cell_type: 'code',
      execution_count: null,
      metadata: {},
      outputs: [],
      source: '%%redpill\nage = 1042\nb = age'
    },
    {
      cell_type: 'code',
      execution_count: null,
      metadata: {},
      outputs: [],
      source: '%%redpill --quiz refcount\nx = [1042]\ny = x'
    }
  ]);
  const path = `${tmpPath}/notebook7.ipynb`;
  await page.contents.uploadContent(notebook, 'text', path);

  // galata's page.goto() waits for JupyterLab; Notebook 7 is another app on
  // the same server, so leave through the browser itself.
  const url = `${baseURL}/notebooks/${path}`;
  await page.evaluate(href => window.location.assign(href), url);
  await page.waitForURL(url);
  // Wait for the kernel of the Notebook 7 page to be up and idle.
  await page.waitForFunction(() => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const app = (window as any).jupyterapp;
    const kernel = app?.shell?.currentWidget?.sessionContext?.session?.kernel;
    return kernel?.status === 'idle';
  });

  await page.locator('.jp-Cell .jp-InputArea-editor').first().click();
  await page.keyboard.press('Shift+Enter');

  const output = page.locator('.jp-Cell').first().locator('.jp-Redpill');
  await expect(output.locator('svg.jp-Redpill-svg')).toBeVisible();
  await expect(output.locator('[data-name]')).toHaveCount(2);
  await expect(output.locator('[data-address]')).toHaveCount(1);
  await expect(output.locator('.jp-Redpill-refcount')).toContainText('2');
  // Our MIME renderer drew it: the kernel's live HTML never ran here.
  expect(
    await page.evaluate(
      () =>
        (window as unknown as { redpillLiveRuns?: number }).redpillLiveRuns ?? 0
    )
  ).toBe(0);
  await expect(page.locator('div.redpill-live')).toHaveCount(0);

  // Predict-then-reveal works the same way here.
  await page.locator('.jp-Cell .jp-InputArea-editor').nth(1).click();
  await page.keyboard.press('Shift+Enter');
  const quiz = page.locator('.jp-Cell').nth(1).locator('.jp-Redpill');
  const question = quiz.locator('[data-question="q1"]');
  await expect(question).toBeVisible();
  // The list's refcount is the question: hidden until revealed.
  const listRefcount = quiz.locator(
    '.jp-Redpill-box[data-kind="list"] .jp-Redpill-refcount'
  );
  await expect(listRefcount).toHaveText('refcnt ?');
  await question.getByRole('textbox').fill('2');
  await question.getByRole('button', { name: /^Check/ }).click();
  await expect(question.getByRole('status')).toHaveText('✓ Right');
  await question.getByRole('button', { name: /^Reveal/ }).click();
  await expect(question.locator('.jp-Redpill-answer')).toHaveText('Answer: 2');
});
