import { redirect } from '@sveltejs/kit';
import { recordAudit } from '$db/audit-chain.ts';
import { invalidateSession, SESSION_COOKIE_NAME } from '$server/auth/sessions.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
  default: async ({ locals, cookies, getClientAddress }) => {
    const { identity } = locals;
    if (identity.kind === 'user') {
      const { db, now } = locals.app;
      await invalidateSession(db, identity.sessionId);
      await recordAudit(db, [
        {
          at: now(),
          actor: identity.userId,
          actorRole: identity.role,
          action: 'session.logout',
          subjectType: 'session',
          subjectId: identity.sessionId.slice(0, 16),
          address: getClientAddress(),
        },
      ]);
    }
    cookies.delete(SESSION_COOKIE_NAME, { path: '/' });
    redirect(303, '/login');
  },
};
