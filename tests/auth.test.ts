import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db, Queryable } from '../db/client.ts';
import { openDb } from '../db/open.ts';
import { deleteExpiredSessions } from '../db/queries/sessions.ts';
import { findUserByUsername, setUserDisabled, type UserRole } from '../db/queries/users.ts';
import {
  changePassword,
  createUser,
  GENERIC_LOGIN_FAILURE,
  login,
  setAccountDisabled,
  unlockAccount,
  type LoginResult,
} from '../server/auth/login.ts';
import {
  blankSessionCookie,
  createSession,
  generateSessionToken,
  invalidateSession,
  sessionCookie,
  sessionIdFromToken,
  validateSessionToken,
} from '../server/auth/sessions.ts';
import { ENGINES, useMigratedDb } from './helpers/databases.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const T0 = new Date('2026-12-01T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

const PASSWORD = 'Lantern-Harbour-7';
const CLIENT = { userAgent: 'vitest' };

function ok(result: LoginResult): Extract<LoginResult, { ok: true }> {
  if (!result.ok) throw new Error(`login failed: ${result.reason}`);
  return result;
}

describe.each(ENGINES)('sessions and logins on %s', (_name, open) => {
  const store = useMigratedDb(open);
  let db: Db;
  beforeAll(() => {
    db = store.db;
  });

  const newUser = (username: string, role: UserRole = 'operator') =>
    createUser(db, { username, password: PASSWORD, role }, T0);
  // Each test logs in from its own address, so that one test's failures do not block another's.
  let address = '';
  let nextHost = 1;
  const fromNewAddress = () => (address = `198.51.100.${nextHost++}`);
  const attempt = (username: string, password: string, now: Date, from = address) =>
    login(db, { username, password, address: from, ...CLIENT }, now);

  beforeEach(() => {
    fromNewAddress();
  });

  it('opens a fresh session with a new token on every login (no fixation), storing only its hash', async () => {
    await newUser('fixation');
    const planted = generateSessionToken();
    const first = ok(await attempt('fixation', PASSWORD, at(MINUTE)));
    const second = ok(await attempt('FixAtion', PASSWORD, at(2 * MINUTE)));

    expect(first.token).toMatch(/^[a-z2-7]{32}$/);
    expect(second.token).not.toBe(first.token);
    expect(second.session.id).not.toBe(first.session.id);
    expect(first.session.id).toBe(sessionIdFromToken(first.token));
    expect(first.session.id).toMatch(/^[0-9a-f]{64}$/);
    expect(first.user).toMatchObject({ username: 'fixation', role: 'operator', failedLogins: 0 });
    expect(Object.keys(first.user)).not.toContain('passwordHash');
    expect(first.session.expiresAt).toEqual(at(MINUTE + 30 * DAY));

    // Each token leads to its own session; the token chosen before login leads nowhere.
    expect((await validateSessionToken(db, first.token, at(3 * MINUTE)))?.session.id).toBe(first.session.id);
    expect((await validateSessionToken(db, second.token, at(3 * MINUTE)))?.session.id).toBe(second.session.id);
    expect(await validateSessionToken(db, planted, at(3 * MINUTE))).toBeNull();

    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM sessions WHERE id = ANY($1::text[])',
      [[first.token, second.token]],
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('ends a session on logout and keeps the others', async () => {
    await newUser('logout');
    const a = ok(await attempt('logout', PASSWORD, at(MINUTE)));
    const b = ok(await attempt('logout', PASSWORD, at(MINUTE)));
    await invalidateSession(db, a.session.id);
    expect(await validateSessionToken(db, a.token, at(2 * MINUTE))).toBeNull();
    expect(await validateSessionToken(db, b.token, at(2 * MINUTE))).not.toBeNull();
  });

  it('ends every session of the user when the password changes', async () => {
    const user = await newUser('changer');
    const a = ok(await attempt('changer', PASSWORD, at(MINUTE)));
    const b = ok(await attempt('changer', PASSWORD, at(MINUTE)));
    const next = 'Quiet-Orchard-58';

    expect(await changePassword(db, user.id, 'Wrong-Password-1', next, at(2 * MINUTE))).toEqual({
      ok: false,
      problems: ['当前密码不正确 · The current password is wrong'],
    });
    const weak = await changePassword(db, user.id, PASSWORD, 'password', at(2 * MINUTE));
    expect(weak.ok).toBe(false);
    expect(!weak.ok && weak.problems).toContain('密码至少需要 12 个字符 · Use at least 12 characters');
    // Neither refusal ended anything.
    expect(await validateSessionToken(db, a.token, at(2 * MINUTE))).not.toBeNull();

    expect(await changePassword(db, user.id, PASSWORD, next, at(3 * MINUTE))).toEqual({ ok: true, sessionsEnded: 2 });
    expect(await validateSessionToken(db, a.token, at(4 * MINUTE))).toBeNull();
    expect(await validateSessionToken(db, b.token, at(4 * MINUTE))).toBeNull();
    expect(await attempt('changer', PASSWORD, at(4 * MINUTE))).toMatchObject({ ok: false, reason: 'invalid' });
    const fresh = ok(await attempt('changer', next, at(5 * MINUTE)));
    expect(await validateSessionToken(db, fresh.token, at(6 * MINUTE))).not.toBeNull();
  });

  it('slides expiry: a session used at day 20 is extended, an unused one ends at day 30', async () => {
    const user = await newUser('sliding');
    const usedToken = generateSessionToken();
    const idleToken = generateSessionToken();
    const used = await createSession(db, usedToken, user.id, { address, ...CLIENT }, T0);
    await createSession(db, idleToken, user.id, { address, ...CLIENT }, T0);
    expect(used.expiresAt).toEqual(at(30 * DAY));

    // With more than 15 days left nothing moves.
    expect((await validateSessionToken(db, usedToken, at(10 * DAY)))?.session.expiresAt).toEqual(at(30 * DAY));
    const day20 = await validateSessionToken(db, usedToken, at(20 * DAY));
    expect(day20?.session.expiresAt).toEqual(at(50 * DAY));
    expect(day20?.session.lastSeenAt).toEqual(at(20 * DAY));
    expect(day20?.user.username).toBe('sliding');
    const stored = await db.query<{ expires_at: Date }>('SELECT expires_at FROM sessions WHERE id = $1', [used.id]);
    expect(stored.rows[0]!.expires_at).toEqual(at(50 * DAY));

    // Not looked at since day 0 (looking would have extended it): gone at day 30, and deleted.
    expect(await validateSessionToken(db, idleToken, at(30 * DAY))).toBeNull();
    const idle = await db.query('SELECT 1 FROM sessions WHERE id = $1', [sessionIdFromToken(idleToken)]);
    expect(idle.rows).toHaveLength(0);
    expect(await validateSessionToken(db, usedToken, at(45 * DAY))).not.toBeNull();
    expect(await validateSessionToken(db, usedToken, at(76 * DAY))).toBeNull();

    // The clean-up job removes what nobody came back for.
    const leftover = generateSessionToken();
    await createSession(db, leftover, user.id, { address: '', ...CLIENT }, T0);
    expect(await deleteExpiredSessions(db, at(31 * DAY))).toBeGreaterThanOrEqual(1);
    const gone = await db.query('SELECT 1 FROM sessions WHERE id = $1', [sessionIdFromToken(leftover)]);
    expect(gone.rows).toHaveLength(0);
  });

  it('rejects a disabled user, at login and for sessions already open', async () => {
    const user = await newUser('disabled');
    const before = ok(await attempt('disabled', PASSWORD, at(MINUTE)));
    const other = ok(await attempt('disabled', PASSWORD, at(MINUTE)));

    // Disabled directly in the table: open sessions stop working all the same, and those seen while
    // the account was disabled are deleted, so enabling it again does not bring them back.
    await setUserDisabled(db, user.id, at(2 * MINUTE));
    expect(await validateSessionToken(db, before.token, at(3 * MINUTE))).toBeNull();
    expect(await validateSessionToken(db, other.token, at(3 * MINUTE))).toBeNull();
    await setUserDisabled(db, user.id, null);
    expect(await validateSessionToken(db, before.token, at(3 * MINUTE))).toBeNull();

    const again = ok(await attempt('disabled', PASSWORD, at(4 * MINUTE)));
    expect(await setAccountDisabled(db, user.id, true, at(5 * MINUTE))).toBe(true);
    expect(await validateSessionToken(db, again.token, at(6 * MINUTE))).toBeNull();
    expect(await attempt('disabled', PASSWORD, at(6 * MINUTE))).toEqual({
      ok: false,
      reason: 'disabled',
      message: GENERIC_LOGIN_FAILURE,
    });
    expect(await attempt('disabled', 'Not-The-Password-1', at(6 * MINUTE))).toMatchObject({ reason: 'invalid' });

    await setAccountDisabled(db, user.id, false, at(7 * MINUTE));
    ok(await attempt('disabled', PASSWORD, at(8 * MINUTE)));
  });

  it('locks an account after 5 wrong passwords in 15 minutes, even for the right one, until the lock passes', async () => {
    await newUser('brute');
    for (let i = 0; i < 5; i++) {
      expect(await attempt('brute', `Guess-Number-${i}`, at(i * MINUTE))).toEqual({
        ok: false,
        reason: 'invalid',
        message: GENERIC_LOGIN_FAILURE,
      });
    }
    // Locked at minute 4 for 15 minutes.
    const locked = await attempt('brute', PASSWORD, at(5 * MINUTE));
    expect(locked).toEqual({ ok: false, reason: 'locked', message: GENERIC_LOGIN_FAILURE, retryAfterSeconds: 14 * 60 });
    const row = await findUserByUsername(db, 'brute');
    expect(row?.user.failedLogins).toBe(5);
    expect(row?.user.lockedUntil).toEqual(at(19 * MINUTE));
    expect(await attempt('brute', PASSWORD, at(19 * MINUTE - 1000))).toMatchObject({ reason: 'locked' });

    const after = ok(await attempt('brute', PASSWORD, at(19 * MINUTE)));
    expect(after.user.failedLogins).toBe(0);
    expect((await findUserByUsername(db, 'brute'))?.user).toMatchObject({ failedLogins: 0, lockedUntil: null });
  });

  it('doubles a repeated lock, and an admin can lift it', async () => {
    await newUser('repeat');
    for (let i = 0; i < 5; i++) await attempt('repeat', 'Wrong-Guess-123', at(i * MINUTE));
    expect(await attempt('repeat', PASSWORD, at(5 * MINUTE))).toMatchObject({ reason: 'locked' });
    // The first lock passes without a success; five more failures lock for 30 minutes.
    for (let i = 0; i < 5; i++) await attempt('repeat', 'Wrong-Guess-123', at((20 + i) * MINUTE));
    expect(await attempt('repeat', PASSWORD, at(25 * MINUTE))).toMatchObject({
      reason: 'locked',
      retryAfterSeconds: 29 * 60,
    });

    expect(await unlockAccount(db, 'Repeat')).toBe(true);
    ok(await attempt('repeat', PASSWORD, at(26 * MINUTE)));
    expect(await unlockAccount(db, 'nobody-here')).toBe(false);
  });

  it('counts account failures in a 15-minute window', async () => {
    await newUser('window');
    for (let i = 0; i < 4; i++) await attempt('window', 'Wrong-Guess-123', at(i * MINUTE));
    // The fifth failure comes after the window: a new window starts, no lock.
    expect(await attempt('window', 'Wrong-Guess-123', at(16 * MINUTE))).toMatchObject({ reason: 'invalid' });
    expect((await attempt('window', PASSWORD, at(17 * MINUTE))).ok).toBe(true);
  });

  it('locks unknown names the same way, so a lock reveals nothing', async () => {
    for (let i = 0; i < 5; i++) await attempt('ghost', 'Wrong-Guess-123', at(i * MINUTE));
    expect(await attempt('ghost', PASSWORD, at(5 * MINUTE))).toEqual({
      ok: false,
      reason: 'locked',
      message: GENERIC_LOGIN_FAILURE,
      retryAfterSeconds: 14 * 60,
    });
  });

  it('blocks an address after 20 failures in 15 minutes, whatever the names', async () => {
    await newUser('victim');
    const sprayer = '203.0.113.7';
    for (let i = 0; i < 20; i++) {
      expect(await attempt(`spray${i}`, 'Wrong-Guess-123', at(i * 10_000), sprayer)).toMatchObject({
        reason: 'invalid',
      });
    }
    const blocked = await attempt('victim', PASSWORD, at(200_000), sprayer);
    expect(blocked).toMatchObject({ ok: false, reason: 'throttled', retryAfterSeconds: 15 * 60 - 10 });
    expect(!blocked.ok && blocked.message).toBe(
      '尝试次数过多，请 15 分钟后再试 · Too many attempts; try again in 15 min',
    );
    // Other addresses are not affected, nor is the account itself.
    ok(await attempt('victim', PASSWORD, at(200_000), '203.0.113.8'));
    expect(await attempt('victim', PASSWORD, at(190_000 + 15 * MINUTE - 1), sprayer)).toMatchObject({
      reason: 'throttled',
    });
    ok(await attempt('victim', PASSWORD, at(190_000 + 15 * MINUTE), sprayer));
  });

  it('rejects forged and oversized tokens without a query', async () => {
    let queries = 0;
    const counting: Queryable = {
      query<R>(sql: string, params?: readonly unknown[]) {
        queries++;
        return db.query<R>(sql, params);
      },
      exec: (sql) => db.exec(sql),
    };
    const forged: unknown[] = [
      'a'.repeat(10 * 1024),
      'A'.repeat(32),
      '0189'.repeat(8),
      `${'a'.repeat(31)}!`,
      `${'a'.repeat(31)}=`,
      ` ${'a'.repeat(31)}`,
      'a'.repeat(33),
      '',
      undefined,
      null,
      42,
    ];
    for (const token of forged) expect(await validateSessionToken(counting, token, T0)).toBeNull();
    expect(queries).toBe(0);
    // A well-formed token that is not ours costs exactly one lookup.
    expect(await validateSessionToken(counting, generateSessionToken(), T0)).toBeNull();
    expect(queries).toBe(1);
  });

  it('answers an unknown user and a wrong password with the same generic message', async () => {
    await newUser('generic');
    const unknown = await attempt('no-such-user', PASSWORD, at(MINUTE));
    const wrong = await attempt('generic', 'Not-The-Password-1', at(MINUTE));
    const malformed = await attempt('x'.repeat(5000), 'y'.repeat(5000), at(MINUTE));
    const expected = { ok: false, reason: 'invalid', message: '用户名或密码错误 · Wrong username or password' };
    expect(unknown).toEqual(expected);
    expect(wrong).toEqual(expected);
    expect(malformed).toEqual(expected);
  });
});

describe('session cookies', () => {
  it('are HttpOnly, SameSite=Lax, site-wide, and Secure behind TLS', () => {
    const expires = new Date('2026-12-31T00:00:00Z');
    expect(sessionCookie('abc', expires, { secure: false })).toBe(
      'wk_session=abc; HttpOnly; SameSite=Lax; Path=/; Expires=Thu, 31 Dec 2026 00:00:00 GMT',
    );
    expect(sessionCookie('abc', expires, { secure: true })).toMatch(/; Secure$/);
    expect(blankSessionCookie({ secure: false })).toBe('wk_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0');
    expect(blankSessionCookie({ secure: true })).toBe('wk_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0; Secure');
  });
});

describe('scripts/user-create.ts', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsx = join(root, 'node_modules', '.bin', 'tsx');
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'wenkong-users-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  function run(args: string[], options: { stdin?: string; password?: string } = {}) {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' };
    delete env.WENKONG_PASSWORD;
    if (options.password !== undefined) env.WENKONG_PASSWORD = options.password;
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(tsx, ['scripts/user-create.ts', ...args], { cwd: root, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(options.stdin ?? '');
    });
  }

  it('creates users from WENKONG_PASSWORD or a piped line, refuses weak passwords, never prints them', async () => {
    const fromEnv = await run(['Chief', 'admin'], { password: PASSWORD });
    expect(fromEnv).toEqual({ code: 0, stdout: 'created chief (admin)\n', stderr: '' });

    const piped = await run(['duty1', 'duty_leader', '--display-name', '值班长'], {
      stdin: 'Quiet-Orchard-58\nrest\n',
    });
    expect(piped).toEqual({ code: 0, stdout: 'created duty1 (duty_leader)\n', stderr: '' });

    const weak = await run(['weakling', 'operator'], { stdin: 'admin123\n' });
    expect(weak.code).toBe(2);
    expect(weak.stdout).toBe('');
    expect(weak.stderr).toContain('密码过于常见，容易被猜中 · This password is too common to be safe');
    expect(weak.stderr).not.toContain('admin123');

    const taken = await run(['chief', 'operator'], { password: 'Another-Strong-9' });
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('chief');
    expect((await run(['someone', 'emperor'], { password: PASSWORD })).code).toBe(2);
    expect((await run([], { password: PASSWORD })).stderr).toMatch(/^usage:/);

    for (const r of [fromEnv, piped, weak, taken]) {
      expect(r.stdout + r.stderr).not.toMatch(/Lantern-Harbour-7|Quiet-Orchard-58|Another-Strong-9/);
    }
    const db = await openDb({ dataDir });
    try {
      expect((await findUserByUsername(db, 'duty1'))?.user).toMatchObject({
        role: 'duty_leader',
        displayName: '值班长',
      });
      ok(await login(db, { username: 'chief', password: PASSWORD, address: '::1', userAgent: 'cli' }, new Date()));
      ok(
        await login(
          db,
          { username: 'duty1', password: 'Quiet-Orchard-58', address: '::1', userAgent: 'cli' },
          new Date(),
        ),
      );
      expect(await findUserByUsername(db, 'weakling')).toBeNull();
    } finally {
      await db.close();
    }
  }, 120_000);
});
