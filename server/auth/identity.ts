import type { Queryable } from '../../db/client.ts';
import type { UserRole } from '../../db/queries/users.ts';
import { ALERT_WALL_ROOM, WALL_ROOM } from '../../realtime/rooms.ts';
import { checkKiosk, DEVICE_COOKIE, KIOSK_COOKIE } from './kiosk.ts';
import { SESSION_COOKIE_NAME, validateSessionToken } from './sessions.ts';

/** Who is asking: a signed-in person, a wall display, or nobody. Resolved on the server only. */
export type Identity =
  | {
      kind: 'user';
      userId: string;
      username: string;
      displayName: string;
      role: UserRole;
      department: string | null;
      agency: string | null;
      sessionId: string;
      sessionExpiresAt: Date;
    }
  | { kind: 'kiosk'; kioskId: string; label: string }
  | { kind: 'anonymous' };

export const ANONYMOUS: Identity = { kind: 'anonymous' };

/** Who may look at the wall: `open` (embedded demo default) lets anyone, `signed-in` needs a session or kiosk. */
export type WallAccess = 'open' | 'signed-in';

export function canViewWall(identity: Identity, access: WallAccess): boolean {
  return access === 'open' || identity.kind !== 'anonymous';
}

/**
 * The live rooms an identity joins, decided here and nowhere else: the wall room for whoever may view
 * the wall, a role room for staff, and for a liaison or department only its own agency's or
 * department's room (what is shared or dispatched to it is sent there). Null refuses the socket.
 */
export function liveRooms(identity: Identity, access: WallAccess): string[] | null {
  if (!canViewWall(identity, access)) return null;
  const rooms = [WALL_ROOM];
  if (identity.kind !== 'user' || !['liaison', 'department'].includes(identity.role)) rooms.push(ALERT_WALL_ROOM);
  if (identity.kind !== 'user') return rooms;
  rooms.push(`role:${identity.role}`);
  if (identity.role === 'liaison' && identity.agency) rooms.push(`agency:${identity.agency}`);
  if (identity.role === 'department' && identity.department) rooms.push(`department:${identity.department}`);
  return rooms;
}

export function hasRole(identity: Identity, ...roles: UserRole[]): boolean {
  return identity.kind === 'user' && roles.includes(identity.role);
}

/** The cookies identity is read from, whatever carried them (a request, a socket handshake). */
export interface IdentityCookies {
  session?: string | undefined;
  kiosk?: string | undefined;
  device?: string | undefined;
}

/** Resolves cookies to an identity: a valid session wins, then a kiosk bound to this screen. */
export async function resolveIdentity(db: Queryable, cookies: IdentityCookies, now: Date): Promise<Identity> {
  if (cookies.session) {
    const found = await validateSessionToken(db, cookies.session, now);
    if (found) {
      const { user, session } = found;
      return {
        kind: 'user',
        userId: user.id,
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        department: user.department,
        agency: user.agency,
        sessionId: session.id,
        sessionExpiresAt: session.expiresAt,
      };
    }
  }
  if (cookies.kiosk && cookies.device) {
    const kiosk = await checkKiosk(db, cookies.kiosk, cookies.device, now);
    if (kiosk.ok) return { kind: 'kiosk', ...kiosk.identity };
  }
  return ANONYMOUS;
}

/** Reads our cookies from a raw Cookie header (socket handshakes have no cookie helper). */
export function cookiesFromHeader(header: string | undefined): IdentityCookies {
  const out: Record<string, string> = {};
  if (header && header.length <= 8192) {
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      const name = part.slice(0, eq).trim();
      if (name === SESSION_COOKIE_NAME || name === KIOSK_COOKIE || name === DEVICE_COOKIE) {
        out[name] = part.slice(eq + 1).trim();
      }
    }
  }
  return { session: out[SESSION_COOKIE_NAME], kiosk: out[KIOSK_COOKIE], device: out[DEVICE_COOKIE] };
}
