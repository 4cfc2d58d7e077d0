import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelRecord, ChannelState, RecordOutcome, RecordSource } from '../ingest/channels/adapter.ts';
import { createImapPoller, type ImapConfig, type ImapPollerDeps, PROCESSED_KEYWORD } from '../ingest/channels/email.ts';
import { startDovecot, type TestDovecot } from './helpers/dovecot.ts';

/** The poller against a real Dovecot: what it hands the pipeline, what it marks, what it fetches again. */

const fixture = (name: string) => readFileSync(new URL(`./fixtures/channels/email/${name}`, import.meta.url));
const NOW = new Date('2026-11-20T08:00:00+08:00');

/** ChannelState as the channel_state table would behave, in memory. */
function memoryState(): ChannelState & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    get: (key) => Promise.resolve(values.get(key) ?? null),
    set: (key, value) => {
      values.set(key, value);
      return Promise.resolve();
    },
  };
}

/**
 * A stand-in for the pipeline: records every call and answers as it would (stored, or rejected and
 * dead-lettered), unless `answer` says otherwise for a record.
 */
function fakeSubmit(answer: (record: ChannelRecord) => RecordOutcome | null = () => null) {
  const calls: { records: ChannelRecord[]; source: RecordSource }[] = [];
  let n = 0;
  const submit = (records: readonly ChannelRecord[], source: RecordSource): Promise<RecordOutcome[]> => {
    calls.push({ records: [...records], source });
    return Promise.resolve(
      records.map((record): RecordOutcome => {
        n += 1;
        const custom = answer(record);
        if (custom) return custom;
        return record.ok
          ? { status: 'stored', id: `p-${n}`, duplicate: false }
          : { status: 'rejected', stage: record.stage, reason: record.reason, deadLetterId: `dl-${n}` };
      }),
    );
  };
  return { submit, calls, records: () => calls.flatMap((c) => c.records) };
}

const textOf = (record: ChannelRecord | undefined) => (record?.ok ? record.input.text : null);

let dovecot: TestDovecot;
let admin: ImapFlow;
let config: ImapConfig;
const pollers: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  dovecot = await startDovecot();
  config = { host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, password: dovecot.password };
  // The "mail server side": appends messages and reads their flags, as a sender's MTA and a person would.
  admin = new ImapFlow({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    auth: { user: dovecot.user, pass: dovecot.password },
    logger: false,
    disableAutoIdle: true,
  });
  await admin.connect();
});

afterAll(async () => {
  for (const p of pollers) await p.close();
  await admin?.logout().catch(() => admin.close());
  await dovecot?.stop();
});

/** A fresh mailbox per test, so each test has its own UIDs and cursor. */
async function mailboxWith(name: string, ...messages: Buffer[]): Promise<number[]> {
  await admin.mailboxCreate(name);
  const uids: number[] = [];
  for (const m of messages) {
    const appended = await admin.append(name, m);
    if (!appended || appended.uid === undefined) throw new Error(`APPEND to ${name} gave no UID`);
    uids.push(appended.uid);
  }
  return uids;
}

async function flagsByUid(mailbox: string): Promise<Map<number, Set<string>>> {
  const lock = await admin.getMailboxLock(mailbox);
  try {
    const messages = await admin.fetchAll('1:*', { uid: true, flags: true }, { uid: true });
    return new Map(messages.map((m) => [m.uid, m.flags ?? new Set<string>()]));
  } finally {
    lock.release();
  }
}

async function uidValidityOf(mailbox: string): Promise<number> {
  const status = await admin.status(mailbox, { uidValidity: true });
  if (!status || status.uidValidity === undefined) throw new Error(`no STATUS for ${mailbox}`);
  return Number(status.uidValidity);
}

function poller(mailbox: string, deps: Partial<ImapPollerDeps> & Pick<ImapPollerDeps, 'submit' | 'state'>) {
  const p = createImapPoller({ config: { ...config, mailbox }, now: () => NOW, ...deps });
  pollers.push(p);
  return p;
}

/** A message like the no-Message-ID fixture with its own subject, to tell appended messages apart. */
function note(subject: string, messageId?: string): Buffer {
  const id = messageId ? `Message-ID: <${messageId}>\r\n` : '';
  return Buffer.from(
    `From: "市民" <resident@example.cn>\r\nSubject: ${subject}\r\n${id}Date: Thu, 19 Nov 2026 10:00:00 +0800\r\n` +
      `Content-Type: text/plain; charset=UTF-8\r\n\r\n${subject}：详细情况如下。\r\n`,
  );
}

