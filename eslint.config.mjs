// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', '**/*.js', '**/*.mjs', 'test/output/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  // Every regex in the code (route patterns, validation, parsing) is checked for
  // catastrophic backtracking (ReDoS) and other mistakes.
  regexp.configs['flat/recommended'],
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/unbound-method': 'off',
      eqeqeq: ['error', 'always'],
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
      'regexp/no-misleading-capturing-group': 'error',
      curly: ['error', 'all'],
      // Libraries talk to each other through their public `@app/<lib>` entry only.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../../*/src/*', '../../../libs/*', '../../libs/*'], message: 'Import other libs through @app/<lib>.' },
            { group: ['@app/*/*'], message: 'Import a lib through its public index: @app/<lib>.' },
          ],
        },
      ],
    },
  },
  {
    // Tests and their support code may reach into apps, and may be looser with types.
    files: ['test/**/*.ts', '**/*.spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
