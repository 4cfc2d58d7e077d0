import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('defaults to embedded storage with the demo feed on', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: undefined,
      demoFeed: true,
      demoRate: 40,
      regionPack: 'suzhou',
    });
  });
  it('turns the demo feed off by default on a real database', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://h/db' }).demoFeed).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://h/db', DEMO_FEED: 'on' }).demoFeed).toBe(true);
  });
  it('names the variable at fault', () => {
    expect(() => loadConfig({ PORT: 'http' })).toThrow(/PORT must be an integer/);
    expect(() => loadConfig({ DEMO_FEED: 'maybe' })).toThrow(/DEMO_FEED must be on or off/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });
});
