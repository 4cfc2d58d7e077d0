import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeKpis } from '../alerts/kpis.ts';
import { type Alert, type AlertSeverity } from '../alerts/types.ts';
import { insertAlert, updateAlert } from '../db/queries/alerts.ts';
import { generateContactKeySpec } from '../ingest/contact-seal.ts';
import { WALL_ROOM } from '../realtime/rooms.ts';
import { loadConfig } from '../server/config.ts';
import { startServer, type RunningServer } from '../server/main.ts';
import { storedAlert } from './helpers/alerts.ts';
import { launchChromium } from './helpers/browser.ts';

/** A complete open alert of a rule no engine evaluates, so only the test changes it. */
function testAlert(zh: string, severity: AlertSeverity, score: number, now: Date): Alert {
  return storedAlert({
    ruleId: 'test.wall',
    kind: 'volume',
    scope: { regionCode: '320583', topic: 'labour', term: zh },
    at: now,
    severity,
    title: { zh, en: `Test alert ${severity}` },
    measures: { count: 12, expected: 3.5 },
    score,
    factors: [{ name: 'volume', label: { zh: '数量', en: 'Volume' }, value: 3.4, weight: 10, contribution: score }],
  });
}

const later = (d: Date, ms: number) => new Date(d.getTime() + ms);

