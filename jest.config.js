/**
 * jest for the renderer: JupyterLab's own configuration (@jupyterlab/testing:
 * its jsdom environment, browser shims, resolver and transforms), with the
 * tests under src/__tests__, a canvas for the PNG export (jest-canvas-mock)
 * and the precompiled payload validator generated before the run.
 */
const jestJupyterLab = require('@jupyterlab/testing/lib/jest-config');

const base = jestJupyterLab(__dirname);

/** ES-module packages jest must transform (JupyterLab's list, and ours). */
const esModules = [
  '@codemirror',
  '@jupyter/',
  '@jupyterlab/',
  '@lumino/',
  '@marijn',
  '@microsoft',
  'color',
  'exenv-es6',
  'lib0',
  'marked',
  'nanoid',
  'vscode-ws-jsonrpc',
  'y-protocols',
  'y-websocket',
  'yjs'
].join('|');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  reporters: ['default'],
  testRegex: undefined,
  testMatch: ['<rootDir>/src/**/__tests__/**/*.spec.ts'],
  setupFiles: [
    ...base.setupFiles,
    'jest-canvas-mock',
    '<rootDir>/src/__tests__/clipboard.ts'
  ],
  globalSetup: '<rootDir>/scripts/jest-global-setup.cjs',
  modulePathIgnorePatterns: [
    '<rootDir>/.venv/',
    '<rootDir>/lib/',
    '<rootDir>/build/',
    '<rootDir>/redpill/labextension/',
    '<rootDir>/ui-tests/'
  ],
  transform: {
    ...base.transform,
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: './tsconfig.test.json' }],
    '^.+\\.m?jsx?$': 'babel-jest'
  },
  transformIgnorePatterns: [`/node_modules/(?!${esModules}).+`],
  testTimeout: 30000,
  // Test files run in worker processes (two even on a two-core machine, where
  // jest would otherwise run every file in one process whose jsdom heap only
  // grows), each replaced once it holds more than this after a file.
  maxWorkers: 2,
  workerIdleMemoryLimit: '1536MB'
};
