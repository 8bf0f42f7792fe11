/**
 * A stranger's notebook cannot freeze the page: untrusted outputs whose
 * payload claims a huge struct field on a masked object (the refcount
 * hidden; an ob_refcnt of 10^15 bytes and one at the schema's bound, 2^63-1,
 * both drawn; one of 2^64, refused by the schema) leave the page responsive,
 * showing the diagram or the message; selecting the boxes (the details
 * panel's memory view) does too.
 */
import { expect, test } from '@jupyterlab/galata';
import { readFileSync } from 'fs';
import { join } from 'path';
import { notebookJson } from './notebook';

test.use({ autoGoto: true });

const MIME = 'application/vnd.redpill.v1+json';
/** Stand for 2^63-1 and 2^64, which JSON.stringify cannot write exactly. */
const INT64_MAX = '__INT64_MAX__';
const BEYOND = '__BEYOND__';

function payload(size: number | string): unknown {
  const p = JSON.parse(
    readFileSync(
      join(
        __dirname,
        '..',
        '..',
        'src',
        '__tests__',
        'fixtures',
        'skeleton.json'
      ),
      'utf8'
    )
  );
  p.hidden_fields = ['refcount'];
  for (const obj of p.objects) {
    for (const field of obj.fields ?? []) {
      if (field.name === 'ob_refcnt' || field.name === 'ob_type') {
        field.size = size;
      }
    }
  }
  return p;
}

function output(data: unknown) {
  return {
    cell_type: 'code',
    execution_count: 1,
    metadata: {},
    source: '%%redpill\nage = 1042\nb = age',
    outputs: [
      {
        output_type: 'display_data',
        metadata: {},
        data: { [MIME]: data, 'text/plain': 'redpill: age, b' }
      }
    ]
  };
}

test('untrusted outputs with huge field sizes leave the page responsive', async ({
  page,
  tmpPath
}) => {
  const notebook = notebookJson([
    output(payload(1e15)),
    output(payload(INT64_MAX)),
    output(payload(BEYOND))
  ]);
  // No signature: JupyterLab opens it untrusted, and still draws our outputs.
  const text = notebook
    .split(JSON.stringify(INT64_MAX))
    .join('9223372036854775807')
    .split(JSON.stringify(BEYOND))
    .join('18446744073709551616');
  expect(text).toContain('"size":9223372036854775807');
  expect(text).toContain('"size":18446744073709551616');
  const path = `${tmpPath}/stranger.ipynb`;
  await page.contents.uploadContent(text, 'text', path);
  await page.notebook.openByPath(path);
  await page.notebook.activate('stranger.ipynb');

  const outputs = page.locator('.jp-OutputArea-output.jp-Redpill');
  await expect(outputs).toHaveCount(3);
  // 10^15 and 2^63-1 bytes: within the bounds, drawn (the refcount hidden),
  // and a box can be selected (the memory view).
  for (const i of [0, 1]) {
    const drawn = outputs.nth(i);
    await expect(drawn.locator('svg.jp-Redpill-svg')).toBeVisible();
    await expect(drawn.locator('.jp-Redpill-refcount').first()).toHaveText(
      'refcnt ?'
    );
    await drawn.locator('.jp-Redpill-box').first().click();
    await expect(drawn.locator('.jp-Redpill-hexByte')).toHaveCount(28);
  }
  // 2^64 bytes: beyond any real object, so the schema refuses it, inline.
  await expect(outputs.nth(2).locator('.jp-Redpill-error')).toContainText(
    'does not match the payload schema'
  );
  // The page still answers.
  expect(await page.evaluate(() => 6 * 7)).toBe(42);
  await page.notebook.addCell('markdown', 'still *responsive*');
  await expect(page.locator('.jp-Cell')).toHaveCount(4);
});
