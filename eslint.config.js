// Lint: typescript-eslint's strict, type-aware rules over all our TypeScript, and React's hooks
// rules over the renderer. Runs in `npm test` (and so in CI) with no warning allowed.
import js from '@eslint/js';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'resources/**', 'bench/results/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  // A rule switched off in the code says why.
  comments.recommended,
  { rules: { '@eslint-community/eslint-comments/require-description': 'error' } },
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Numbers in messages and logs read fine; objects and nullables still may not.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Off: `return reply(...)` as an early exit from an async handler, and `() => list.push(x)`,
      // read plainly here; its fixer splits each into two statements on one line.
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // Off: handler tables (protocol methods, catalog access rules) take async functions, and
      // some handlers have nothing to wait for.
      '@typescript-eslint/require-await': 'off',
      // One module per idea: a file past this has two.
      'max-lines': ['error', { max: 400 }],
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
      // A test knows what the call it provokes throws, and asserts on it.
      '@typescript-eslint/use-unknown-in-catch-callback-variable': 'off',
      // Output of child processes and sockets is appended as it comes, chunk by chunk.
      '@typescript-eslint/restrict-plus-operands': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      // `_name` is how a test says it drops a field on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    // The rules of hooks and their dependencies. The plugin's newer rules (set-state-in-effect,
    // purity, …) prepare code for the React Compiler, which this app does not use.
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
);
