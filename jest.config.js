/**
 * jest for the renderer: ts-jest in a jsdom environment. The TypeScript is
 * compiled to CommonJS for jest only (the build itself emits ES modules).
 */
const esModules = [
  '@jupyter/react-components',
  '@jupyter/web-components',
  '@jupyter/ydoc',
  '@jupyterlab/',
  '@lumino/',
  '@microsoft/',
  '@marijn/',
  'exenv-es6',
  'color',
  'lib0',
  'marked',
  'y-protocols',
  'yjs'
].join('|');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/src/**/__tests__/**/*.spec.ts'],
  setupFiles: ['<rootDir>/src/__tests__/setup.ts'],
  globalSetup: '<rootDir>/scripts/jest-global-setup.cjs',
  modulePathIgnorePatterns: [
    '<rootDir>/.venv/',
    '<rootDir>/lib/',
    '<rootDir>/build/',
    '<rootDir>/redpill/labextension/',
    '<rootDir>/ui-tests/'
  ],
  moduleNameMapper: {
    '\\.(css|less|sass|scss)$': '<rootDir>/src/__tests__/mocks/style.ts',
    '\\.svg$': '<rootDir>/src/__tests__/mocks/svg.ts'
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'json'],
  transform: {
    '^.+\\.tsx?$': [
      'ts-jest',
      {
        tsconfig: {
          module: 'commonjs',
          target: 'ES2020',
          lib: ['DOM', 'DOM.Iterable', 'ES2020'],
          strict: true,
          esModuleInterop: true,
          resolveJsonModule: true,
          skipLibCheck: true,
          allowJs: true,
          types: ['jest', 'node']
        }
      }
    ],
    '^.+\\.m?jsx?$': [
      'ts-jest',
      {
        tsconfig: { module: 'commonjs', allowJs: true, esModuleInterop: true },
        isolatedModules: true
      }
    ]
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esModules}))`],
  testTimeout: 30000
};
