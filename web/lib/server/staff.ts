import { error } from '@sveltejs/kit';

/** The roles that handle intake (register, import, retry); others get 403 with a reason. */
export function intakeStaff(identity: App.Locals['identity']) {
  if (identity.kind !== 'user' || !['admin', 'operator'].includes(identity.role)) {
    error(403, '只有登记员和管理员可以操作 · Only operators and admins may do this');
  }
  return identity;
}
