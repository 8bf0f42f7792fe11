/**
 * JupyterHub for a class: two students log in from their own browsers, each
 * gets a single-user JupyterLab of their own, and %%redpill in each draws only
 * that student's kernel's objects. The magic comes from the image's IPython
 * config and the settings default (short addresses) from the hub's overrides.
 */
import {
  expect,
  test,
  type Browser,
  type Locator,
  type Page
} from '@playwright/test';

const PASSWORD = 'redpill-class';

/** Log a user in from a browser context of their own; their JupyterLab page. */
async function logIn(browser: Browser, user: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('hub/login');
  await page.locator('#username_input').fill(user);
  await page.locator('#password_input').fill(PASSWORD);
  await page.locator('#login_submit').click();
  await page.waitForURL(`**/user/${user}/lab**`, { timeout: 180_000 });
  return page;
}

/** Open a new notebook on the Python kernel and wait for the kernel. */
async function newNotebook(page: Page): Promise<void> {
  await page
    .locator('.jp-LauncherCard[data-category="Notebook"]')
    .first()
    .click();
  await expect(
    page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]')
  ).toBeVisible();
}

/** Type a cell's source into the active notebook's last cell and run it. */
async function run(page: Page, source: string): Promise<Locator> {
  const cells = page.locator('.jp-NotebookPanel:visible .jp-CodeCell');
  const index = (await cells.count()) - 1;
  await cells.nth(index).locator('.cm-content').click();
  await page.keyboard.type(source);
  await page.keyboard.press('Shift+Enter');
  return cells.nth(index).locator('.jp-OutputArea');
}

test('two students, two kernels: each diagram holds only its own objects', async ({
  browser
}) => {
  const alice = await logIn(browser, 'alice');
  const bob = await logIn(browser, 'bob');
  expect(alice.url()).toContain('/user/alice/');
  expect(bob.url()).toContain('/user/bob/');
  await newNotebook(alice);
  await newNotebook(bob);

  // No %load_ext: the image's IPython config loads the magic.
  const a = await run(alice, "%%redpill\nmine = 'alice' + str(1042)");
  const b = await run(bob, "%%redpill\nmine = 'bob' + str(1042)");
  await expect(a.locator('.jp-Redpill svg.jp-Redpill-svg')).toBeVisible();
  await expect(b.locator('.jp-Redpill svg.jp-Redpill-svg')).toBeVisible();
  await expect(a.locator('.jp-Redpill-box')).toContainText('alice1042');
  await expect(b.locator('.jp-Redpill-box')).toContainText('bob1042');

  // Each kernel's namespace is its own: once bob's kernel has bound
  // `theirs`, alice's kernel still has no such name.
  const b2 = await run(bob, '%%redpill\ntheirs = mine');
  await expect(b2.locator('svg.jp-Redpill-svg')).toContainText('theirs');
  const a2 = await run(
    alice,
    "%%redpill\nseen = sorted(n for n in globals() if n in ('mine', 'theirs'))\nvalue = mine"
  );
  await expect(a2.locator('.jp-Redpill-box').first()).toBeVisible();
  await expect(a2.locator('svg.jp-Redpill-svg')).toContainText('alice1042');
  await expect(a2.locator('svg.jp-Redpill-svg')).not.toContainText('bob1042');
  await expect(a2.locator('svg.jp-Redpill-svg')).not.toContainText('theirs');
  const a3 = await run(
    alice,
    '%%redpill\nnames = [n for n in dir() if n == "theirs"]'
  );
  await expect(a3.locator('svg.jp-Redpill-svg')).toContainText('names');
  await expect(a3.locator('svg.jp-Redpill-svg')).not.toContainText("'theirs'");

  // The hub's settings default: short addresses, in both students' pages.
  for (const out of [a, b]) {
    await expect(out.locator('.jp-Redpill-address').first()).toHaveText(
      /^at 0x…[0-9a-f]{4}$/
    );
  }
});
