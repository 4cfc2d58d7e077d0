import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** What browser code may not import: server-side layers and server-only modules. */
const serverOnly = {
  patterns: [
    {
      group: [
        '$alerts',
        '$alerts/*',
        '$db',
        '$db/*',
        '$ingest',
        '$ingest/*',
        '$server',
        '$server/*',
        '$lib/server',
        '$lib/server/*',
      ],
      message: 'Browser code must not import server-side modules (alerts/, db/, ingest/, server/, $lib/server).',
    },
    {
      group: [
        '**/alerts/**',
        '**/db/**',
        '**/ingest/**',
        '**/server/**',
        '**/realtime/**',
        '**/*.server',
        '**/*.server.ts',
      ],
      message: 'Browser code must not import server-side modules.',
    },
    {
      group: ['$realtime/*', '!$realtime/contract.ts'],
      message: 'Browser code may only import types from $realtime/contract.ts.',
    },
    { group: ['socket.io', 'pg', '@electric-sql/*'], message: 'Server-only package.' },
  ],
};

export default ts.config(
  { ignores: ['build/', '.svelte-kit/', 'node_modules/', 'data/', 'test-results/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: {
        // The analyser threads' bootstrap is plain JavaScript (it registers tsx for them).
        projectService: { allowDefaultProject: ['ingest/analyse/worker-entry.mjs'] },
        extraFileExtensions: ['.svelte'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      curly: ['error', 'multi-line'],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Flags every local Map/Set/Date, even temporaries; shared state is explicit $state in classes.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, svelteConfig } },
  },
  {
    // Browser code: everything under web/ except server routes, server hooks and $lib/server.
    files: ['web/**/*.ts', 'web/**/*.svelte'],
    ignores: ['web/**/*.server.ts', 'web/**/+server.ts', 'web/lib/server/**', 'web/app.d.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', serverOnly],
    },
  },
  {
    files: ['**/*.js'],
    ...ts.configs.disableTypeChecked,
  },
);
