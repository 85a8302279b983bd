// Lint: typescript-eslint's strict, type-aware rules over all our TypeScript, and React's hooks
// rules over the renderer. Runs in `npm test` (and so in CI) with no warning allowed.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'resources/**', 'bench/results/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Numbers in messages and logs read fine; objects and nullables still may not.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Off: `return reply(...)` as an early exit from an async handler, and `() => list.push(x)`,
      // read plainly here; its fixer splits each into two statements on one line.
      '@typescript-eslint/no-confusing-void-expression': 'off',
    },
  },
  {
    // Tests and benchmarks read the server's JSON replies and check them with expect() (or
    // report them): typing every reply, or proving a value non-null before asserting on it,
    // would say nothing the assertion does not.
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
);
