import type { Db } from '../db/client.ts';
import { revokeApiKeysByLabel } from '../db/queries/api-keys.ts';
import { createApiKey } from '../ingest/api-keys.ts';
import type { ChannelCode } from '../ingest/channels/catalog.ts';
import { createDemoGenerator } from '../ingest/demo/generator.ts';
import type { Intake } from '../ingest/intake.ts';
import type { PetitionInput } from '../ingest/petition.ts';
import type { RegionPack } from '../ingest/regions.ts';
import type { Log } from './log.ts';

const KEY_LABEL = 'demo-feed';

export interface DemoFeedOptions {
  db: Db;
  intake: Intake;
  region: RegionPack;
  /** Average petitions per minute over a day. */
  ratePerMinute: number;
  log: Log;
  now: () => Date;
  seed?: number;
  intervalMs?: number;
}

export interface DemoFeed {
  /** Stops the timer and waits for a step in flight. */
  stop(): Promise<void>;
}

/**
 * The built-in demo: realistic petitions posted through the same intake as every channel, with a key of
 * each channel like a real integration. Nothing downstream knows it is a demo.
 */
export async function startDemoFeed(options: DemoFeedOptions): Promise<DemoFeed> {
  await revokeApiKeysByLabel(options.db, KEY_LABEL);
  const keys = new Map<ChannelCode, string>();
  const keyFor = async (channel: ChannelCode) => {
    let key = keys.get(channel);
    if (!key) {
      key = await createApiKey(options.db, channel, KEY_LABEL);
      keys.set(channel, key);
    }
    return key;
  };

  const generator = createDemoGenerator({ region: options.region, seed: options.seed ?? Date.now() % 2 ** 31 });
  const intervalMs = options.intervalMs ?? 1000;
  let owed = 0;
  let last = options.now().getTime();
  let lastBurst: string | null = null;
  let inflight: Promise<void> | null = null;

  async function step(): Promise<void> {
    const now = options.now();
    const elapsedMinutes = Math.min(5, (now.getTime() - last) / 60_000);
    last = now.getTime();
    owed += generator.ratePerMinute(now, options.ratePerMinute) * elapsedMinutes;
    const burst = generator.burstAt(now);
    const burstName = burst ? burst.label : null;
    if (burstName !== lastBurst && burstName) options.log.info(`demo feed: burst started: ${burstName}`);
    lastBurst = burstName;

    const byChannel = new Map<ChannelCode, PetitionInput[]>();
    for (; owed >= 1; owed -= 1) {
      const item = generator.next(now);
      const list = byChannel.get(item.channel) ?? [];
      list.push(item);
      byChannel.set(item.channel, list);
    }
    for (const [channel, items] of byChannel) {
      const body = new TextEncoder().encode(JSON.stringify(items));
      const response = await options.intake.handle({
        authorization: `Bearer ${await keyFor(channel)}`,
        contentType: 'application/json',
        readBody: async (limit) => (body.byteLength > limit ? null : body),
      });
      if (response.status >= 300) options.log.warn(`demo feed: intake answered ${response.status} for ${channel}`);
    }
  }

  const timer = setInterval(() => {
    if (inflight) return; // a slow commit must not pile up steps
    inflight = step()
      .catch((error: unknown) => options.log.error('demo feed step failed', error))
      .finally(() => (inflight = null));
  }, intervalMs);
  options.log.info(`demo feed on: ~${options.ratePerMinute}/min across ${options.region.name}`);

  return {
    async stop() {
      clearInterval(timer);
      await inflight;
    },
  };
}
