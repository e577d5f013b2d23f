import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The hexagon's arrows point inward: the domain sees only itself and neverthrow,
// the application never reaches into an adapter or an SDK, adapters never into the composition root.
const domainRule = {
  patterns: [
    {
      regex: '^(?!\\.{1,2}/|neverthrow$).*',
      message: 'src/domain may import only itself and neverthrow.',
    },
    {
      regex: '(^|/)(application|adapters|main)/',
      message: 'src/domain may import only itself and neverthrow.',
    },
  ],
};
const applicationRule = {
  patterns: [
    {
      regex: '(^|/)(adapters|main)/',
      message: 'src/application reaches adapters only through its ports.',
    },
    {
      regex: '^(@aws-sdk/|@opentelemetry/|pg$|@electric-sql/|commander$|node:http)',
      message: 'src/application speaks its own language, never an SDK or driver.',
    },
  ],
};

const adapterRule = {
  patterns: [{ regex: '(^|/)main/', message: 'adapters never reach into the composition root (src/main): it wires them, not the other way round.' }],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', '.reports/**', 'coverage/**', 'dist/**', 'cdk.out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },
  { files: ['src/domain/**/*.ts'], rules: { 'no-restricted-imports': ['error', domainRule] } },
  { files: ['src/application/**/*.ts'], rules: { 'no-restricted-imports': ['error', applicationRule] } },
  { files: ['src/adapters/**/*.ts'], rules: { 'no-restricted-imports': ['error', adapterRule] } },
);
