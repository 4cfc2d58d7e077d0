import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { countUsers, USER_ROLES } from '../db/queries/users.ts';
import { createUser } from './auth/login.ts';
import { createKioskToken } from './auth/kiosk.ts';
import type { Log } from './log.ts';

const NAMES: Record<(typeof USER_ROLES)[number], string> = {
  admin: '系统管理员',
  duty_leader: '值班领导',
  operator: '信访工作人员',
  department: '责任部门',
  liaison: '公安联络员',
  wall: '大屏账号',
};

/**
 * On an empty embedded database, one demo account per role (random passwords) and a kiosk link for
 * the wall, printed once at start so a newcomer can sign in. Never on a configured database.
 */
export async function seedDemoAccounts(db: Db, log: Log, baseUrl: string, now: Date): Promise<void> {
  if ((await countUsers(db)) > 0) return;
  const lines: string[] = [];
  for (const role of USER_ROLES) {
    // 18 base64url characters of randomness plus fixed classes: always passes the password rules.
    const password = `${randomBytes(14).toString('base64url')}-Wk9`;
    await createUser(
      db,
      {
        username: `demo-${role.replace('_', '-')}`,
        password,
        role,
        displayName: NAMES[role],
        department: role === 'department' ? '区人社局' : null,
        agency: role === 'liaison' ? '市公安局' : null,
      },
      now,
    );
    lines.push(`  ${NAMES[role].padEnd(8, '　')} demo-${role.replace('_', '-')} / ${password}`);
  }
  const kiosk = await createKioskToken(db, '演示大屏 demo wall', 'demo');
  log.info(
    `demo accounts (printed once; change them before real use):\n${lines.join('\n')}\n` +
      `  kiosk link for a wall screen: ${baseUrl}/wall?kiosk=${kiosk}`,
  );
}
