import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postPetitions, startTestServer, type TestServer } from './helpers/server.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('the wall in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer('pglite');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the live count change when a petition is posted, fits 1920×1080, and saves a screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/wall`);
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 10_000 }).toContain('实时');
    const before = Number((await page.getByTestId('today-count').textContent())!.replace(/,/g, ''));

    const posted = await postPetitions(server, server.keys.hotline, {
      channel: 'hotline',
      text: '<img src=x onerror="window.__xss=1">工地拖欠三十多名农民工工资，电话13800001111',
      regionCode: '320583',
    });
    expect(posted.status).toBe(201);
    await expect
      .poll(async () => Number((await page.getByTestId('today-count').textContent())!.replace(/,/g, '')), {
        timeout: 10_000,
      })
      .toBe(before + 1);
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
    expect(errors).toEqual([]);

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/wall.png' });
  });
});
