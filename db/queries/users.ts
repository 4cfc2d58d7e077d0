import type { Queryable } from '../client.ts';

/** The roles of issue 4, as the `users.role` check constraint lists them. */
export const USER_ROLES = ['admin', 'duty_leader', 'operator', 'department', 'liaison', 'wall'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export function isUserRole(value: string): value is UserRole {
  return (USER_ROLES as readonly string[]).includes(value);
}

/** An account as code outside the auth layer sees it: no password hash. */
export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  role: UserRole;
  department: string | null;
  agency: string | null;
  passwordChangedAt: Date;
  disabledAt: Date | null;
  failedLogins: number;
  lockedUntil: Date | null;
  createdAt: Date;
}

/** An account and, apart from it so that it does not travel further by accident, its password hash. */
export interface UserWithHash {
  user: UserRow;
  passwordHash: string;
}

/** Column list and row mapping shared with the session join in `sessions.ts`. */
export const USER_COLUMNS = `users.id AS user_id, users.username, users.display_name, users.role, users.department,
  users.agency, users.password_changed_at, users.disabled_at, users.failed_logins, users.locked_until,
  users.created_at AS user_created_at`;

export interface UserDbRow {
  user_id: string;
  username: string;
  display_name: string;
  role: UserRole;
  department: string | null;
  agency: string | null;
  password_changed_at: Date;
  disabled_at: Date | null;
  failed_logins: number;
  locked_until: Date | null;
  user_created_at: Date;
}

export function toUserRow(r: UserDbRow): UserRow {
  return {
    id: r.user_id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    department: r.department,
    agency: r.agency,
    passwordChangedAt: r.password_changed_at,
    disabledAt: r.disabled_at,
    failedLogins: r.failed_logins,
    lockedUntil: r.locked_until,
    createdAt: r.user_created_at,
  };
}

export interface NewUser {
  id: string;
  /** Already lower-cased. */
  username: string;
  displayName: string;
  role: UserRole;
  department: string | null;
  agency: string | null;
  passwordHash: string;
  createdAt: Date;
}

