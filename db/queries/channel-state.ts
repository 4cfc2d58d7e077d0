import type { Queryable } from '../client.ts';

/** One value of a polling adapter's or job's durable state, or null. */
export async function readChannelState(db: Queryable, key: string): Promise<string | null> {
  const { rows } = await db.query<{ value: string }>('SELECT value FROM channel_state WHERE key = $1', [key]);
  return rows[0]?.value ?? null;
}

/** Sets one value (insert or replace). */
export async function writeChannelState(db: Queryable, key: string, value: string): Promise<void> {
  await db.query(
    `INSERT INTO channel_state (key, value, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [key, value],
  );
}
