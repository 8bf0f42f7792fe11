/**
 * Renderer benchmark: in Chromium, inside a real JupyterLab page, the time
 * from a payload to the painted diagram for 10, 100 and 1000 objects, beside
 * the time the same browser takes to parse and paint a static SVG with the
 * same elements (tag for tag, same text) in the same run; the ratio is the
 * renderer's overhead (target: ≤ 3× at 100 objects). Also: the labextension's
 * JavaScript gzipped (target < 250 KB), and whether the drawing code is a
 * chunk of its own, loaded only once a redpill output appears.
 *
 * Run from the repository root, after `bash scripts/setup.sh` (which builds
 * and installs the labextension):
 *
 *   PATH=$PWD/.venv/bin:$PATH npx playwright test -c benchmarks/renderer
 *
 * Environment: REDPILL_BENCH_RUNS (default 7) measurements per size, the
 * median is printed; REDPILL_UI_PORT, CHROMIUM_PATH as for ui-tests.
 * It prints a table; it asserts only what is not a timing (payloads valid
 * against schema/payload.v1.json, everything drawn, the chunk split).
 */
import { expect, test } from '@jupyterlab/galata';
import Ajv from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

import { syntheticPayload } from './payload';

const ROOT = path.join(__dirname, '..', '..');
const STATIC = path.join(ROOT, 'redpill', 'labextension', 'static');
const MIME = 'application/vnd.redpill.v1+json';
const SIZES = [10, 100, 1000];
const RUNS = Number(process.env.REDPILL_BENCH_RUNS ?? 7);
/** A string only the drawing code holds (src/view/notices.ts, in the lazy chunk). */
const RENDER_MARK = 'The cell bound no names.';

test.use({ autoGoto: true });

