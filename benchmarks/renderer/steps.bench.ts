/**
 * Stepping benchmark: in Chromium, inside a real JupyterLab page, a --steps
 * output of a recursion recorded line by line (a few hundred steps with call
 * frames): the time from a step change (the slider released on a step, the
 * Next button) to the painted diagram of that step, median and 95th
 * percentile over a sweep through every step, and a fast drag over all
 * steps (input events one after another: the diagram redraws at most once
 * per animation frame, so the drag costs about one redraw per frame).
 *
 *   PATH=$PWD/.venv/bin:$PATH npx playwright test -c benchmarks/renderer steps
 *
 * It prints a table; it asserts only what is not a timing (the payload is
 * valid, every step is reached and drawn with its frames).
 */
import { expect, test } from '@jupyterlab/galata';
import Ajv from 'ajv';
import * as fs from 'fs';
import * as path from 'path';

import { framesPayload } from './payload';

const ROOT = path.join(__dirname, '..', '..');
const MIME = 'application/vnd.redpill.v1+json';

test.use({ autoGoto: true });

test('steps: a step change to the painted diagram', async ({ page }) => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(
    JSON.parse(
      fs.readFileSync(path.join(ROOT, 'schema', 'payload.v1.json'), 'utf8')
    )
  );
  const payload = framesPayload(12, 250);
  expect(validate(payload), JSON.stringify(validate.errors)).toBe(true);
  const r = await page.evaluate(
    async ({ payload, mime }) => {
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
      const renderer = rendermime.createRenderer(mime);
      host.appendChild(renderer.node);
      const t0 = performance.now();
      await renderer.renderModel({
        trusted: false,
        data: { [mime]: payload },
        metadata: {},
        setData: () => undefined
      });
      await painted();
      const first = performance.now() - t0;
      const node = renderer.node as HTMLElement;
      const slider = node.querySelector<HTMLInputElement>(
        '.jp-Redpill-stepSlider'
      )!;
      const count = Number(slider.max);
      const times: number[] = [];
      const scripts: number[] = [];
      const frames: number[] = [];
      for (let i = 0; i < count; i++) {
        const t = performance.now();
        slider.value = String(i + 1);
        slider.dispatchEvent(new Event('change'));
        scripts.push(performance.now() - t);
        node.getBoundingClientRect();
        await painted();
        times.push(performance.now() - t);
        frames.push(node.querySelectorAll('.jp-Redpill-stackFrame').length);
      }
      // A fast drag: one input event per step, one task each.
      const d0 = performance.now();
      for (let i = count; i >= 1; i--) {
        slider.value = String(i);
        slider.dispatchEvent(new Event('input'));
        await new Promise(resolve => setTimeout(resolve, 0));
      }
      await painted();
      const drag = performance.now() - d0;
      const atStart =
        node.querySelector<HTMLElement>('.jp-Redpill-steps')!.dataset.step;
      renderer.dispose();
      host.remove();
      const sorted = [...times].sort((a, b) => a - b);
      const script = [...scripts].sort((a, b) => a - b)[
        Math.floor(scripts.length / 2)
      ];
      return {
        script,
        count,
        first,
        median: sorted[Math.floor(sorted.length / 2)],
        p95: sorted[Math.floor(sorted.length * 0.95)],
        max: sorted[sorted.length - 1],
        drag,
        atStart,
        frames
      };
    },
    { payload, mime: MIME }
  );
  expect(r.count).toBe(payload.steps.length);
  expect(r.atStart).toBe('0');
  expect(r.frames).toEqual(
    payload.steps.map((s: { frames: unknown[] }) => s.frames.length + 1)
  );
  console.log(
    [
      '',
      `jupyterlab-redpill stepping benchmark (Chromium; ${r.count} steps, up to 12 call frames)`,
      `  first draw                      ${r.first.toFixed(1).padStart(7)} ms`,
      `  step change → painted: median   ${r.median.toFixed(1).padStart(7)} ms`,
      `                         p95      ${r.p95.toFixed(1).padStart(7)} ms`,
      `    of which the redraw's script: median ${r.script.toFixed(1)} ms (the rest: style, layout, paint)`,
      `                         max      ${r.max.toFixed(1).padStart(7)} ms`,
      `  drag over all ${r.count} steps        ${r.drag.toFixed(0).padStart(7)} ms (${(r.drag / r.count).toFixed(1)} ms per input event)`,
      ''
    ].join('\n')
  );
});
