import { error, fail } from '@sveltejs/kit';
import { recordAudit } from '$db/audit-chain.ts';
import { listApiKeys, revokeApiKey } from '$db/queries/api-keys.ts';
import { listKioskTokens } from '$db/queries/kiosk.ts';
import { isUserRole, listUsers, USER_ROLES } from '$db/queries/users.ts';
import { createApiKey } from '$ingest/api-keys.ts';
import { CHANNEL_CODES } from '$ingest/channels/catalog.ts';
import type { Identity } from '$server/auth/identity.ts';
import { createKioskToken, revokeKioskToken } from '$server/auth/kiosk.ts';
import { AccountError, createUser, setAccountDisabled, unlockAccount } from '$server/auth/login.ts';
import type { Actions, PageServerLoad } from './$types';

/** Admins only (hooks.server.ts guards /admin). Every change below is written to the audit trail. */
export const load: PageServerLoad = async ({ locals }) => {
  const { db } = locals.app;
  const [users, keys, kiosks] = await Promise.all([listUsers(db), listApiKeys(db), listKioskTokens(db)]);
  return {
    roles: [...USER_ROLES],
    channels: [...CHANNEL_CODES],
    users: users.map((u) => ({
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      unit: u.agency ?? u.department ?? '',
      disabled: u.disabledAt !== null,
      locked: u.lockedUntil !== null && u.lockedUntil > locals.app.now(),
    })),
    keys: keys.map((k) => ({
      id: k.id,
      channel: k.channel,
      label: k.label,
      createdAt: k.createdAt.toISOString(),
      revoked: k.revokedAt !== null,
    })),
    kiosks: kiosks.map((k) => ({ id: k.id, label: k.label, bound: k.boundAt !== null, revoked: k.revokedAt !== null })),
  };
};

function admin(identity: Identity) {
  // hooks.server.ts already guards /admin; this keeps the actions safe if that ever changes.
  if (identity.kind !== 'user' || identity.role !== 'admin') error(403, '无权操作 · Forbidden');
  return identity;
}

const field = (form: FormData, name: string, max = 200) =>
  String(form.get(name) ?? '')
    .trim()
    .slice(0, max);

export const actions: Actions = {
  createUser: async ({ request, locals, getClientAddress }) => {
    const me = admin(locals.identity);
    const form = await request.formData();
    const role = field(form, 'role');
    if (!isUserRole(role)) return fail(400, { message: `未知角色 · Unknown role: ${role}` });
    const unit = field(form, 'unit') || null;
    try {
      const user = await createUser(
        locals.app.db,
        {
          username: field(form, 'username', 64),
          password: String(form.get('password') ?? '').slice(0, 256),
          role,
          displayName: field(form, 'displayName'),
          department: role === 'department' ? unit : null,
          agency: role === 'liaison' ? unit : null,
        },
        locals.app.now(),
      );
      await audit(locals, me, getClientAddress(), 'user.create', 'user', user.id, {
        username: user.username,
        role,
        unit,
      });
      return { message: `已创建 · Created ${user.username}` };
    } catch (error) {
      if (error instanceof AccountError) return fail(400, { message: error.problems.join('；') });
      throw error;
    }
  },
  setDisabled: async ({ request, locals, getClientAddress }) => {
    const me = admin(locals.identity);
    const form = await request.formData();
    const id = field(form, 'id', 64);
    const disabled = field(form, 'disabled') === 'true';
    if (!(await setAccountDisabled(locals.app.db, id, disabled, locals.app.now()))) {
      return fail(404, { message: '没有该用户 · No such user' });
    }
    await audit(locals, me, getClientAddress(), disabled ? 'user.disable' : 'user.enable', 'user', id, null);
    return { message: disabled ? '已停用 · Disabled' : '已启用 · Enabled' };
  },
  unlock: async ({ request, locals, getClientAddress }) => {
    const me = admin(locals.identity);
    const username = field(await request.formData(), 'username', 64);
    await unlockAccount(locals.app.db, username);
    await audit(locals, me, getClientAddress(), 'user.unlock', 'user', username, null);
    return { message: `已解锁 · Unlocked ${username}` };
  },
  createKey: async ({ request, locals, getClientAddress }) => {
    const me = admin(locals.identity);
    const form = await request.formData();
    const channel = field(form, 'channel');
    try {
      const key = await createApiKey(locals.app.db, channel, field(form, 'label') || 'admin');
      await audit(locals, me, getClientAddress(), 'apikey.create', 'api_key', channel, { channel });
      return { message: '新密钥只显示这一次 · The new key is shown once', secret: key };
    } catch (error) {
      return fail(400, { message: (error as Error).message });
    }
  },
  revokeKey: async ({ request, locals, getClientAddress }) => {
    const me = admin(locals.identity);
    const id = field(await request.formData(), 'id', 64);
    if (!(await revokeApiKey(locals.app.db, id))) return fail(404, { message: '没有该密钥 · No such key' });
    await audit(locals, me, getClientAddress(), 'apikey.revoke', 'api_key', id, null);
    return { message: '已吊销 · Revoked' };
  },
  createKiosk: async ({ request, locals, url, getClientAddress }) => {
    const me = admin(locals.identity);
    const label = field(await request.formData(), 'label') || '大屏';
    const token = await createKioskToken(locals.app.db, label, me.userId);
    await audit(locals, me, getClientAddress(), 'kiosk.create', 'kiosk', label, { label });
    return {
      message: '大屏链接只显示这一次 · The kiosk link is shown once',
      secret: `${url.origin}/wall?kiosk=${token}`,
    };
  },
  revokeKiosk: async ({ request, locals, getClientAddress }) => {
    const me = admin(locals.identity);
    const id = field(await request.formData(), 'id', 64);
    if (!(await revokeKioskToken(locals.app.db, id, locals.app.now()))) {
      return fail(404, { message: '没有该大屏 · No such kiosk' });
    }
    await audit(locals, me, getClientAddress(), 'kiosk.revoke', 'kiosk', id, null);
    return { message: '已吊销 · Revoked' };
  },
};

function audit(
  locals: App.Locals,
  me: Extract<Identity, { kind: 'user' }>,
  address: string,
  action: string,
  subjectType: string,
  subjectId: string,
  after: unknown,
) {
  return recordAudit(locals.app.db, [
    { at: locals.app.now(), actor: me.userId, actorRole: me.role, action, subjectType, subjectId, address, after },
  ]);
}
