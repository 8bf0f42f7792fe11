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
      '../draw/frame-boxes',
      '../model/schema-steps.generated'
    ],
    '../live/without-steps',
    'steps-frames.json'
  ],
  [
    'the questions',
    [
      '../quiz/mask',
      '../quiz/hidden-marks',
      '../quiz/panel',
      '../model/schema-quiz.generated'
    ],
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
    ['../diff/decorate', '../model/schema-diff.generated'],
    '../live/without-marks',
    'diff.json'
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

  it('draws buffers as their repr alone without the buffer kinds', () => {
    const draw = bundleDraw(
      ['../draw/kinds/buffer', '../draw/buffer-details'],
      '../live/without-buffers'
    );
    const node = host();
    expect(draw(node, JSON.stringify(fixture('buffers.json'))).ok).toBe(true);
    expect(node.querySelector('svg.jp-Redpill-svg')).not.toBeNull();
    expect(node.querySelector('.jp-Redpill-bufferBar')).toBeNull();
    // the bundle with them draws the buffer bars
    const real =
      jest.requireActual<typeof import('../live/index')>('../live/index').draw;
    const withBuffers = host();
    expect(real(withBuffers, JSON.stringify(fixture('buffers.json'))).ok).toBe(
      true
    );
    expect(withBuffers.querySelector('.jp-Redpill-bufferBar')).not.toBeNull();
  });
});

/** Each feature's schema definitions, its stand-in and the payload using it. */
const SCHEMAS: [string, string, string, string][] = [
  [
    'STEPS_DEFINITIONS',
    '../model/schema-steps.generated',
    '../live/without-steps',
    'steps-frames.json'
  ],
  [
    'QUIZ_DEFINITIONS',
    '../model/schema-quiz.generated',
    '../live/without-quiz',
    'quiz-all.json'
  ],
  [
    'DIFF_DEFINITIONS',
    '../model/schema-diff.generated',
    '../live/without-marks',
    'diff.json'
  ]
];

describe("a live bundle without a feature's schema", () => {
  it.each(SCHEMAS)(
    'makes each definition of %s match nothing',
    (name, real, standIn) => {
      const definitions =
        jest.requireActual<Record<string, object>>(real)[name];
      const stood = jest.requireActual<Record<string, object>>(standIn)[name];
      expect(Object.keys(definitions).length).toBeGreaterThan(0);
      expect(stood).toEqual(
        Object.fromEntries(Object.keys(definitions).map(key => [key, false]))
      );
    }
  );

  it.each(SCHEMAS)(
    'refuses, as not of the schema, a payload that uses %s',
    (_, real, standIn, name) => {
      const draw = bundleDraw([real], standIn);
      const node = host();
      const result = draw(node, JSON.stringify(fixture(name)));
      expect(result).toEqual({
        ok: false,
        reason: 'not of the payload schema'
      });
      expect(node.textContent).toBe('table');
      // the same payload without the feature's key is of the schema
      const plain = draw(host(), JSON.stringify(fixture('skeleton.json')));
      expect(plain.ok).toBe(true);
    }
  );
});
