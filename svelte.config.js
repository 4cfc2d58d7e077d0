import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** The SvelteKit app lives in web/; ingest/, db/, alerts/, realtime/ and server/ sit beside it. */
/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build' }),
    files: {
      src: 'web',
      routes: 'web/routes',
      lib: 'web/lib',
      assets: 'web/static',
      params: 'web/params',
      appTemplate: 'web/app.html',
      errorTemplate: 'web/error.html',
      hooks: { server: 'web/hooks.server', client: 'web/hooks.client', universal: 'web/hooks' },
      serviceWorker: 'web/service-worker',
    },
    // web/hooks.server.ts does the origin check itself, exempting Open311 and the key-authenticated APIs.
    csrf: { trustedOrigins: ['*'] },
    alias: { $alerts: 'alerts', $db: 'db', $ingest: 'ingest', $realtime: 'realtime', $server: 'server' },
    // No inline script or style runs unless SvelteKit hashed or nonced it; nothing loads from elsewhere.
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self'],
        // SvelteKit's route announcer carries one fixed style attribute: allow exactly that one.
        'style-src-attr': ['unsafe-hashes', 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='],
        'img-src': ['self', 'data:'],
        // Vite inlines the smallest font subsets as data: URLs.
        'font-src': ['self', 'data:'],
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
    typescript: {
      config(tsconfig) {
        for (const dir of ['alerts', 'ingest', 'db', 'realtime', 'server', 'tests', 'scripts', 'bench']) {
          tsconfig.include.push(`../${dir}/**/*.ts`);
        }
        tsconfig.include.push('../server.ts', '../vite.config.ts', '../eslint.config.js', '../svelte.config.js');
        return tsconfig;
      },
    },
  },
};

export default config;