describe('IMAP poller (real Dovecot)', () => {
  it('hands each new message to submit once, decoded, and flags it processed', async () => {
    const uids = await mailboxWith(
      'Petitions',
      fixture('gb2312-plain.eml'),
      fixture('utf8-html.eml'),
      fixture('attachments.eml'),
      fixture('no-message-id.eml'),
      fixture('empty-body.eml'),
    );
    const fake = fakeSubmit();
    const state = memoryState();
    const p = poller('Petitions', { submit: fake.submit, state });

    expect(await p.poll()).toEqual({ fetched: 5, stored: 4, duplicates: 0, rejected: 1, deferred: 0 });
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]!.source).toEqual({ actor: `imap:${dovecot.user}@${dovecot.host}`, role: 'channel:email' });

    const [gb, html, withFiles, noId, empty] = fake.records();
    expect(textOf(gb)).toMatch(/^关于小区加装电梯夜间施工噪音扰民的反映\n尊敬的领导：/);
    expect(textOf(html)).toMatch(/^宝带西路路口红绿灯损坏两周无人维修\n/);
    expect(withFiles?.ok && withFiles.attachments?.map((a) => a.filename)).toEqual([
      '工资欠条.pdf',
      'IMG_20261115_163022.jpg',
    ]);
    // The UID position is the fallback identity, so a re-read is still recognised as the same message.
    const uidValidity = await uidValidityOf('Petitions');
    expect(noId?.ok && noId.input.externalId).toBe(`uid:${uidValidity}:${uids[3]}`);
    expect(empty).toMatchObject({ ok: false, stage: 'validate' });
    expect(fake.records().map((r) => r.original.position)).toEqual(uids.map((uid) => `uid:${uidValidity}:${uid}`));

    const flags = await flagsByUid('Petitions');
    for (const uid of uids) {
      expect(flags.get(uid)).toContain(PROCESSED_KEYWORD);
      expect(flags.get(uid)).toContain('\\Seen');
    }
    const key = `imap:${dovecot.user}@${dovecot.host}/Petitions`;
    expect(JSON.parse(state.values.get(key)!)).toEqual({ uidValidity, lastUid: uids.at(-1) });

    expect(await p.poll()).toEqual({ fetched: 0, stored: 0, duplicates: 0, rejected: 0, deferred: 0 });
    expect(fake.calls).toHaveLength(1);
  });

  it('fetches a message appended later, once', async () => {
    await mailboxWith('Later', note('第一封'));
    const fake = fakeSubmit();
    const p = poller('Later', { submit: fake.submit, state: memoryState() });
    expect((await p.poll()).fetched).toBe(1);

    await admin.append('Later', note('第二封：后来收到'));
    expect(await p.poll()).toMatchObject({ fetched: 1, stored: 1 });
    expect(await p.poll()).toMatchObject({ fetched: 0 });
    expect(fake.records().map(textOf)).toEqual([
      expect.stringMatching(/^第一封\n/),
      expect.stringMatching(/^第二封：后来收到\n/),
    ]);
  });

  it('leaves a message the pipeline could not take unflagged and fetches it again next poll', async () => {
    const uids = await mailboxWith('Deferred', note('甲'), note('乙', 'yi@example.cn'), note('丙'));
    let down = true;
    const fake = fakeSubmit((record) =>
      down && record.ok && record.input.externalId === 'yi@example.cn'
        ? { status: 'unavailable', reason: 'database unreachable' }
        : null,
    );
    const state = memoryState();
    const p = poller('Deferred', { submit: fake.submit, state });

    expect(await p.poll()).toEqual({ fetched: 3, stored: 2, duplicates: 0, rejected: 0, deferred: 1 });
    const flags = await flagsByUid('Deferred');
    expect(flags.get(uids[0]!)).toContain(PROCESSED_KEYWORD);
    expect(flags.get(uids[1]!)).not.toContain(PROCESSED_KEYWORD);
    expect(flags.get(uids[1]!)).not.toContain('\\Seen');
    expect(flags.get(uids[2]!)).toContain(PROCESSED_KEYWORD);
    // The cursor stops before the deferred message; the keyword keeps 丙 from coming back.
    const key = `imap:${dovecot.user}@${dovecot.host}/Deferred`;
    expect(JSON.parse(state.values.get(key)!)).toMatchObject({ lastUid: uids[0] });

    down = false;
    expect(await p.poll()).toEqual({ fetched: 1, stored: 1, duplicates: 0, rejected: 0, deferred: 0 });
    expect(textOf(fake.calls[1]!.records[0])).toMatch(/^乙\n/);
    expect(JSON.parse(state.values.get(key)!)).toMatchObject({ lastUid: uids[2] });
    expect((await flagsByUid('Deferred')).get(uids[1]!)).toContain(PROCESSED_KEYWORD);
    expect((await p.poll()).fetched).toBe(0);
  });

  it('submits in batches and stops after a batch the pipeline deferred', async () => {
    await mailboxWith('Batches', note('一'), note('二'), note('三'), note('四'), note('五'));
    let down = true;
    const fake = fakeSubmit((record) =>
      down && textOf(record)?.startsWith('二') ? { status: 'unavailable', reason: 'database unreachable' } : null,
    );
    const p = poller('Batches', { submit: fake.submit, state: memoryState(), batchSize: 2 });

    expect(await p.poll()).toMatchObject({ fetched: 2, stored: 1, deferred: 1 });
    down = false;
    expect(await p.poll()).toMatchObject({ fetched: 4, stored: 4, deferred: 0 });
    expect(fake.calls.map((c) => c.records.length)).toEqual([2, 2, 2]);
    expect(fake.records().map((r) => textOf(r)?.[0])).toEqual(['一', '二', '二', '三', '四', '五']);
  });

  it('after a UIDVALIDITY change re-reads the mailbox but skips what it already processed', async () => {
    await mailboxWith('Renumbered', note('旧一'), note('旧二'));
    const fake = fakeSubmit();
    const state = memoryState();
    const p = poller('Renumbered', { submit: fake.submit, state });
    expect((await p.poll()).fetched).toBe(2);

    await admin.append('Renumbered', note('新'));
    const key = `imap:${dovecot.user}@${dovecot.host}/Renumbered`;
    // As if the server had rebuilt the mailbox: the stored cursor belongs to an older numbering.
    state.values.set(key, JSON.stringify({ uidValidity: 1, lastUid: 999 }));
    expect(await p.poll()).toMatchObject({ fetched: 1, stored: 1 });
    expect(textOf(fake.calls[1]!.records[0])).toMatch(/^新\n/);
  });

  it('ignores the last message that `n:*` returns when the cursor is past it', async () => {
    const uids = await mailboxWith('PastEnd', note('未标记'));
    const fake = fakeSubmit();
    const state = memoryState();
    const uidValidity = await uidValidityOf('PastEnd');
    state.values.set(
      `imap:${dovecot.user}@${dovecot.host}/PastEnd`,
      JSON.stringify({ uidValidity, lastUid: uids[0]! + 10 }),
    );
    const p = poller('PastEnd', { submit: fake.submit, state });
    expect((await p.poll()).fetched).toBe(0);
    expect(fake.calls).toHaveLength(0);
  });

  it('reports an unreachable server with its host and port', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const fake = fakeSubmit();
    const p = createImapPoller({ config: { ...config, port: closedPort }, submit: fake.submit, state: memoryState() });
    pollers.push(p);
    const error = await p.poll().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`127.0.0.1:${closedPort}`);
    expect((error as Error).message).toMatch(/while connecting/);
    expect((error as Error).cause).toBeDefined();
    expect(fake.calls).toHaveLength(0);
  });

  it('reports a refused login without losing the server reason', async () => {
    const p = createImapPoller({
      config: { ...config, password: 'wrong' },
      submit: fakeSubmit().submit,
      state: memoryState(),
    });
    pollers.push(p);
    await expect(p.poll()).rejects.toThrow(/IMAP poll of petitions@127\.0\.0\.1:\d+\/INBOX failed while connecting/);
  });

  it('refuses to poll after close()', async () => {
    const p = poller('INBOX', { submit: fakeSubmit().submit, state: memoryState() });
    await p.close();
    await expect(p.poll()).rejects.toThrow(/closed/);
  });
});
