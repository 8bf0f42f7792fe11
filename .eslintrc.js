module.exports = {
  root: true,
  // build output of scripts/generate-payload-types.mjs
  ignorePatterns: ['src/model/*.generated.ts'],
  env: { browser: true, es2020: true, node: true },
  parser: '@typescript-eslint/parser',
  parserOptions: { project: 'tsconfig.eslint.json', sourceType: 'module' },
  plugins: ['@typescript-eslint'],
  extends: [
    'eslint:recommended',
    'plugin:@typescript-eslint/eslint-recommended',
    'plugin:@typescript-eslint/recommended',
    'prettier'
  ],
  rules: {
    '@typescript-eslint/naming-convention': [
      'error',
      {
        selector: 'interface',
        format: ['PascalCase'],
        custom: { regex: '^I[A-Z]', match: true }
      }
    ],
    '@typescript-eslint/no-unused-vars': ['warn', { args: 'none' }],
    '@typescript-eslint/no-explicit-any': 'error',
    '@typescript-eslint/no-namespace': 'off',
    '@typescript-eslint/no-use-before-define': 'off',
    'no-restricted-properties': [
      'error',
      {
        property: 'innerHTML',
        message: 'Build DOM nodes and set textContent instead.'
      },
      {
        property: 'outerHTML',
        message: 'Build DOM nodes and set textContent instead.'
      },
      { property: 'insertAdjacentHTML', message: 'Build DOM nodes instead.' }
    ],
    curly: ['error', 'all'],
    eqeqeq: 'error',
    'prefer-arrow-callback': 'error'
  }
};
