import type { Server as HttpServer } from 'node:http';
import type { Plugin } from 'vite';
import { attachAppRealtime, createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { setAppContext } from './context.ts';

/**
 * `npm run dev`: runs the same app context and realtime gateway inside Vite's dev server, so the dev
 * wall is live exactly as in production.
 */
export function wenkongDev(): Plugin {
  return {
    name: 'wenkong-dev',
    apply: 'serve',
    async configureServer(server) {
      const httpServer = server.httpServer as HttpServer | null;
      // Middleware mode has no server of its own; vitest loads this config but serves nothing.
      if (!httpServer || process.env.VITEST) return;
      const app = await createApp(loadConfig());
      setAppContext(app);
      const realtime = attachAppRealtime(httpServer, app);
      const address = httpServer.address();
      const port = typeof address === 'object' && address ? address.port : 5173;
      await app.start(`http://localhost:${port}`);
      httpServer.once('close', () => {
        void realtime.close().then(() => app.close());
      });
    },
  };
}
