/**
 * The live diagram's bundles (npm run build:live): the drawing code of src/
 * (compiled by tsc into lib/) as self-contained scripts that the kernel's
 * text/html carries compressed, one per set of features an output can need:
 * redpill/static/live.js for a payload without buffers, steps, questions,
 * hidden fields or a diff, and build/live/live-<features>.js (e.g.
 * live-buffers-steps.js) for the others. In each, the code of every feature
 * the payload does not use is replaced by a small stand-in
 * (src/live/without-*.ts), only the style rules its code sets are kept
 * (scripts/shake-css.cjs), and our classes and a few long members of our own
 * objects get short names (scripts/short-classes.cjs, INTERNAL_MEMBERS).
 * Each output carries exactly one bundle. Each sets
 * `window.redpillLive` (src/live/main.ts) when run.
 *
 * The build fails if anything from JupyterLab or Lumino is bundled: the
 * drawing must not need them (see src/disposable.ts, src/view/toolbar-items.ts).
 */
const { mkdirSync, readdirSync, readFileSync, writeFileSync } = require('fs');
const path = require('path');

const TerserPlugin = require('terser-webpack-plugin');
const {
  Compilation,
  NormalModuleReplacementPlugin,
  sources
} = require('webpack');

const { shakeBundle } = require('./scripts/shake-css.cjs');
const { classNames, NUMBERS } = require('./scripts/short-classes.cjs');

/**
 * Modules only the JupyterLab widget uses, each with the live page's
 * stand-in: the export buttons' and static copies' code (src/live/exports.ts)
 * and the short form of addresses its settings can ask for
 * (src/live/full-addresses.ts).
 */
const WIDGET_MODULES = {
  'lib/draw/export.js': 'lib/live/exports.js',
  'lib/draw/png.js': 'lib/live/exports.js',
  'lib/view/actions.js': 'lib/live/exports.js',
  'lib/view/copies.js': 'lib/live/exports.js',
  'lib/view/export-buttons.js': 'lib/live/exports.js',
  'lib/draw/address-format.js': 'lib/live/full-addresses.js'
};

/**
 * Members of the drawing's own objects, long and frequent, that terser
 * shortens in the live bundles (with our private members, `_name`). None may
 * be a payload key, a key of the settings or written in a string anywhere in
 * lib/ (an object's key read from JSON or by name would break): the build
 * checks (checkedMembers).
 */
const INTERNAL_MEMBERS = [
  'anchorX',
  'badges',
  'baseHeight',
  'baseWidth',
  'bindings',
  'boxes',
  'clipped',
  'describe',
  'edges',
  'facts',
  'fromY',
  'isDisposed',
  'isPlaceholder',
  'nodes',
  'onQuiz',
  'refcounts',
  'slots',
  'staticCopy',
  'svgFile',
  'warnings'
];

/**
 * The pattern of the property names terser shortens: INTERNAL_MEMBERS and
 * `_name`; throws if a member is a key of schema/ or a string in lib/.
 */
function checkedMembers() {
  const keys = new Set();
  const collect = value => {
    if (Array.isArray(value)) {
      value.forEach(collect);
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'properties' && inner && typeof inner === 'object') {
          Object.keys(inner).forEach(k => keys.add(k));
        }
        collect(inner);
      }
    }
  };
  const files = dir =>
    readdirSync(dir, { withFileTypes: true }).flatMap(entry =>
      entry.isDirectory()
        ? files(path.join(dir, entry.name))
        : [path.join(dir, entry.name)]
    );
  for (const file of files(path.resolve(__dirname, 'schema'))) {
    if (file.endsWith('.json')) {
      collect(JSON.parse(readFileSync(file, 'utf8')));
    }
  }
  const code = files(path.resolve(__dirname, 'lib'))
    .filter(file => file.endsWith('.js'))
    .map(file => readFileSync(file, 'utf8'))
    .join('\n');
  for (const name of INTERNAL_MEMBERS) {
    if (keys.has(name) || new RegExp(`['"\`]${name}['"\`]`).test(code)) {
      throw new Error(
        `webpack.live.config.js: ${name} is a key of schema/ or a string in lib/: it must keep its name`
      );
    }
  }
  return new RegExp(`^(_[a-z].*|${INTERNAL_MEMBERS.join('|')})$`);
}