test('renderer: payload to painted diagram vs a static SVG', async ({
  page
}) => {
  // --- Bundle size and chunk split (from the built labextension). ---
  const files = fs.readdirSync(STATIC).filter(f => f.endsWith('.js'));
  let total = 0;
  let gzTotal = 0;
  const rows: string[] = [];
  let renderChunk = '';
  for (const file of files) {
    const bytes = fs.readFileSync(path.join(STATIC, file));
    const gz = zlib.gzipSync(bytes, { level: 9 }).length;
    total += bytes.length;
    gzTotal += gz;
    if (bytes.includes(RENDER_MARK)) {
      renderChunk = file;
    }
    rows.push(
      `  ${file.padEnd(36)} ${(bytes.length / 1024).toFixed(1).padStart(7)} KB  gz ${(gz / 1024).toFixed(1).padStart(6)} KB`
    );
  }
  const remoteEntry = files.find(f => f.startsWith('remoteEntry'))!;
  expect(renderChunk).not.toBe('');
  expect(renderChunk).not.toBe(remoteEntry);

  // Which of our chunks the page loaded before any redpill output.
  const loaded = new Set<string>();
  page.on('request', request => {
    const m = /jupyterlab-redpill\/static\/([^/?]+\.js)/.exec(request.url());
    if (m) {
      loaded.add(m[1]);
    }
  });
  await page.reload();
  await page.waitForSelector('#jp-main-dock-panel');
  const atStart = [...loaded];
  expect(atStart).not.toContain(renderChunk);

  // --- Timings. ---
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(
    JSON.parse(
      fs.readFileSync(path.join(ROOT, 'schema', 'payload.v1.json'), 'utf8')
    )
  );
  const payloads = SIZES.map(n => syntheticPayload(n));
  for (const p of payloads) {
    expect(validate(p), JSON.stringify(validate.errors)).toBe(true);
  }

  // Draw every object (the default cap is 300); restore afterwards.
  await page.evaluate(async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const galata = (window as any).galata;
    const registry = await galata.getPlugin(
      '@jupyterlab/apputils-extension:settings'
    );
    await registry.set('jupyterlab-redpill:plugin', 'maxObjects', 5000);
  });

  const results: {
    n: number;
    drawn: number;
    elements: number;
    renderer: number;
    baseline: number;
    exportMs: number;
    stored: { png: number };
  }[] = [];
  try {
    for (let i = 0; i < SIZES.length; i++) {
      const r = await page.evaluate(
        async ({ payload, mime, runs }) => {
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          const galata = (window as any).galata;
          const rendermime = await galata.getPlugin(
            '@jupyterlab/rendermime-extension:plugin'
          );
          const host = document.createElement('div');
          host.style.cssText =
            'position:fixed;left:0;top:0;width:1500px;height:950px;overflow:auto;z-index:10000;background:var(--jp-layout-color0)';
          host.className = 'jp-OutputArea-output';
          document.body.appendChild(host);
          const painted = () =>
            new Promise<void>(resolve =>
              requestAnimationFrame(() => setTimeout(resolve, 0))
            );
          let stored = { png: 0 };
          const model = (trusted: boolean) => ({
            trusted,
            data: { [mime]: payload },
            metadata: {},
            setData: (options: { data: Record<string, string> }) => {
              stored = { png: (options.data['image/png'] ?? '').length };
            }
          });
          const drawOnce = async (trusted: boolean) => {
            const renderer = rendermime.createRenderer(mime);
            host.appendChild(renderer.node);
            const t0 = performance.now();
            await renderer.renderModel(model(trusted));
            // Layout and paint of what was drawn.
            renderer.node.getBoundingClientRect();
            await painted();
            return { renderer, draw: performance.now() - t0 };
          };
          // Warm up (loads the chunk, JIT), then measure.
          (await drawOnce(false)).renderer.dispose();
          host.replaceChildren();
          const first = await drawOnce(false);
          const svg = first.renderer.node.querySelector('svg.jp-Redpill-svg')!;
          const drawn = svg.querySelectorAll('.jp-Redpill-box').length;
          // The static twin: the same elements, tags and text, no script.
          const clone = svg.cloneNode(true) as SVGSVGElement;
          const markup = new XMLSerializer().serializeToString(clone);
          const elements = svg.querySelectorAll('*').length + 1;
          first.renderer.dispose();
          host.replaceChildren();

          const renderer: number[] = [];
          const baseline: number[] = [];
          const exportMs: number[] = [];
          for (let k = 0; k < runs; k++) {
            const a = await drawOnce(false);
            renderer.push(a.draw);
            a.renderer.dispose();
            host.replaceChildren();

            const t0 = performance.now();
            const doc = new DOMParser().parseFromString(
              markup,
              'image/svg+xml'
            );
            const node = document.importNode(doc.documentElement, true);
            const wrap = document.createElement('div');
            wrap.className = 'jp-Redpill';
            wrap.appendChild(node);
            host.appendChild(wrap);
            node.getBoundingClientRect();
            await painted();
            baseline.push(performance.now() - t0);
            host.replaceChildren();

            if (k < 3) {
              // The static copy a trusted output stores (a PNG within its
              // budget): the extra time renderModel takes for a trusted model.
              const timed = async (trusted: boolean) => {
                const r = rendermime.createRenderer(mime);
                host.appendChild(r.node);
                const t = performance.now();
                await r.renderModel(model(trusted));
                const ms = performance.now() - t;
                r.dispose();
                host.replaceChildren();
                return ms;
              };
              exportMs.push((await timed(true)) - (await timed(false)));
            }
          }
          host.remove();
          const med = (v: number[]) =>
            [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];
          return {
            drawn,
            elements,
            renderer: med(renderer),
            baseline: med(baseline),
            exportMs: med(exportMs),
            stored
          };
        },
        { payload: payloads[i], mime: MIME, runs: RUNS }
      );
      expect(r.drawn).toBe(SIZES[i]);
      results.push({ n: SIZES[i], ...r });
    }
  } finally {
    await page.evaluate(async () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const galata = (window as any).galata;
      const registry = await galata.getPlugin(
        '@jupyterlab/apputils-extension:settings'
      );
      await registry.remove('jupyterlab-redpill:plugin', 'maxObjects');
    });
  }
  const afterOutput = [...loaded];
  expect(afterOutput).toContain(renderChunk);

  const lines = [
    '',
    'jupyterlab-redpill renderer benchmark (Chromium, median of ' +
      `${RUNS} runs; ms from payload to painted)`,
    '  objects  elements  renderer ms  static SVG ms  ratio   PNG copy: ms, KB (base64)',
    ...results.map(
      r =>
        `  ${String(r.n).padStart(7)}  ${String(r.elements).padStart(8)}  ${r.renderer.toFixed(1).padStart(11)}  ${r.baseline.toFixed(1).padStart(13)}  ${(r.renderer / r.baseline).toFixed(2).padStart(5)}×   ${r.exportMs.toFixed(1).padStart(8)}  ${r.stored.png ? (r.stored.png / 1024).toFixed(0).padStart(6) : '  none'}`
    ),
    `  target: ≤ 3× at 100 objects → ${(results[1].renderer / results[1].baseline).toFixed(2)}×`,
    '',
    'labextension JavaScript (redpill/labextension/static/*.js):',
    ...rows,
    `  total ${(total / 1024).toFixed(1)} KB, gzipped ${(gzTotal / 1024).toFixed(1)} KB (target < 250 KB)`,
    `  drawing code: ${renderChunk} (not remoteEntry); loaded at page start: ${atStart.join(', ') || 'none'}; ` +
      `after a redpill output: ${afterOutput.includes(renderChunk) ? 'yes' : 'no'}`,
    ''
  ];
  console.log(lines.join('\n'));
});
