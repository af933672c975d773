// Lint is part of `make test`. Besides the recommended rules it enforces the layering:
// the client never imports the server, only server/sandbox imports isolated-vm, and the host
// takes vscode-jsonrpc's values from server/jsonRpc.ts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'schemas/generated/**', 'bench/results*.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
        setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', clearImmediate: 'readonly',
        performance: 'readonly', URL: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly',
        AbortController: 'readonly', AbortSignal: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly',
        NodeJS: 'readonly', global: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly',
      },
    },
    rules: {
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-empty-object-type': 'off',
      'no-restricted-imports': ['error', { paths: [{ name: 'isolated-vm', message: 'Only server/sandbox may import isolated-vm.' }] }],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'isolated-vm', message: 'Only server/sandbox may import isolated-vm.' },
            { name: 'vscode-jsonrpc/node', allowTypeImports: true, message: 'The host takes vscode-jsonrpc values from server/jsonRpc.ts (the node entry costs start-up time).' },
          ],
        },
      ],
    },
  },
  {
    files: ['server/sandbox/**/*.ts', 'test/sandbox/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'isolated-vm', message: 'The client never loads isolated-vm.' }],
          patterns: [{ group: ['**/server/**', '../server/*', '!@modelcontextprotocol/sdk/**'], message: 'The client never imports the server; share types through schemas/.' }],
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts', 'client/**/*.ts'],
    ignores: ['client/cli/**'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