/**
 * The features whose code an output carries only when its payload uses them,
 * each as the modules it is made of and the stand-in they are replaced by in
 * the other bundles. `marks` (the change badges) is in the bundles of `diff`
 * and of `steps`; `diff`'s change list only in those of `diff` (a diff under
 * steps is not listed). A stand-in that is called refuses the payload (it
 * could not be drawn without the feature): the table stays.
 */
const FEATURES = {
  buffers: {
    modules: ['lib/draw/kinds/buffer.js', 'lib/draw/buffer-details.js'],
    standIn: 'lib/live/without-buffers.js'
  },
  diff: {
    modules: ['lib/diff/diff-marks.js'],
    standIn: 'lib/live/without-diff.js'
  },
  marks: {
    modules: ['lib/diff/decorate.js'],
    standIn: 'lib/live/without-marks.js'
  },
  quiz: {
    modules: [
      'lib/quiz/mask.js',
      'lib/quiz/hidden-marks.js',
      'lib/quiz/panel.js'
    ],
    standIn: 'lib/live/without-quiz.js'
  },
  steps: {
    modules: [
      'lib/steps/controls.js',
      'lib/steps/model.js',
      'lib/model/frames.js',
      'lib/draw/frame-boxes.js'
    ],
    standIn: 'lib/live/without-steps.js'
  },
  instructor: {
    modules: ['lib/live/instructor-view.js'],
    standIn: 'lib/live/without-instructor.js'
  }
};

/**
 * The bundles, one per set of features an output can need (redpill/live.py's
 * `bundle_for` names them the same way): `main` (live.js) has none.
 */
const BUNDLES = [];
for (const buffers of [false, true]) {
  for (const views of [
    [],
    ['diff'],
    ['quiz'],
    ['diff', 'quiz'],
    ['steps'],
    ['quiz', 'steps']
  ]) {
    const features = [...(buffers ? ['buffers'] : []), ...views];
    BUNDLES.push(features);
  }
}

/** The bundle's name: its features joined by `-`, or `main`. */
function bundleName(features) {
  return features.length ? features.join('-') : 'main';
}

/** Replaces the modules of each feature the bundle lacks by its stand-in. */
function standIns(features) {
  const present = new Set(features);
  if (present.has('diff') || present.has('steps')) {
    present.add('marks');
  }
  if (present.has('marks') || present.has('quiz')) {
    present.add('instructor');
  }
  const replace = new Map();
  for (const [name, { modules, standIn }] of Object.entries(FEATURES)) {
    if (!present.has(name)) {
      for (const file of modules) {
        replace.set(
          path.resolve(__dirname, file),
          path.resolve(__dirname, standIn)
        );
      }
    }
  }
  return new NormalModuleReplacementPlugin(/^\./, resource => {
    const issuer = resource.contextInfo.issuer || '';
    if (!issuer) {
      return;
    }
    let target = path.resolve(path.dirname(issuer), resource.request);
    if (!target.endsWith('.js')) {
      target += '.js';
    }
    if (replace.has(target)) {
      resource.request = replace.get(target);
    }
  });
}

/** Packages the live page must never carry. */
const FORBIDDEN = /[\\/]node_modules[\\/]@(jupyterlab|lumino|jupyter)[\\/]/;

/** Fails the build when a forbidden package was bundled. */
class NoJupyterLabPlugin {
  apply(compiler) {
    compiler.hooks.afterCompile.tap('NoJupyterLabPlugin', compilation => {
      for (const module of compilation.modules) {
        const resource = module.resource || '';
        if (FORBIDDEN.test(resource)) {
          compilation.errors.push(
            new Error(
              `the live bundle must not include JupyterLab or Lumino code: ${resource}` +
                ' (the drawing code imports it; use src/disposable.ts and src/dom.ts)'
            )
          );
        }
      }
      // A name the views import that src/live/exports.ts lacks is an error.
      for (const warning of compilation.warnings.splice(0)) {
        compilation.errors.push(warning);
      }
    });
  }
}

