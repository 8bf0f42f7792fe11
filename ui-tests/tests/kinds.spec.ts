/**
 * Screenshot snapshots of every object kind, in the light and dark themes:
 * a handful of cells, each drawing several kinds. What changes from run to
 * run is hidden: addresses, hashes and raw bytes (`.jp-Redpill-volatile`),
 * and for objects shared with the rest of the interpreter
 * (`.jp-Redpill-shared`: small ints, True, None, interned strings,
 * functions, classes, modules) the refcount and holders, which depend on
 * what else the process holds; the "unexplained" badge and the notices
 * (the kernel's remarks count holders) likewise.
 */
import { expect, test } from '@jupyterlab/galata';

// Tall enough that each output fits on screen (JupyterLab scrolls inside).
test.use({ autoGoto: true, viewport: { width: 1600, height: 2200 } });

const CELLS: [string, string][] = [
  [
    'numbers',
    [
      '%%redpill',
      'small = 200',
      'big = 2**70 + 12345',
      'neg = -1042',
      'flag = True',
      'nothing = None',
      'ratio = -0.15625'
    ].join('\n')
  ],
  [
    'text',
    [
      '%%redpill',
      'word = "hello world"',
      'accents = "héllo €!"',
      'raw = b"\\x00\\x01hi\\xff"'
    ].join('\n')
  ],
  [
    'containers',
    [
      '%%redpill',
      'items = [1042, "x y", (3.5, -7000)]',
      'table = {"key one": 2000, "key two": items}',
      'unique = {4000, 5000}'
    ].join('\n')
  ],
  [
    'objects',
    [
      '%%redpill',
      // One-line definitions: the editor would re-indent typed blocks.
      'class Point: pass',
      'class Slotted: __slots__ = ("a", "b")',
      // From the standard library: a cell's own file name changes every run.
      'from textwrap import dedent as area',
      'import math as mod'
    ].join('\n')
  ],
  [
    'instances',
    [
      '%%redpill',
      'p = Point()',
      'p.x, p.y = 3000, 4000',
      's = Slotted()',
      's.a, s.b = 1500, "slot b"'
    ].join('\n')
  ]
];

/** Hidden in screenshots: what varies between runs (see the file header). */
const VOLATILE_STYLE = `
.jp-Redpill-volatile,
.jp-Redpill-shared .jp-Redpill-refcount,
.jp-Redpill-shared .jp-Redpill-holders,
.jp-Redpill-badge-unexplained { visibility: hidden; }
.jp-Redpill-notices { display: none; }
`;

test('every object kind, light and dark', async ({ page }) => {
  test.setTimeout(120000);
  await page.notebook.createNew('kinds.ipynb');
  for (let i = 0; i < CELLS.length; i++) {
    if (i > 0) {
      await page.notebook.addCell('code', CELLS[i][1]);
    } else {
      await page.notebook.setCell(0, 'code', CELLS[i][1]);
    }
  }
  for (let i = 0; i < CELLS.length; i++) {
    await page.notebook.runCell(i);
  }

  const shots = CELLS.map(([name], i) => ({ name, index: i })).filter(
    ({ index }) => CELLS[index][1].startsWith('%%redpill')
  );
  const outputs = [];
  for (const { name, index } of shots) {
    const cell = (await page.notebook.getCellOutputLocator(index))!;
    const output = cell.locator('.jp-Redpill');
    await expect(output.locator('svg.jp-Redpill-svg')).toBeVisible();
    await expect(output.locator('.jp-Redpill-error')).toHaveCount(0);
    outputs.push({ name, output });
  }
  // Every kind is drawn at least once.
  const kinds = new Set<string>();
  for (const { output } of outputs) {
    for (const box of await output.locator('.jp-Redpill-box').all()) {
      kinds.add((await box.getAttribute('data-kind'))!);
    }
  }
  expect([...kinds].sort()).toEqual(
    [
      'bool',
      'bytes',
      'class',
      'dict',
      'float',
      'function',
      'instance',
      'int',
      'list',
      'module',
      'none',
      'set',
      'str',
      'tuple'
    ].sort()
  );

  for (const theme of ['light', 'dark']) {
    if (theme === 'dark') {
      await page.theme.setDarkTheme();
    }
    for (const { name, output } of outputs) {
      await output.scrollIntoViewIfNeeded();
      expect(
        await output.screenshot({
          style: VOLATILE_STYLE,
          animations: 'disabled'
        })
      ).toMatchSnapshot(`kinds-${name}-${theme}.png`);
    }
  }
  await page.theme.setLightTheme();
});
