import type { UserRole } from '../../db/queries/users.ts';
import { createUser } from '../../server/auth/login.ts';
import type { TestServer } from './server.ts';

const PASSWORD = 'Wenkong-Test-Passw0rd!';

/** Creates a user with `role` and signs in through /login; returns the session cookie. */
export async function signInAs(server: TestServer, role: UserRole, username = `t-${role.replace('_', '-')}`) {
  await createUser(server.app.db, { username, password: PASSWORD, role }, new Date());
  const r = await fetch(`${server.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
    body: new URLSearchParams({ username, password: PASSWORD }),
  });
  const cookie = r.headers.getSetCookie().find((c) => c.startsWith('wk_session='));
  if (!cookie) throw new Error(`signing in as ${username} failed with ${r.status}`);
  return cookie.split(';')[0]!;
}

/** POSTs a SvelteKit form action and reads its JSON answer ({ type, status, data }). */
export async function postAction(server: TestServer, path: string, cookie: string, body: FormData | URLSearchParams) {
  const r = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { cookie, origin: server.url, accept: 'application/json', 'x-sveltekit-action': 'true' },
    body,
  });
  const answer = (await r.json()) as { type: string; status?: number; data?: string };
  return { status: r.status, type: answer.type, actionStatus: answer.status, data: answer.data };
}
