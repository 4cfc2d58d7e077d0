import type { Queryable } from '../client.ts';
import { toUserRow, USER_COLUMNS, type UserDbRow, type UserRow } from './users.ts';

/** A stored session. `id` is the hex SHA-256 of the token; the token itself is never stored. */
export interface SessionRow {
  id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  lastSeenAt: Date;
  address: string;
  userAgent: string;
}

interface SessionDbRow {
  session_id: string;
  session_user_id: string;
  session_created_at: Date;
  expires_at: Date;
  last_seen_at: Date;
  address: string;
  user_agent: string;
}

const SESSION_COLUMNS = `sessions.id AS session_id, sessions.user_id AS session_user_id,
  sessions.created_at AS session_created_at, sessions.expires_at, sessions.last_seen_at, sessions.address,
  sessions.user_agent`;

function toSessionRow(r: SessionDbRow): SessionRow {
  return {
    id: r.session_id,
    userId: r.session_user_id,
    createdAt: r.session_created_at,
    expiresAt: r.expires_at,
    lastSeenAt: r.last_seen_at,
    address: r.address,
    userAgent: r.user_agent,
  };
}

/** Stores a new session. */
export async function insertSession(db: Queryable, session: SessionRow): Promise<void> {
  await db.query(
    `INSERT INTO sessions (id, user_id, created_at, expires_at, last_seen_at, address, user_agent)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      session.id,
      session.userId,
      session.createdAt,
      session.expiresAt,
      session.lastSeenAt,
      session.address,
      session.userAgent,
    ],
  );
}

/** The session with this id and its user, in one query, or null. Expiry is the caller's to judge. */
export async function findSessionWithUser(
  db: Queryable,
  id: string,
): Promise<{ session: SessionRow; user: UserRow } | null> {
  const { rows } = await db.query<SessionDbRow & UserDbRow>(
    `SELECT ${SESSION_COLUMNS}, ${USER_COLUMNS}
     FROM sessions JOIN users ON users.id = sessions.user_id
     WHERE sessions.id = $1`,
    [id],
  );
  const r = rows[0];
  return r ? { session: toSessionRow(r), user: toUserRow(r) } : null;
}

/** Moves a session's expiry and last-seen time forward; returns whether it still exists. */
export async function extendSession(db: Queryable, id: string, expiresAt: Date, lastSeenAt: Date): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE sessions SET expires_at = $2, last_seen_at = $3 WHERE id = $1', [
    id,
    expiresAt,
    lastSeenAt,
  ]);
  return (rowCount ?? 0) > 0;
}

/** Deletes one session (logout, expiry). */
export async function deleteSession(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id = $1', [id]);
}

/** Deletes every session of a user (password change, disabling); returns how many there were. */
export async function deleteUserSessions(db: Queryable, userId: string): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
  return rowCount ?? 0;
}

/** Deletes sessions that expired by `now` (a periodic clean-up); returns how many. */
export async function deleteExpiredSessions(db: Queryable, now: Date): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM sessions WHERE expires_at <= $1', [now]);
  return rowCount ?? 0;
}
