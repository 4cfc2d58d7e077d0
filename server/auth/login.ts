/**
 * Logging in, and the account operations around it: creating users, changing passwords, unlocking.
 * Failures are throttled per client address and per account name; every failure a user sees (but an
 * address block) reads the same, so a reply never tells which part of a login was wrong. Nothing here
 * logs: passwords and tokens pass through and are never written anywhere but as hashes.
 */
import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../db/client.ts';
import {
  blockThrottle,
  clearFailedLogins,
  clearThrottle,
  findUserById,
  findUserByUsername,
  getThrottles,
  insertUser,
  recordFailedLogin,
  setPassword,
  setUserDisabled,
  unlockUser,
  upsertThrottleFailure,
  type UserRole,
} from '../../db/queries/users.ts';
import { checkPasswordRules, hashPassword, PASSWORD_MAX_LENGTH, verifyPassword } from './passwords.ts';
import {
  createSession,
  generateSessionToken,
  invalidateUserSessions,
  type Session,
  type SessionUser,
} from './sessions.ts';

/** The one message for a wrong name, a wrong password, a locked or a disabled account. */
export const GENERIC_LOGIN_FAILURE = '用户名或密码错误 · Wrong username or password';

export interface LoginPolicy {
  /** Failures of one account name within `accountWindowMs` that lock it. */
  accountFailures: number;
  accountWindowMs: number;
  /** The first lock; each further lock in a row doubles it, up to `accountLockMaxMs`. */
  accountLockMs: number;
  accountLockMaxMs: number;
  /** Failures from one address within `addressWindowMs` that block it for `addressBlockMs`. */
  addressFailures: number;
  addressWindowMs: number;
  addressBlockMs: number;
  /** A key with no failure for this long starts again from the first lock. */
  strikeResetMs: number;
}

const MINUTE_MS = 60_000;
export const DEFAULT_LOGIN_POLICY: LoginPolicy = {
  accountFailures: 5,
  accountWindowMs: 15 * MINUTE_MS,
  accountLockMs: 15 * MINUTE_MS,
  accountLockMaxMs: 24 * 60 * MINUTE_MS,
  addressFailures: 20,
  addressWindowMs: 15 * MINUTE_MS,
  addressBlockMs: 15 * MINUTE_MS,
  strikeResetMs: 24 * 60 * MINUTE_MS,
};

export interface LoginInput {
  username: string;
  password: string;
  /** The client address (as the trusted proxy reports it). */
  address: string;
  userAgent: string;
}

export type LoginFailureReason = 'invalid' | 'throttled' | 'locked' | 'disabled';

export type LoginResult =
  | { ok: true; token: string; session: Session; user: SessionUser }
  | {
      ok: false;
      reason: LoginFailureReason;
      /** What to show the user: {@link GENERIC_LOGIN_FAILURE} unless the address is throttled. */
      message: string;
      /** For throttled and locked: when trying again can succeed. */
      retryAfterSeconds?: number;
    };

const USERNAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._-]{1,63}$/u;

/** The stored form of a username: NFKC, trimmed, lower-case. */
export function normaliseUsername(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase();
}

/** What is wrong with a (normalised) username for a new account; empty when it may be used. */
export function checkUsername(username: string): string[] {
  return USERNAME_PATTERN.test(username)
    ? []
    : [
        '用户名须为 2–64 个字母、数字或 . _ -，以字母或数字开头 · ' +
          'Use 2–64 letters, digits or . _ -, starting with a letter or digit',
      ];
}

const addressKey = (address: string) => `addr:${address.slice(0, 100)}`;
const accountKey = (username: string) => `user:${username}`;

function secondsUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}

function throttledMessage(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return `尝试次数过多，请 ${minutes} 分钟后再试 · Too many attempts; try again in ${minutes} min`;
}

let dummyHash: Promise<string> | undefined;
/**
 * A hash of nothing anyone knows, made with the same parameters, to verify against when the account
 * does not exist: the reply then takes as long as for a wrong password.
 */
function hashForTiming(): Promise<string> {
  dummyHash ??= hashPassword(generateSessionToken());
  return dummyHash;
}

