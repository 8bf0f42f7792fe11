/**
 * The live bundles' stand-ins (src/live/without-*.ts, which
 * webpack.live.config.js puts in place of a feature's code in the bundles of
 * outputs that do not use it): a payload drawn with its features' stand-ins
 * in place, as the bundle the kernel chose for a plainer payload would draw
 * it, fails and leaves the table; a payload without those features draws.
 * Each case replaces the real modules with the stand-ins through jest's
 * module registry (standing in for the bundler's replacement).
 */
import { fixture } from './helpers';

type Draw = typeof import('../live/index').draw;

/** `draw` of a bundle whose `modules` are replaced by `standIn`. */
function bundleDraw(modules: string[], standIn: string): Draw {
  let draw: Draw | null = null;
  jest.isolateModules(() => {
    for (const name of modules) {
      jest.doMock(name, () => jest.requireActual(standIn));
    }
    draw =
      jest.requireActual<typeof import('../live/index')>('../live/index').draw;
  });
  for (const name of modules) {
    jest.dontMock(name);
  }
  return draw!;
}

function host(): HTMLElement {
  const node = document.createElement('div');
  node.className = 'redpill-live';
  node.appendChild(document.createElement('table')).textContent = 'table';
  document.body.appendChild(node);
  return node;
}

const FEATURES: [string, string[], string, string][] = [
  [
    'the steps',
    [
      '../steps/controls',
      '../steps/model',
      '../model/frames',
      '../draw/frame-boxes'
    ],
    '../live/without-steps',
    'steps-frames.json'
  ],
  [
    'the questions',
    ['../quiz/mask', '../quiz/hidden-marks', '../quiz/panel'],
    '../live/without-quiz',
    'quiz-all.json'
  ],
  [
    'the diff marks',
    ['../diff/diff-marks'],
    '../live/without-diff',
    'diff.json'
  ],
  [
    'the change badges',
    ['../diff/decorate'],
    '../live/without-marks',
    'diff.json'
  ],
  [
    'buffers and views',
    ['../draw/kinds/buffer', '../draw/buffer-details'],
    '../live/without-buffers',
    'buffers.json'
  ],
  [
    'the instructor views',
    ['../live/instructor-view'],
    '../live/without-instructor',
    'quiz-all.json'
  ]
];

describe('a live bundle without a feature', () => {
  it.each(FEATURES)(
    'leaves the table of a payload that uses %s',
    (_, modules, standIn, name) => {
      const draw = bundleDraw(modules, standIn);
      const node = host();
      const result = draw(node, JSON.stringify(fixture(name)));
      expect(result.ok).toBe(false);
      // refused by the stand-in, not by any other failure
      expect(!result.ok && result.reason).toMatch(
        / not part of this output's drawing code$/
      );
      expect(node.hasAttribute('data-redpill-drawn')).toBe(false);
      expect(node.textContent).toBe('table');
      expect(node.querySelector('svg')).toBeNull();
    }
  );

  it.each(FEATURES)(
    'still draws a payload without %s',
    (_, modules, standIn) => {
      const draw = bundleDraw(modules, standIn);
      const node = host();
      const result = draw(node, JSON.stringify(fixture('skeleton.json')));
      expect(result.ok).toBe(true);
      expect(node.querySelector('svg.jp-Redpill-svg')).not.toBeNull();
    }
  );
});