/**
 * The short names of our classes (scripts/short-classes.cjs), found once per
 * build in lib/ and style/, and listed in build/live/classes.json. A class
 * new to scripts/class-numbers.json gets its number there (commit it with
 * the class); in CI a class without one fails the build instead, since the
 * number it would get is not kept.
 */
let classes = null;
function shortClasses() {
  if (!classes) {
    classes = classNames(__dirname);
    if (classes.added.length) {
      if (process.env.CI) {
        throw new Error(
          `${NUMBERS} has no number for ${classes.added.join(', ')}: ` +
            'run npm run build:live and commit it'
        );
      }
      writeFileSync(
        path.join(__dirname, NUMBERS),
        JSON.stringify(classes.numbers, null, 1) + '\n'
      );
    }
    const out = path.resolve(__dirname, 'build/live');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      path.join(out, 'classes.json'),
      JSON.stringify(classes.table, null, 1) + '\n'
    );
  }
  return classes;
}

/**
 * Leaves in each minified bundle the style rules of its own features only
 * (scripts/shake-css.cjs: selectors naming a class of ours that no code in
 * the bundle sets are dropped), then gives our classes short names in its
 * style sheets and code alike (scripts/short-classes.cjs).
 */
class StyleClassesPlugin {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('StyleClassesPlugin', compilation => {
      compilation.hooks.processAssets.tap(
        {
          name: 'StyleClassesPlugin',
          stage: Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_TRANSFER
        },
        assets => {
          for (const name of Object.keys(assets).filter(n =>
            n.endsWith('.js')
          )) {
            const code = shakeBundle(
              assets[name].source().toString(),
              __dirname
            );
            compilation.updateAsset(
              name,
              new sources.RawSource(shortClasses().rename(code))
            );
          }
        }
      );
    });
  }
}

/** The configuration of one bundle; `members` as checkedMembers makes it. */
function bundleConfig(features, members) {
  const name = bundleName(features);
  return {
    name,
    mode: 'production',
    target: ['web', 'es2020'],
    // It sets window.redpillLive itself: no library runtime in the bundle.
    entry: path.resolve(__dirname, 'lib/live/main.js'),
    output: {
      // Only live.js goes into the package beside the pack (the wheel needs
      // no other bundle unpacked); the others stay in build/live/.
      path: path.resolve(
        __dirname,
        name === 'main' ? 'redpill/static' : 'build/live'
      ),
      filename: name === 'main' ? 'live.js' : `live-${name}.js`,
      // Several bundles share the directory: `npm run build:live` empties it
      // first (no stale bundle gets packed).
      clean: false
    },
    devtool: false,
    module: {
      rules: [
        {
          test: /\.css$/,
          type: 'asset/source',
          use: [path.resolve(__dirname, 'scripts/minify-css-loader.cjs')]
        }
      ]
    },
    resolve: {
      extensions: ['.js'],
      alias: Object.fromEntries(
        Object.entries(WIDGET_MODULES).map(([file, standIn]) => [
          path.resolve(__dirname, file),
          path.resolve(__dirname, standIn)
        ])
      )
    },
    optimization: {
      minimize: true,
      splitChunks: false,
      minimizer: [
        new TerserPlugin({
          extractComments: false,
          terserOptions: {
            ecma: 2020,
            module: true,
            compress: {
              passes: 3,
              unsafe_arrows: true,
              pure_getters: true,
              // (no code reads a function's length)
              keep_fargs: false
            },
            // Our private members (`_name`; the code never names them in a
            // string, and no payload key starts with `_`) and the members of
            // INTERNAL_MEMBERS get short names.
            mangle: { properties: { regex: members } },
            format: { comments: false, ascii_only: true }
          }
        })
      ]
    },
    performance: { hints: false },
    plugins: [
      new NoJupyterLabPlugin(),
      standIns(features),
      new StyleClassesPlugin()
    ]
  };
}

module.exports = () => {
  const members = checkedMembers();
  return BUNDLES.map(features => bundleConfig(features, members));
};