/** When the account behind `userKey` is locked until, if it is now. */
function lockedUntil(
  throttle: { blockedUntil: Date | null } | undefined,
  user: { lockedUntil: Date | null } | null,
  now: Date,
): Date | null {
  const times = [throttle?.blockedUntil, user?.lockedUntil].filter((d): d is Date => !!d && d > now);
  return times.length ? new Date(Math.max(...times.map((d) => d.getTime()))) : null;
}

/**
 * Counts a failure against `key` and blocks it when it reaches `limit`; an account lock doubles with
 * each strike. Returns the block's end when this failure set one.
 */
async function countFailure(
  db: Queryable,
  key: string,
  now: Date,
  limit: number,
  windowMs: number,
  blockMs: (strikes: number) => number,
  policy: LoginPolicy,
): Promise<Date | null> {
  const row = await upsertThrottleFailure(db, key, now, windowMs, policy.strikeResetMs);
  if (row.failures < limit) return null;
  const until = new Date(now.getTime() + blockMs(row.strikes));
  return (await blockThrottle(db, key, limit, until, now)) ? until : null;
}

/** Counts one failed attempt on an account name (known or not) and on the user row when it exists. */
async function countAccountFailure(
  db: Queryable,
  username: string,
  userId: string | null,
  now: Date,
  policy: LoginPolicy,
): Promise<void> {
  const lock = await countFailure(
    db,
    accountKey(username),
    now,
    policy.accountFailures,
    policy.accountWindowMs,
    (strikes) => Math.min(policy.accountLockMs * 2 ** strikes, policy.accountLockMaxMs),
    policy,
  );
  if (userId) await recordFailedLogin(db, userId, lock);
}

/**
 * Checks a username and password and opens a new session (a fresh token every time, so a token planted
 * before login is never promoted). Refused without checking the password while the address is blocked
 * (`throttled`) or the account name is locked (`locked`); a right password on a disabled account is
 * `disabled`. Locks apply to unknown names too, so they reveal nothing about which accounts exist.
 */
export async function login(
  db: Db,
  input: LoginInput,
  now: Date,
  policy: LoginPolicy = DEFAULT_LOGIN_POLICY,
): Promise<LoginResult> {
  const username = normaliseUsername(input.username);
  // A name that cannot be an account is still answered like one, but not tracked (its key could be huge).
  const plausible = checkUsername(username).length === 0;
  const keys = [addressKey(input.address), ...(plausible ? [accountKey(username)] : [])];
  const throttles = await getThrottles(db, keys);
  const byKey = new Map(throttles.map((t) => [t.key, t]));

  const addressBlock = byKey.get(addressKey(input.address))?.blockedUntil;
  if (addressBlock && addressBlock > now) {
    const retryAfterSeconds = secondsUntil(addressBlock, now);
    return { ok: false, reason: 'throttled', message: throttledMessage(retryAfterSeconds), retryAfterSeconds };
  }

  const found = plausible ? await findUserByUsername(db, username) : null;
  const user = found?.user ?? null;
  const locked = plausible ? lockedUntil(byKey.get(accountKey(username)), user, now) : null;
  if (locked) {
    return {
      ok: false,
      reason: 'locked',
      message: GENERIC_LOGIN_FAILURE,
      retryAfterSeconds: secondsUntil(locked, now),
    };
  }

  // Over-long passwords cannot match (the rules cap them), but still cost one verification.
  const password = input.password.length > PASSWORD_MAX_LENGTH * 4 ? '' : input.password;
  const valid = await verifyPassword(found?.passwordHash ?? (await hashForTiming()), password);
  if (!user || !valid || password === '') {
    await countFailure(
      db,
      addressKey(input.address),
      now,
      policy.addressFailures,
      policy.addressWindowMs,
      () => policy.addressBlockMs,
      policy,
    );
    if (plausible) await countAccountFailure(db, username, user?.id ?? null, now, policy);
    return { ok: false, reason: 'invalid', message: GENERIC_LOGIN_FAILURE };
  }
  if (user.disabledAt) return { ok: false, reason: 'disabled', message: GENERIC_LOGIN_FAILURE };

  // The address counter is left to its window: one good login must not reset a guessing budget that
  // others behind the same address (or the same attacker with one real account) are using up.
  await clearFailedLogins(db, user.id);
  await clearThrottle(db, accountKey(username));
  const token = generateSessionToken();
  const client = { address: input.address, userAgent: input.userAgent };
  const session = await createSession(db, token, user.id, client, now);
  return { ok: true, token, session, user: { ...user, failedLogins: 0, lockedUntil: null } };
}

