import { fail, redirect } from '@sveltejs/kit';
import { recordAudit } from '$db/audit-chain.ts';
import { changePassword } from '$server/auth/login.ts';
import { SESSION_COOKIE_NAME } from '$server/auth/sessions.ts';
import type { Actions, PageServerLoad } from './$types';

/** Signed-in people only (hooks.server.ts): their account and a password change. */
export const load: PageServerLoad = ({ locals }) => {
  const id = locals.identity;
  if (id.kind !== 'user') redirect(303, '/login?next=%2Faccount');
  return { username: id.username, displayName: id.displayName, role: id.role };
};

export const actions: Actions = {
  password: async ({ request, locals, cookies, getClientAddress }) => {
    const id = locals.identity;
    if (id.kind !== 'user') redirect(303, '/login?next=%2Faccount');
    const form = await request.formData();
    const current = String(form.get('current') ?? '').slice(0, 1024);
    const next = String(form.get('next') ?? '').slice(0, 1024);
    const { db, now } = locals.app;
    const result = await changePassword(db, id.userId, current, next, now());
    if (!result.ok) return fail(400, { message: result.problems.join('；') });
    await recordAudit(db, [
      {
        at: now(),
        actor: id.userId,
        actorRole: id.role,
        action: 'user.password_change',
        subjectType: 'user',
        subjectId: id.userId,
        address: getClientAddress(),
        after: { sessionsEnded: result.sessionsEnded },
      },
    ]);
    // Every session of this account ended, this one too: sign in again with the new password.
    cookies.delete(SESSION_COOKIE_NAME, { path: '/' });
    redirect(303, '/login?next=%2Faccount');
  },
};
