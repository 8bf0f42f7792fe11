/**
 * Instructors: the --steps timeline (a = 1042; b = a; del a reads 1 → 2 → 1)
 * and the --quiz inputs (answers hidden until revealed, predictions and
 * results kept in the saved notebook and shown again after reload).
 */
import { expect, test } from '@jupyterlab/galata';

import { runRedpill } from './notebook';

test.use({ autoGoto: true });

test('--steps: the slider and the buttons move through the refcounts', async ({
  page
}) => {
  const output = await runRedpill(
    page,
    'steps.ipynb',
    '%%redpill --steps\na = 1042\nb = a\ndel a'
  );
  const refcount = output.locator('.jp-Redpill-box .jp-Redpill-refcount');
  const label = output.locator('.jp-Redpill-stepLabel');
  // The last step first.
  await expect(label).toHaveText('Step 3 of 3 (line 4)');
  await expect(refcount).toHaveText('refcnt 1');
  await expect(output.locator('.jp-Redpill-current')).toContainText('del a');

  const prev = output.getByRole('button', { name: 'Previous step' });
  const next = output.getByRole('button', { name: 'Next step' });
  await prev.click();
  await expect(refcount).toHaveText('refcnt 2');
  await expect(output.locator('[data-name]')).toHaveCount(2);
  await expect(output.locator('.jp-Redpill-changeBadge')).toHaveText(
    'refcnt 1 → 2 ↑'
  );
  await prev.click();
  await expect(refcount).toHaveText('refcnt 1');
  await expect(output.locator('.jp-Redpill-current')).toContainText('a = 1042');
  await expect(prev).toBeDisabled();

  // The slider.
  await output.getByRole('slider').fill('2');
  await expect(refcount).toHaveText('refcnt 2');
  await next.click();
  await expect(refcount).toHaveText('refcnt 1');
  await expect(output.locator('[data-name]')).toHaveCount(1);
});

test('--quiz: predict, check, reveal; kept after save and reload', async ({
  page,
  request,
  tmpPath
}) => {
  let output = await runRedpill(
    page,
    'quiz.ipynb',
    '%%redpill --quiz refcount,same-object\nx = [1042]\ny = x'
  );
  const q1 = output.locator('[data-question="q1"]');
  await expect(q1).toBeVisible();
  // Nothing answered before reveal: no refcount, no shared box.
  await expect(output.locator('svg.jp-Redpill-svg')).not.toContainText(
    /refcnt \d/
  );
  await expect(output).not.toContainText('Answer:');

  const input = q1.getByRole('textbox', {
    name: 'What is the reference count of the object x names?'
  });
  await input.fill('3');
  await q1.getByRole('button', { name: /^Check/ }).click();
  await expect(q1.getByRole('status')).toHaveText('✗ Not quite');
  await input.fill('2');
  await q1.getByRole('button', { name: /^Check/ }).click();
  await expect(q1.getByRole('status')).toHaveText('✓ Right');
  await expect(q1).not.toContainText('Answer:');
  const q2 = output.locator('[data-question="q2"]');
  await q2.locator('select').selectOption('yes');
  await q2.getByRole('button', { name: /^Check/ }).click();
  await expect(q2.getByRole('status')).toHaveText('✓ Right');
  await q2.getByRole('button', { name: /^Reveal/ }).click();
  await expect(q2.locator('.jp-Redpill-answer')).toHaveText('Answer: yes');
  // Revealing same-object draws the list (its refcount is still asked).
  await expect(output.locator('.jp-Redpill-box')).not.toHaveCount(0);
  await expect(output.locator('svg.jp-Redpill-svg')).not.toContainText(
    /refcnt 2/
  );

  await page.notebook.save();
  const response = await request.get(
    `/api/contents/${tmpPath}/quiz.ipynb?content=1&type=notebook`
  );
  const saved = (await response.json()).content.cells[0].outputs[0];
  expect(saved.metadata.redpill.quiz).toEqual({
    q1: { value: '2', correct: true, revealed: false },
    q2: { value: 'yes', correct: true, revealed: true }
  });

  // A plain browser reload (galata's reload waits for a launcher).
  await Promise.all([
    page.waitForEvent('load'),
    page.evaluate(() => window.location.reload())
  ]);
  // JupyterLab reopens the notebook from its saved layout.
  output = page.locator('.jp-NotebookPanel .jp-OutputArea .jp-Redpill');
  const again = output.locator('[data-question="q1"]');
  await expect(again.getByRole('status')).toHaveText('✓ Right');
  await expect(again.locator('input')).toHaveValue('2');
  await expect(again).not.toContainText('Answer:');
  await expect(
    output.locator('[data-question="q2"] .jp-Redpill-answer')
  ).toHaveText('Answer: yes');
});