/** An admin lifts an account's lock; returns whether the account exists. */
export async function unlockAccount(db: Db, username: string): Promise<boolean> {
  const name = normaliseUsername(username);
  await clearThrottle(db, accountKey(name));
  return unlockUser(db, name);
}

const WRONG_CURRENT_PASSWORD = '当前密码不正确 · The current password is wrong';

export type ChangePasswordResult = { ok: true; sessionsEnded: number } | { ok: false; problems: string[] };

/**
 * Changes a password after checking the current one and the rules, then ends every session of the user
 * (this one included: the caller opens a new one). A wrong current password counts as a failed login.
 */
export async function changePassword(
  db: Db,
  userId: string,
  oldPassword: string,
  newPassword: string,
  now: Date,
  policy: LoginPolicy = DEFAULT_LOGIN_POLICY,
): Promise<ChangePasswordResult> {
  const found = await findUserById(db, userId);
  if (!found) return { ok: false, problems: ['账号不存在 · No such account'] };
  const { user, passwordHash: currentHash } = found;
  const [throttle] = await getThrottles(db, [accountKey(user.username)]);
  if (lockedUntil(throttle, user, now)) return { ok: false, problems: [WRONG_CURRENT_PASSWORD] };
  if (!(await verifyPassword(currentHash, oldPassword))) {
    await countAccountFailure(db, user.username, user.id, now, policy);
    return { ok: false, problems: [WRONG_CURRENT_PASSWORD] };
  }
  const problems = checkPasswordRules(newPassword, user.username);
  if (newPassword === oldPassword) problems.push('新密码不能与当前密码相同 · Choose a password you have not used here');
  if (problems.length) return { ok: false, problems };
  const passwordHash = await hashPassword(newPassword);
  const sessionsEnded = await db.withTransaction(async (tx) => {
    await setPassword(tx, user.id, passwordHash, now);
    return invalidateUserSessions(tx, user.id);
  });
  return { ok: true, sessionsEnded };
}

/** Disables an account (ending its sessions) or enables it again; returns whether it exists. */
export async function setAccountDisabled(db: Db, userId: string, disabled: boolean, now: Date): Promise<boolean> {
  return db.withTransaction(async (tx) => {
    const found = await setUserDisabled(tx, userId, disabled ? now : null);
    if (found && disabled) await invalidateUserSessions(tx, userId);
    return found;
  });
}

export interface NewAccount {
  username: string;
  password: string;
  role: UserRole;
  displayName?: string | undefined;
  department?: string | null | undefined;
  agency?: string | null | undefined;
}

export class AccountError extends Error {
  constructor(
    readonly problems: string[],
    options?: ErrorOptions,
  ) {
    super(problems.join('; '), options);
  }
}

/**
 * Creates an account after checking the name and the password rules; throws an {@link AccountError}
 * listing the problems, or when the name is taken.
 */
export async function createUser(db: Db, account: NewAccount, now: Date): Promise<SessionUser> {
  const username = normaliseUsername(account.username);
  const problems = [...checkUsername(username), ...checkPasswordRules(account.password, username)];
  if (problems.length) throw new AccountError(problems);
  if (await findUserByUsername(db, username)) {
    throw new AccountError([`用户名 ${username} 已存在 · The username ${username} is taken`]);
  }
  const user = {
    id: randomUUID(),
    username,
    displayName: account.displayName?.trim() || username,
    role: account.role,
    department: account.department ?? null,
    agency: account.agency ?? null,
    passwordHash: await hashPassword(account.password),
    createdAt: now,
  };
  try {
    await insertUser(db, user);
  } catch (error) {
    // Created by someone else since the check above.
    if ((error as { code?: unknown }).code === '23505') {
      throw new AccountError([`用户名 ${username} 已存在 · The username ${username} is taken`], { cause: error });
    }
    throw error;
  }
  return {
    id: user.id,
    username,
    displayName: user.displayName,
    role: user.role,
    department: user.department,
    agency: user.agency,
    passwordChangedAt: now,
    disabledAt: null,
    failedLogins: 0,
    lockedUntil: null,
    createdAt: now,
  };
}