/** The production server on embedded storage; alerts go in through the database and the app's bus. */
describe('alerts and KPIs on the wall in Chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wenkong-wall-alerts-'));
  const env = {
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DEMO_FEED: 'off',
    DEMO_ACCOUNTS: 'off',
    CONTACT_KEYS: generateContactKeySpec(),
    QUIET: 'on',
    ANALYSIS_THREADS: '0',
  };
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer(loadConfig({ ...env, PORT: '0' }));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const raise = async (alert: Alert) => {
    expect(await insertAlert(server.app.db, alert)).toBe(true);
    server.app.bus.publish('alerts.changed', { alert, change: 'raised' });
  };
  const resolve = async (alert: Alert, at: Date): Promise<Alert> => {
    const resolved: Alert = { ...alert, state: 'resolved', resolvedAt: at, resolvedBy: 'test', updatedAt: at };
    await updateAlert(server.app.db, resolved);
    server.app.bus.publish('alerts.changed', { alert: resolved, change: 'updated' });
    return resolved;
  };
  const list = (page: Page) => page.getByTestId('alerts');

  it('lists open alerts from first paint, shows raised ones live, and removes resolved ones', async () => {
    const t0 = new Date();
    const standing = testAlert('测试预警：开发区重复信访', 'key', 41, later(t0, -20 * 60_000));
    expect(await insertAlert(server.app.db, standing)).toBe(true);

    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // A style attribute the CSP blocks shows up as a console error: there must be none.
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${server.url}/wall`);
    // First paint, before any event: the standing alert, its count, its state and age.
    const standingItem = list(page).locator(`[data-alert-id="${standing.id}"]`);
    await expect.poll(() => standingItem.textContent()).toContain('测试预警：开发区重复信访');
    expect(await standingItem.textContent()).toMatch(/已发出[\s\S]*20 分钟前/);
    expect(await page.getByTestId('alert-count-key').textContent()).toContain('1');
    expect(await page.getByTestId('kpi-strip').textContent()).toContain('信访增长率');
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 10_000 }).toContain('实时');

    const extreme = testAlert('测试预警：园区农民工聚集讨薪', 'extreme', 87, new Date());
    await raise(extreme);
    const item = list(page).getByText('测试预警：园区农民工聚集讨薪');
    await item.waitFor({ state: 'visible', timeout: 5000 });
    const extremeItem = list(page).locator(`[data-alert-id="${extreme.id}"]`);
    expect(await extremeItem.getAttribute('class')).toContain('fresh');
    expect(await page.getByTestId('alert-count-extreme').textContent()).toContain('1');
    // Most serious first.
    expect(await list(page).locator('[data-alert-id]').first().getAttribute('data-alert-id')).toBe(extreme.id);
    expect(await extremeItem.locator('rect.fill').getAttribute('width')).toBe('87');

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/wall-alerts.png' });
    const size = await page.evaluate(() => ({
      w: document.documentElement.scrollWidth,
      h: document.documentElement.scrollHeight,
    }));
    expect(size.w).toBeLessThanOrEqual(1920);
    expect(size.h).toBeLessThanOrEqual(1080);

    const acknowledged: Alert = { ...extreme, state: 'acknowledged', updatedAt: later(extreme.updatedAt, 1000) };
    server.app.bus.publish('alerts.changed', { alert: acknowledged, change: 'updated' });
    await expect.poll(() => extremeItem.textContent(), { timeout: 5000 }).toContain('已签收');

    await resolve(acknowledged, later(extreme.updatedAt, 2000));
    await item.waitFor({ state: 'detached', timeout: 5000 });
    expect(await page.getByTestId('alert-count-extreme').textContent()).toContain('0');

    // A replay of the older raise must not bring it back: a later alert on the same socket marks the
    // point by which the replay has been applied.
    server.app.bus.publish('alerts.changed', { alert: extreme, change: 'raised' });
    const marker = testAlert('测试预警：标记', 'general', 5, new Date());
    await raise(marker);
    await list(page).getByText('测试预警：标记').waitFor({ state: 'visible', timeout: 5000 });
    expect(await list(page).textContent()).not.toContain('园区农民工聚集讨薪');

    await resolve(standing, new Date());
    await resolve(marker, new Date());
    await list(page).getByText('暂无预警 · No open alerts').waitFor({ state: 'visible', timeout: 5000 });
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('updates the KPI strip from kpi:tick, with definitions as tooltips', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${server.url}/wall`);
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 10_000 }).toContain('实时');
    const base = await computeKpis(server.app.db, new Date(), server.app.region.timezone);
    // An instant ahead of any real tick, so the server's own ticks cannot replace it during the test.
    server.realtime.io.to(WALL_ROOM).emit('kpi:tick', {
      ...base,
      at: later(new Date(), 3_600_000).toISOString(),
      growth: { ...base.growth, day: { ...base.growth.day, rate: 0.25, current: 50, previous: 40 } },
      hotTopics: [
        {
          kind: 'topic',
          key: 'land',
          category: null,
          count: 31,
          perHour: 31 / 24,
          previousDailyMean: 10,
          burstRatio: 3.1,
        },
        {
          kind: 'topic',
          key: 'labour',
          category: null,
          count: 17,
          perHour: 17 / 24,
          previousDailyMean: 0,
          burstRatio: null,
        },
      ],
    });
    await expect.poll(() => page.getByTestId('kpi-growth-day').textContent(), { timeout: 5000 }).toContain('▲25%');
    expect(await page.getByTestId('kpi-hot').textContent()).toMatch(/征地拆迁\s*31[\s\S]*劳动社保\s*17/);
    expect(await page.getByTestId('kpi-growth-day').getAttribute('title')).toContain('信访增长率（日）');
    expect(await page.getByTestId('kpi-negative').getAttribute('title')).toContain('负面情感指数');
  });

  it('after a server restart, reloads the open alerts it could have missed', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${server.url}/wall`);
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 10_000 }).toContain('实时');
    // Known to the page only by an event (never stored), and stored but never announced.
    const phantom = testAlert('测试预警：仅事件', 'major', 60, new Date());
    server.app.bus.publish('alerts.changed', { alert: phantom, change: 'raised' });
    await list(page).getByText('测试预警：仅事件').waitFor({ state: 'visible', timeout: 5000 });
    const unannounced = testAlert('测试预警：未推送', 'major', 70, new Date());
    expect(await insertAlert(server.app.db, unannounced)).toBe(true);

    const port = new URL(server.url).port;
    await server.close();
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 10_000 }).toContain('重连中');
    server = await startServer(loadConfig({ ...env, PORT: port }));
    await list(page).getByText('测试预警：未推送').waitFor({ state: 'visible', timeout: 15_000 });
    await list(page).getByText('测试预警：仅事件').waitFor({ state: 'detached', timeout: 5000 });
    expect(await page.getByTestId('connection').textContent()).toContain('实时');
  });
});
