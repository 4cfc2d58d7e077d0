import { validate } from 'node-cron';
import { describe, expect, it } from 'vitest';
import type { Db } from '../db/client.ts';
import { channelJobs } from './channel-jobs.ts';
import { loadConfig } from './config.ts';
import { createLog } from './log.ts';

const deps = { db: {} as Db, submit: () => Promise.resolve([]), log: createLog(true) };

describe('channel jobs', () => {
  it('always links petitions, and polls e-mail and feeds only when configured', () => {
    const none = channelJobs(loadConfig({}), deps);
    expect(none.jobs.map((j) => j.name)).toEqual(['petitions.link']);
    const all = channelJobs(
      loadConfig({
        IMAP_URL: 'imap://petitions:secret@127.0.0.1:1143/INBOX',
        FEEDS_CONFIG: new URL('../config/feeds.example.json', import.meta.url).pathname,
      }),
      deps,
    );
    expect(all.jobs.map((j) => j.name)).toEqual(['petitions.link', 'email.poll', 'feeds.poll']);
    for (const job of all.jobs) expect(validate(job.cron)).toBe(true);
  });

  it('refuses a malformed IMAP_URL or feeds file at start, with the reason', () => {
    expect(() => channelJobs(loadConfig({ IMAP_URL: 'http://example.cn' }), deps)).toThrow(/imap/i);
    expect(() => channelJobs(loadConfig({ FEEDS_CONFIG: '/nonexistent/feeds.json' }), deps)).toThrow(/feeds\.json/);
  });
});
