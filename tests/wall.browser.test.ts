import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../ingest/api-keys.ts';
import { createUser } from '../server/auth/login.ts';
import { generateContactKeySpec } from '../ingest/contact-seal.ts';
import { loadConfig } from '../server/config.ts';
import { startServer, type RunningServer } from '../server/main.ts';
import { postPetitions } from './helpers/server.ts';
import { launchChromium } from './helpers/browser.ts';

const todayCount = async (page: Page) =>
  Number((await page.getByTestId('today-count').textContent())!.replace(/,/g, ''));

/** The production server on embedded storage, as `npm start` runs it (demo feed off: counts are ours). */
describe('the wall in Chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wenkong-wall-'));
  const env = {
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DEMO_FEED: 'off',
    DEMO_ACCOUNTS: 'off',
    CONTACT_KEYS: generateContactKeySpec(),
    QUIET: 'on',
  };
  let server: RunningServer;
  let browser: Browser;
  let key: string;
  beforeAll(async () => {
    server = await startServer(loadConfig({ ...env, PORT: '0' }));
    key = await createApiKey(server.app.db, 'hotline', 'browser test');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the live count change when a petition is posted, fits 1920×1080, and saves a screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // A Content-Security-Policy violation shows up as a console error: there must be none.
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    const first = await page.goto(`${server.url}/wall`);
    expect(first!.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    expect(first!.headers()['content-security-policy']).not.toContain('unsafe-inline');
    expect(first!.headers()['x-content-type-options']).toBe('nosniff');
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 10_000 }).toContain('实时');
    const before = await todayCount(page);

    const posted = await postPetitions(server, key, {
      channel: 'hotline',
      text: '<img src=x onerror="window.__xss=1">工地拖欠三十多名农民工工资，电话13800001111',
      regionCode: '320583',
    });
    expect(posted.status).toBe(201);
    await expect.poll(() => todayCount(page), { timeout: 10_000 }).toBe(before + 1);
    await expect.poll(() => page.getByTestId('latest').textContent(), { timeout: 5_000 }).toContain('138****1111');

    // The markup in the text is shown as text, never run; the page does not scroll.
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    const size = await page.evaluate(() => ({
      w: document.documentElement.scrollWidth,
      h: document.documentElement.scrollHeight,
    }));
    expect(size.w).toBeLessThanOrEqual(1920);
    expect(size.h).toBeLessThanOrEqual(1080);
    expect(await page.locator('h1').textContent()).toContain('信访稳控指挥中心');
    expect(errors, errors.join('\n')).toEqual([]);

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/wall.png' });

    // A server restart: the page notices, reconnects by itself and goes on counting.
    const port = new URL(server.url).port;
    await server.close();
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 10_000 }).toContain('重连中');
    server = await startServer(loadConfig({ ...env, PORT: port }));
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 15_000 }).toContain('实时');
    expect(await todayCount(page)).toBe(before + 1);
    await postPetitions(server, key, { channel: 'hotline', text: '重启之后的来电' });
    await expect.poll(() => todayCount(page), { timeout: 10_000 }).toBe(before + 2);
  });

  it('signs in through the form and shows hostile petition text on the console as inert text', async () => {
    await createUser(
      server.app.db,
      { username: 'browser-op', password: 'Browser-Test-Passw0rd!', role: 'operator' },
      new Date(),
    );
    await postPetitions(server, key, {
      channel: 'hotline',
      text: '<script>window.__xss=2</script><img src=x onerror="window.__xss=3">小区电梯停运一周',
    });
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${server.url}/console`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name=username]', 'browser-op');
    await page.fill('input[name=password]', 'Browser-Test-Passw0rd!');
    await page.click('button[type=submit]');
    await page.waitForURL(`${server.url}/console`, { timeout: 8000 }).catch(async (e: unknown) => {
      throw new Error(`${String(e)} at ${page.url()}: ${(await page.content()).slice(0, 1500)}`);
    });
    const rows = await page.getByTestId('console-rows').textContent();
    expect(rows).toContain('<script>window.__xss=2</script>');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('[data-testid=console-rows] script, [data-testid=console-rows] img').count()).toBe(0);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.screenshot({ path: 'test-results/console.png' });
  });
});
