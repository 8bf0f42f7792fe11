// First paint of N live diagrams (nbconvert's page, build/bench-live/live.html)
// against the same N diagrams as static SVGs: the SVGs the live page drew are
// copied into static.html (each output's host replaced by its SVG, the live
// scripts removed). Both pages are loaded from a file:// URL in Debian's
// Chromium, `loads` times each, alternating; the time from navigation start
// to all N pictures in the page and a frame painted after them; medians and
// their ratio. Run by benchmarks/live_html.py.
const { chromium } = require('@playwright/test');
const fs = require('fs');
const path = require('path');

const [dir, loadsArg, countArg] = process.argv.slice(2);
const LOADS = Number(loadsArg || 7);
const N = Number(countArg || 10);

async function painted(page, selector) {
  await page.waitForFunction(
    ([sel, n]) => document.querySelectorAll(sel).length >= n,
    [selector, N],
    { polling: 'raf', timeout: 60000 }
  );
  return page.evaluate(
    () =>
      new Promise(resolve =>
        requestAnimationFrame(() =>
          requestAnimationFrame(() => resolve(performance.now()))
        )
      )
  );
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--host-resolver-rules=MAP * ~NOTFOUND'
    ]
  });
  const live = 'file://' + path.resolve(dir, 'live.html');
  const page = await browser.newPage();
  await page.goto(live);
  await painted(page, 'div.redpill-live[data-redpill-drawn="true"] svg');
  // the static twin: the drawn SVGs in place of the hosts, no scripts
  const html = await page.evaluate(() => {
    const doc = document.documentElement.cloneNode(true);
    const drawn = Array.from(
      document.querySelectorAll('div.redpill-live svg.jp-Redpill-svg')
    );
    const hosts = Array.from(doc.querySelectorAll('div.redpill-live'));
    hosts.forEach((host, i) => {
      const svg = drawn[i].cloneNode(true);
      svg.classList.add('static-copy');
      host.replaceWith(svg);
    });
    doc.querySelectorAll('script').forEach(s => {
      if (s.textContent.includes('redpillLiveRuns')) s.remove();
    });
    doc.querySelectorAll('style').forEach(s => {
      if (s.textContent.includes('.jp-Redpill')) s.remove();
    });
    return '<!DOCTYPE html>' + doc.outerHTML;
  });
  fs.writeFileSync(path.resolve(dir, 'static.html'), html);
  await page.close();
  const staticUrl = 'file://' + path.resolve(dir, 'static.html');
  const times = { live: [], static: [] };
  for (let i = 0; i < LOADS; i++) {
    for (const [name, url, sel] of [
      ['live', live, 'div.redpill-live[data-redpill-drawn="true"] svg'],
      ['static', staticUrl, 'svg.static-copy']
    ]) {
      const context = await browser.newContext();
      const p = await context.newPage();
      await p.goto(url, { waitUntil: 'commit' });
      times[name].push(await painted(p, sel));
      await context.close();
    }
  }
  const l = median(times.live);
  const s = median(times.static);
  console.log(
    `first paint of ${N} diagrams (median of ${LOADS} loads): live ${l.toFixed(0)} ms, ` +
      `static SVGs ${s.toFixed(0)} ms, ratio ${(l / s).toFixed(2)}`
  );
  const sizes = ['live.html', 'static.html'].map(
    f => fs.statSync(path.resolve(dir, f)).size
  );
  console.log(
    `page bytes: live ${sizes[0].toLocaleString()}, static ${sizes[1].toLocaleString()}`
  );
  await browser.close();
})().catch(error => {
  console.error(error);
  process.exit(1);
});
