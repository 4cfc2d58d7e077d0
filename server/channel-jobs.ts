import type { Db } from '../db/client.ts';
import { readChannelState, writeChannelState } from '../db/queries/channel-state.ts';
import type { ChannelState, Submit } from '../ingest/channels/adapter.ts';
import { createImapPoller, parseImapUrl } from '../ingest/channels/email.ts';
import { createFeedPoller, loadFeedsConfig } from '../ingest/channels/feed.ts';
import { linkNewPetitions } from '../ingest/linker.ts';
import type { Config } from './config.ts';
import type { Job } from './jobs.ts';
import type { Log } from './log.ts';

/** Polling adapters keep their cursors and validators in the channel_state table. */
export function dbChannelState(db: Db): ChannelState {
  return { get: (key) => readChannelState(db, key), set: (key, value) => writeChannelState(db, key, value) };
}

export interface ChannelJobs {
  jobs: Job[];
  close(): Promise<void>;
}

/**
 * The scheduled jobs of the channels: cross-channel linking always; the IMAP mailbox when IMAP_URL is
 * set; the feeds of FEEDS_CONFIG when it is set. Each is an entry of the one job list (server/jobs.ts),
 * so it runs once across nodes under its advisory lock.
 */
export function channelJobs(config: Config, deps: { db: Db; submit: Submit; log: Log }): ChannelJobs {
  const state = dbChannelState(deps.db);
  const jobs: Job[] = [
    {
      name: 'petitions.link',
      cron: '*/20 * * * * *',
      run: async ({ db }, now) => {
        const r = await linkNewPetitions(db, now);
        return `${r.petitions} petitions looked at, ${r.links} links`;
      },
    },
  ];
  const closers: (() => Promise<void>)[] = [];
  if (config.imapUrl) {
    const poller = createImapPoller({
      config: parseImapUrl(config.imapUrl),
      submit: deps.submit,
      state,
      log: deps.log,
    });
    closers.push(() => poller.close());
    jobs.push({
      name: 'email.poll',
      cron: config.imapSchedule,
      run: async () => {
        const r = await poller.poll();
        return `${r.fetched} fetched, ${r.stored} stored, ${r.duplicates} duplicates, ${r.rejected} dead-lettered, ${r.deferred} deferred`;
      },
    });
  }
  if (config.feedsConfig) {
    const feeds = loadFeedsConfig(config.feedsConfig);
    const poller = createFeedPoller({ config: feeds, submit: deps.submit, state, log: deps.log });
    jobs.push({
      name: 'feeds.poll',
      cron: feeds.schedule,
      run: async () => {
        const results = await poller.poll();
        const stored = results.reduce((n, r) => n + r.stored, 0);
        const failed = results.filter((r) => r.status === 'error').map((r) => r.feed);
        return `${results.length} feeds, ${stored} stored${failed.length > 0 ? `, failed: ${failed.join(', ')}` : ''}`;
      },
    });
  }
  return {
    jobs,
    async close() {
      for (const close of closers) await close();
    },
  };
}
