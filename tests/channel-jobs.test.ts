import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDeadLetters } from '../db/queries/dead-letters.ts';
import { listAttachments } from '../db/queries/originals.ts';
import { findContact } from '../db/queries/petitions.ts';
import { channelJobs } from '../server/channel-jobs.ts';
import { runJobOnce } from '../server/jobs.ts';
import { startDovecot, type TestDovecot } from './helpers/dovecot.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const fixture = (path: string) => readFileSync(new URL(`./fixtures/channels/${path}`, import.meta.url));

/**
 * The e-mail and feed channels end to end: a real Dovecot and a real feed server, the jobs run as the
 * scheduler runs them, through the real pipeline into storage.
 */
describe('scheduled channel jobs through the pipeline', () => {
  let dovecot: TestDovecot;
  let feeds: Server;
  let server: TestServer;
  let dir: string;
  let jobs: ReturnType<typeof channelJobs>;

  beforeAll(async () => {
    dovecot = await startDovecot();
    feeds = createServer((req, res) => {
      const name = req.url === '/broken.xml' ? 'broken.xml' : 'rss.xml';
      const etag = `"${name}-1"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag });
      res.end(fixture(`feed/${name}`));
    });
    await new Promise<void>((resolve) => feeds.listen(0, '127.0.0.1', resolve));
    const port = (feeds.address() as { port: number }).port;
    dir = mkdtempSync(join(tmpdir(), 'wenkong-feeds-'));
    const feedsFile = join(dir, 'feeds.json');
    writeFileSync(
      feedsFile,
      JSON.stringify({
        schedule: '*/5 * * * *',
        feeds: [
          { id: 'forum', url: `http://127.0.0.1:${port}/rss.xml`, regionCode: '320508' },
          { id: 'broken', url: `http://127.0.0.1:${port}/broken.xml` },
        ],
      }),
    );
    const imapUrl = `imap://${dovecot.user}:${dovecot.password}@${dovecot.host}:${dovecot.port}/INBOX`;
    server = await startTestServer('pglite', { IMAP_URL: imapUrl, FEEDS_CONFIG: feedsFile });
    jobs = channelJobs(server.app.config, {
      db: server.app.db,
      submit: server.app.pipeline.submit,
      log: server.app.log,
    });
    const mta = new ImapFlow({
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      auth: { user: dovecot.user, pass: dovecot.password },
      logger: false,
    });
    await mta.connect();
    for (const name of ['gb2312-plain.eml', 'attachments.eml', 'broken.eml']) {
      await mta.append('INBOX', fixture(`email/${name}`));
    }
    await mta.logout();
  });
  afterAll(async () => {
    await jobs?.close();
    await server?.stop();
    await new Promise<void>((resolve) => feeds?.close(() => resolve()));
    await dovecot?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (name: string) =>
    runJobOnce(
      { db: server.app.db, log: server.app.log },
      jobs.jobs.find((j) => j.name === name)!,
      new Date(),
    );

  it('stores mail with sealed sender and attachments, dead-letters the broken one, and fetches nothing twice', async () => {
    const first = await run('email.poll');
    expect(first).toMatchObject({
      ran: true,
      note: expect.stringMatching(/^3 fetched, 2 stored, 0 duplicates, 1 dead-lettered/),
    });
    const { rows } = await server.app.db.query<{ id: string; text: string }>(
      "SELECT id, text FROM petitions WHERE channel = 'email' ORDER BY received_at",
    );
    expect(rows).toHaveLength(2);
    const withFiles = await Promise.all(rows.map((r) => listAttachments(server.app.db, r.id)));
    expect(withFiles.flat().length).toBeGreaterThan(0);
    const contact = await findContact(server.app.db, rows[0]!.id);
    expect(server.app.sealer.unseal(contact!.keyId, contact!.sealed).email).toMatch(/@/);
    expect((await listDeadLetters(server.app.db, { limit: 5, channel: 'email' })).total).toBe(1);
    expect(await run('email.poll')).toMatchObject({ note: expect.stringMatching(/^0 fetched/) });
  });

  it('stores feed items once, and keeps a broken feed as one dead letter without stopping the good one', async () => {
    const first = await run('feeds.poll');
    expect(first.note).toMatch(/^2 feeds, [1-9]\d* stored, failed: broken$/);
    const { rows } = await server.app.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM petitions WHERE channel = 'social' AND region_code = '320508'",
    );
    expect(rows[0]!.n).toBeGreaterThan(0);
    const dead = await listDeadLetters(server.app.db, { limit: 5, channel: 'social' });
    expect(dead.rows[0]).toMatchObject({ stage: 'parse', reason: expect.stringMatching(/line \d+/) });
    // Second poll: the server answers 304 to the stored ETag; nothing new is stored.
    expect((await run('feeds.poll')).note).toMatch(/^2 feeds, 0 stored/);
  });
});
