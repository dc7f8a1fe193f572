// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'reports/', 'dist/', 'src/contract/generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  // Playwright fixtures take their dependencies as a destructured (often empty) object.
  { files: ['fixtures/**', 'tests/**', 'specs/**', '**/*.spec.ts'], rules: { 'no-empty-pattern': 'off' } },
);
