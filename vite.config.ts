import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { wenkongDev } from './server/vite-plugin.ts';

export default defineConfig({
  plugins: [sveltekit(), wenkongDev()],
  test: {
    include: ['{alerts,ingest,db,realtime,server,web,tests,scripts}/**/*.spec.ts', 'tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration files each create their own database; two at a time fits a 2-core machine.
    maxWorkers: 2,
    expect: { requireAssertions: true },
    // Tests run the production build as Node would; never let the Svelte plugin re-compile its
    // chunks (their names end in .svelte.js).
    server: { deps: { external: [/\/build\//] } },
  },
});
