/**
 * The live diagram's bundle (npm run build:live): the drawing code of src/
 * (compiled by tsc into lib/) as one self-contained script,
 * redpill/static/live.js, that the kernel's text/html carries compressed.
 * It sets `window.redpillLive` (the API of src/live/index.ts) when run.
 *
 * The build fails if anything from JupyterLab or Lumino is bundled: the
 * drawing must not need them (see src/disposable.ts, src/view/toolbar-items.ts).
 */
const path = require('path');

const TerserPlugin = require('terser-webpack-plugin');
const { NormalModuleReplacementPlugin } = require('webpack');

/**
 * Modules the live page replaces by src/live/exports.ts: the export buttons'
 * and static copies' code, which only the JupyterLab widget uses.
 */
const EXPORT_MODULES = [
  'lib/draw/export.js',
  'lib/draw/png.js',
  'lib/view/actions.js'
];

/** Placeholder of the chunk-loading global, named per build when packed. */
const CHUNK_GLOBAL = 'redpillLiveChunks_000000000000';

/**
 * The buffer kinds' drawing, a chunk of its own (lib/live/buffers-chunk.js):
 * everywhere else the views get the core's stand-in, lib/live/buffers.js.
 */
const BUFFER_MODULES = [
  'lib/draw/kinds/buffer.js',
  'lib/draw/buffer-details.js'
].map(file => path.resolve(__dirname, file));
const BUFFER_ISSUERS = [
  path.resolve(__dirname, 'lib/live/buffers-chunk.js'),
  ...BUFFER_MODULES
];

/** Gives the views the buffer stand-in unless the buffer chunk imports. */
const bufferStandIn = new NormalModuleReplacementPlugin(/buffer/, resource => {
  const issuer = resource.contextInfo.issuer || '';
  if (!issuer || !resource.request.startsWith('.')) {
    return;
  }
  let target = path.resolve(path.dirname(issuer), resource.request);
  if (!target.endsWith('.js')) {
    target += '.js';
  }
  if (BUFFER_MODULES.includes(target) && !BUFFER_ISSUERS.includes(issuer)) {
    resource.request = path.resolve(__dirname, 'lib/live/buffers.js');
  }
});

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

/** @type {import('webpack').Configuration} */
module.exports = {
  mode: 'production',
  target: ['web', 'es2020'],
  entry: path.resolve(__dirname, 'lib/live/index.js'),
  output: {
    path: path.resolve(__dirname, 'redpill/static'),
    filename: 'live.js',
    // Feature chunks (the instructor views): redpill/live.py embeds each in
    // the outputs whose payload needs it, and the bootstrap runs them before
    // the entry. scripts/pack-live.mjs gives the chunk-loading global a name
    // of this build, so two builds on one page never mix.
    chunkFilename: 'live-[name].js',
    chunkLoadingGlobal: CHUNK_GLOBAL,
    // A chunk an output lacks is never fetched: its "URL" is an empty script.
    publicPath: 'data:text/javascript,//',
    library: { name: 'redpillLive', type: 'window' },
    // The directory holds this build alone (no stale chunk gets packed).
    clean: true
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
      EXPORT_MODULES.map(file => [
        path.resolve(__dirname, file),
        path.resolve(__dirname, 'lib/live/exports.js')
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
          compress: { passes: 3, unsafe_arrows: true, pure_getters: true },
          format: { comments: false, ascii_only: true }
        }
      })
    ]
  },
  performance: { hints: false },
  plugins: [new NoJupyterLabPlugin(), bufferStandIn]
};
