/**
 * Sessions as Lucia's guide describes them (https://lucia-auth.com/sessions/basic): the browser holds a
 * random token, the database stores only its SHA-256 as the session id, expiry slides while the session
 * is used, and logout or a password change deletes the rows. Every function takes the clock as `now`.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Queryable } from '../../db/client.ts';
import {
  deleteSession,
  deleteUserSessions,
  extendSession,
  findSessionWithUser,
  insertSession,
  type SessionRow,
} from '../../db/queries/sessions.ts';
import type { UserRow } from '../../db/queries/users.ts';

export type Session = SessionRow;
export type SessionUser = UserRow;
export interface SessionValidation {
  session: Session;
  user: SessionUser;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** A session lives this long after it was opened or last extended. */
export const SESSION_LIFETIME_MS = 30 * DAY_MS;
/** A session used when less than this is left is extended to a full lifetime again. */
export const SESSION_RENEW_WITHIN_MS = 15 * DAY_MS;
/** last_seen_at is written at most this often, so validating a session is not a write per request. */
const LAST_SEEN_RESOLUTION_MS = 5 * 60 * 1000;

export const SESSION_COOKIE_NAME = 'wk_session';
/** 20 random bytes in base32 without padding: exactly 32 characters of a–z and 2–7. */
const TOKEN_PATTERN = /^[a-z2-7]{32}$/;
const MAX_USER_AGENT = 512;
const MAX_ADDRESS = 100;

/** A new session token: 160 random bits, lower-case base32. Shown to the browser only, never stored. */
export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** The session id stored for a token: its SHA-256 in lower-case hex. */
export function sessionIdFromToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** Whether `token` has the shape of one of ours; anything else is refused before any query. */
export function isWellFormedToken(token: unknown): token is string {
  return typeof token === 'string' && TOKEN_PATTERN.test(token);
}

/** Opens a session for `userId` under `token` (from {@link generateSessionToken}). */
export async function createSession(
  db: Queryable,
  token: string,
  userId: string,
  client: { address: string; userAgent: string },
  now: Date,
): Promise<Session> {
  const session: Session = {
    id: sessionIdFromToken(token),
    userId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS),
    lastSeenAt: now,
    address: client.address.slice(0, MAX_ADDRESS),
    userAgent: client.userAgent.slice(0, MAX_USER_AGENT),
  };
  await insertSession(db, session);
  return session;
}

/**
 * The session and user for a token, or null when the token is malformed, unknown or expired, or its
 * user is disabled. Expired sessions and those of disabled users are deleted; a session with less than
 * {@link SESSION_RENEW_WITHIN_MS} left is extended to `now` + {@link SESSION_LIFETIME_MS}.
 */
export async function validateSessionToken(
  db: Queryable,
  token: unknown,
  now: Date,
): Promise<SessionValidation | null> {
  if (!isWellFormedToken(token)) return null;
  const found = await findSessionWithUser(db, sessionIdFromToken(token));
  if (!found) return null;
  const { session, user } = found;
  const t = now.getTime();
  // A session older than the current password survived a change that should have ended it.
  if (t >= session.expiresAt.getTime() || user.disabledAt || session.createdAt < user.passwordChangedAt) {
    await deleteSession(db, session.id);
    return null;
  }
  if (t >= session.expiresAt.getTime() - SESSION_RENEW_WITHIN_MS) {
    const renewed = { ...session, expiresAt: new Date(t + SESSION_LIFETIME_MS), lastSeenAt: now };
    await extendSession(db, session.id, renewed.expiresAt, now);
    return { session: renewed, user };
  }
  if (t - session.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
    await extendSession(db, session.id, session.expiresAt, now);
    return { session: { ...session, lastSeenAt: now }, user };
  }
  return { session, user };
}

/** Ends one session (logout). */
export async function invalidateSession(db: Queryable, sessionId: string): Promise<void> {
  await deleteSession(db, sessionId);
}

/** Ends every session of a user (password change, account disabled); returns how many ended. */
export function invalidateUserSessions(db: Queryable, userId: string): Promise<number> {
  return deleteUserSessions(db, userId);
}

/**
 * The Set-Cookie value that hands `token` to the browser: not readable by scripts, not sent on
 * cross-site subrequests, and only over TLS when `secure` (behind HTTPS; off for http://localhost).
 */
export function sessionCookie(token: string, expiresAt: Date, options: { secure: boolean }): string {
  return `${SESSION_COOKIE_NAME}=${token}; HttpOnly; SameSite=Lax; Path=/; Expires=${expiresAt.toUTCString()}${
    options.secure ? '; Secure' : ''
  }`;
}

/** The Set-Cookie value that removes the session cookie (logout, invalid token). */
export function blankSessionCookie(options: { secure: boolean }): string {
  return `${SESSION_COOKIE_NAME}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0${options.secure ? '; Secure' : ''}`;
}
