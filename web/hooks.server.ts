import { type Handle, type HandleServerError, redirect } from '@sveltejs/kit';
import { canViewWall, cookiesFromHeader, hasRole, type Identity, resolveIdentity } from '$server/auth/identity.ts';
import { checkKiosk, DEVICE_COOKIE, KIOSK_COOKIE } from '$server/auth/kiosk.ts';
import { SESSION_COOKIE_NAME } from '$server/auth/sessions.ts';
import { getAppContext } from '$server/context.ts';
import { recordAudit } from '$db/audit-chain.ts';

/** Headers every answer carries (CSP itself comes from svelte.config.js). */
const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  // Not no-referrer: with it browsers send Origin: null on form posts and the CSRF check refuses them.
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

const ONE_YEAR_S = 365 * 24 * 3600;

/** Who may open which page; API routes check their own credentials (API keys). */
function allowed(path: string, identity: Identity, wallAccess: 'open' | 'signed-in'): boolean | 'sign-in' {
  if (path === '/wall' || path.startsWith('/wall/')) return canViewWall(identity, wallAccess) || 'sign-in';
  if (path === '/console' || path.startsWith('/console/')) {
    if (identity.kind === 'anonymous') return 'sign-in';
    // The alert list and one alert decide per alert (alerts/audiences.ts): liaisons and departments read theirs.
    if (path === '/console/alerts' || /^\/console\/alerts\/[^/]+$/.test(path)) {
      return hasRole(identity, 'admin', 'duty_leader', 'operator', 'liaison', 'department');
    }
    return hasRole(identity, 'admin', 'duty_leader', 'operator');
  }
  if (path === '/admin' || path.startsWith('/admin/')) {
    if (identity.kind === 'anonymous') return 'sign-in';
    return hasRole(identity, 'admin');
  }
  return true;
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * The cross-site form check SvelteKit would do (it is off in svelte.config.js): a cookie-authenticated
 * form post must come from this origin. Open311 and the intake APIs are exempt: they authenticate
 * with keys, never cookies, and their clients are servers that send no Origin header.
 */
function crossSiteFormPost(request: Request, url: URL): boolean {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return false;
  if (url.pathname.startsWith('/open311/') || url.pathname.startsWith('/api/')) return false;
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  return FORM_TYPES.includes(type) && request.headers.get('origin') !== url.origin;
}

export const handle: Handle = async ({ event, resolve }) => {
  if (crossSiteFormPost(event.request, event.url)) {
    return new Response(`Cross-site ${event.request.method} form submissions are forbidden`, {
      status: 403,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  const app = getAppContext();
  event.locals.app = app;
  const now = app.now();
  const secure = event.url.protocol === 'https:';
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };

  // A wall display opens /wall?kiosk=<token> once: the token binds to this screen and moves into cookies.
  const kioskParam = event.url.searchParams.get('kiosk');
  if (event.url.pathname === '/wall' && kioskParam) {
    const check = await checkKiosk(app.db, kioskParam, event.cookies.get(DEVICE_COOKIE), now);
    if (!check.ok) {
      return new Response('大屏令牌无效或已绑定其他屏幕 · Kiosk token invalid or bound to another screen', {
        status: 403,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    }
    event.cookies.set(KIOSK_COOKIE, kioskParam, { ...cookieOptions, maxAge: ONE_YEAR_S });
    if (check.newDeviceSecret) {
      event.cookies.set(DEVICE_COOKIE, check.newDeviceSecret, { ...cookieOptions, maxAge: ONE_YEAR_S });
      await recordAudit(app.db, [
        {
          at: now,
          actor: `kiosk:${check.identity.kioskId}`,
          actorRole: 'wall',
          action: 'kiosk.bind',
          subjectType: 'kiosk',
          subjectId: check.identity.kioskId,
          address: event.getClientAddress(),
        },
      ]);
    }
    redirect(303, '/wall');
  }

  const identity = await resolveIdentity(
    app.db,
    cookiesFromHeader(event.request.headers.get('cookie') ?? undefined),
    now,
  );
  event.locals.identity = identity;
  const session = event.cookies.get(SESSION_COOKIE_NAME);
  if (identity.kind === 'user' && session) {
    // Sliding expiry: the cookie follows the session's (possibly extended) end.
    event.cookies.set(SESSION_COOKIE_NAME, session, { ...cookieOptions, expires: identity.sessionExpiresAt });
  } else if (session) {
    event.cookies.delete(SESSION_COOKIE_NAME, { path: '/' });
  }

  const verdict = allowed(event.url.pathname, identity, app.config.wallAccess);
  if (verdict === 'sign-in') redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  if (!verdict) {
    return new Response('无权访问 · Forbidden', {
      status: 403,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }

  const response = await resolve(event);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  return response;
};

/** Unexpected errors are logged with their stack; the client only gets a plain message. */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
  if (status >= 500) {
    try {
      getAppContext().log.error(`${event.request.method} ${event.url.pathname} failed`, error);
    } catch {
      process.stderr.write(`${event.url.pathname} failed: ${String(error)}\n`);
    }
    return { message: '服务器内部错误 · Internal server error' };
  }
  return { message };
};