/** Stores a new account; its password counts as changed at creation. */
export async function insertUser(db: Queryable, user: NewUser): Promise<void> {
  await db.query(
    `INSERT INTO users (id, username, display_name, role, department, agency, password_hash, password_changed_at,
       created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
    [
      user.id,
      user.username,
      user.displayName,
      user.role,
      user.department,
      user.agency,
      user.passwordHash,
      user.createdAt,
    ],
  );
}

function withHash(r: (UserDbRow & { password_hash: string }) | undefined): UserWithHash | null {
  return r ? { user: toUserRow(r), passwordHash: r.password_hash } : null;
}

/** The account with this (lower-case) username, with its hash, or null. */
export async function findUserByUsername(db: Queryable, username: string): Promise<UserWithHash | null> {
  const { rows } = await db.query<UserDbRow & { password_hash: string }>(
    `SELECT ${USER_COLUMNS}, users.password_hash FROM users WHERE users.username = $1`,
    [username],
  );
  return withHash(rows[0]);
}

/** The account with this id, with its hash, or null. */
export async function findUserById(db: Queryable, id: string): Promise<UserWithHash | null> {
  const { rows } = await db.query<UserDbRow & { password_hash: string }>(
    `SELECT ${USER_COLUMNS}, users.password_hash FROM users WHERE users.id = $1`,
    [id],
  );
  return withHash(rows[0]);
}

/** Replaces the password hash and records when; returns whether the account exists. */
export async function setPassword(db: Queryable, id: string, passwordHash: string, changedAt: Date): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE users SET password_hash = $2, password_changed_at = $3 WHERE id = $1', [
    id,
    passwordHash,
    changedAt,
  ]);
  return (rowCount ?? 0) > 0;
}

/** Disables the account at `at`, or enables it again with null; returns whether the account exists. */
export async function setUserDisabled(db: Queryable, id: string, at: Date | null): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE users SET disabled_at = $2 WHERE id = $1', [id, at]);
  return (rowCount ?? 0) > 0;
}

/** Counts one failed login; `lockedUntil` (when the throttle just locked the account) is recorded too. */
export async function recordFailedLogin(db: Queryable, id: string, lockedUntil: Date | null): Promise<void> {
  await db.query(
    'UPDATE users SET failed_logins = failed_logins + 1, locked_until = COALESCE($2, locked_until) WHERE id = $1',
    [id, lockedUntil],
  );
}

/** After a successful login: no failures, no lock. */
export async function clearFailedLogins(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [id]);
}

/** An admin lifts the lock on an account by name; returns whether the account exists. */
export async function unlockUser(db: Queryable, username: string): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE username = $1', [
    username,
  ]);
  return (rowCount ?? 0) > 0;
}

// --- Login throttle: failures per key ('addr:<ip>', 'user:<name>') in a fixed window. ---

export interface ThrottleRow {
  key: string;
  failures: number;
  windowStartedAt: Date;
  blockedUntil: Date | null;
  /** Blocks in a row; account locks double with each. */
  strikes: number;
}

interface ThrottleDbRow {
  key: string;
  failures: number;
  window_started_at: Date;
  blocked_until: Date | null;
  strikes: number;
}

function toThrottleRow(r: ThrottleDbRow): ThrottleRow {
  return {
    key: r.key,
    failures: r.failures,
    windowStartedAt: r.window_started_at,
    blockedUntil: r.blocked_until,
    strikes: r.strikes,
  };
}

/** The throttle rows for these keys (absent keys have no failures). */
export async function getThrottles(db: Queryable, keys: readonly string[]): Promise<ThrottleRow[]> {
  const { rows } = await db.query<ThrottleDbRow>(
    'SELECT key, failures, window_started_at, blocked_until, strikes FROM login_throttle WHERE key = ANY($1::text[])',
    [keys],
  );
  return rows.map(toThrottleRow);
}

/**
 * Counts one failure for `key` in one atomic upsert, so concurrent attempts cannot lose a count. A
 * window older than `windowMs` starts again at one; strikes are forgotten after `strikeResetMs` without
 * a failure. Returns the row as it now is.
 */
export async function upsertThrottleFailure(
  db: Queryable,
  key: string,
  now: Date,
  windowMs: number,
  strikeResetMs: number,
): Promise<ThrottleRow> {
  const { rows } = await db.query<ThrottleDbRow>(
    `INSERT INTO login_throttle AS t (key, failures, window_started_at) VALUES ($1, 1, $2)
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN t.window_started_at <= $2::timestamptz - $3::float8 * interval '1 millisecond'
         THEN 1 ELSE t.failures + 1 END,
       window_started_at = CASE WHEN t.window_started_at <= $2::timestamptz - $3::float8 * interval '1 millisecond'
         THEN $2::timestamptz ELSE t.window_started_at END,
       strikes = CASE WHEN t.window_started_at <= $2::timestamptz - $4::float8 * interval '1 millisecond'
         THEN 0 ELSE t.strikes END
     RETURNING key, failures, window_started_at, blocked_until, strikes`,
    [key, now, windowMs, strikeResetMs],
  );
  return toThrottleRow(rows[0]!);
}

/**
 * Blocks `key` until `until` and starts a new window, if it still has at least `limit` failures: of two
 * concurrent attempts that both reached the limit only one adds a strike. Returns whether it blocked.
 */
export async function blockThrottle(
  db: Queryable,
  key: string,
  limit: number,
  until: Date,
  now: Date,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE login_throttle SET blocked_until = $3, strikes = strikes + 1, failures = 0, window_started_at = $4
     WHERE key = $1 AND failures >= $2`,
    [key, limit, until, now],
  );
  return (rowCount ?? 0) > 0;
}

/** Forgets a key's failures and block (successful login, admin unlock). */
export async function clearThrottle(db: Queryable, key: string): Promise<void> {
  await db.query('DELETE FROM login_throttle WHERE key = $1', [key]);
}

/** How many accounts exist (the demo seeds accounts only into an empty database). */
export async function countUsers(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  return rows[0]?.n ?? 0;
}

/** Every account, for the admin page (no password hashes). */
export async function listUsers(db: Queryable): Promise<UserRow[]> {
  const { rows } = await db.query<UserDbRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY users.created_at`);
  return rows.map(toUserRow);
}
