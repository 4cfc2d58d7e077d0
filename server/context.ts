import type { AppContext } from './app.ts';

/*
 * The SvelteKit bundle and the server process load this project's modules separately (adapter-node
 * bundles routes; the server runs the sources), so the running app is handed over through one
 * well-known global slot, set once by the server or the Vite plugin and read by hooks.server.ts.
 */
const SLOT = Symbol.for('wenkong.app');

type Slot = { [SLOT]?: AppContext };

export function setAppContext(app: AppContext | undefined): void {
  (globalThis as Slot)[SLOT] = app;
}

export function getAppContext(): AppContext {
  const app = (globalThis as Slot)[SLOT];
  if (!app) throw new Error('Wenkong app context is not set: start through server.ts or the Vite plugin');
  return app;
}
