import { fail, redirect } from '@sveltejs/kit';
import { recordAudit } from '$db/audit-chain.ts';
import { login } from '$server/auth/login.ts';
import { SESSION_COOKIE_NAME } from '$server/auth/sessions.ts';
import type { Actions, PageServerLoad } from './$types';

/** Only same-site paths: an open redirect would let a link send people elsewhere after signing in. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.identity.kind === 'user') redirect(303, safeNext(url.searchParams.get('next')));
  return {};
};

export const actions: Actions = {
  default: async ({ request, locals, cookies, url, getClientAddress }) => {
    const form = await request.formData();
    const username = String(form.get('username') ?? '').slice(0, 200);
    const password = String(form.get('password') ?? '').slice(0, 1024);
    if (!username || !password) {
      return fail(400, { username, message: '请输入用户名和密码 · Enter username and password' });
    }
    const { db, now } = locals.app;
    const address = getClientAddress();
    const result = await login(
      db,
      { username, password, address, userAgent: request.headers.get('user-agent') ?? '' },
      now(),
    );
    await recordAudit(db, [
      {
        at: now(),
        actor: result.ok ? result.user.id : `name:${username.toLowerCase().slice(0, 64)}`,
        actorRole: result.ok ? result.user.role : 'anonymous',
        action: result.ok ? 'session.login' : 'session.login_failed',
        subjectType: 'session',
        subjectId: result.ok ? result.session.id.slice(0, 16) : null,
        address,
        after: result.ok ? null : { reason: result.reason },
      },
    ]);
    if (!result.ok) return fail(result.reason === 'throttled' ? 429 : 400, { username, message: result.message });
    cookies.set(SESSION_COOKIE_NAME, result.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: url.protocol === 'https:',
      expires: result.session.expiresAt,
    });
    redirect(303, safeNext(url.searchParams.get('next')));
  },
};
