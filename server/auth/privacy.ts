import type { Db } from '../../db/client.ts';
import { findContact, findPetition } from '../../db/queries/petitions.ts';
import type { ContactSealer } from '../../ingest/contact-seal.ts';
import { maskAddress, maskEmail, maskIdNumber, maskName, maskPhone } from '../../ingest/mask.ts';
import type { Contact } from '../../ingest/petition.ts';
import { recordAudit } from '../../db/audit-chain.ts';
import { hasRole, type Identity } from './identity.ts';

/** Roles that handle petitioners and may see who they are; every such read is audited. */
const CLEAR_ROLES = ['admin', 'operator'] as const;
/**
 * Roles that see a petitioner only masked. Departments and liaisons see nothing here: they see what is
 * assigned, shared or dispatched to them (cases and dispatch come with their own issues).
 */
const MASKED_ROLES = ['duty_leader'] as const;

const FORBIDDEN = {
  status: 403,
  body: { error: { code: 'forbidden', message: '无权查看信访人信息 · Not allowed to see petitioner identity' } },
} as const;

export type ContactRead =
  | { status: 200; body: { contact: Contact; masked: boolean } }
  | { status: 401 | 403 | 404; body: { error: { code: string; message: string } } };

export function maskContact(c: Contact): Contact {
  const out: Contact = {};
  if (c.name) out.name = maskName(c.name);
  if (c.phone) out.phone = maskPhone(c.phone);
  if (c.idNumber) out.idNumber = maskIdNumber(c.idNumber);
  if (c.address) out.address = maskAddress(c.address);
  if (c.email) out.email = maskEmail(c.email);
  return out;
}

/**
 * A petitioner's identity for `identity`: in clear for the roles that handle petitions (audited as
 * contact.read, who, when, from where), masked for other signed-in roles, refused to displays.
 */
export async function readContact(
  db: Db,
  sealer: ContactSealer,
  identity: Identity,
  petitionId: string,
  address: string,
  now: Date,
): Promise<ContactRead> {
  if (identity.kind === 'anonymous') {
    return { status: 401, body: { error: { code: 'unauthorized', message: '请先登录 · Sign in first' } } };
  }
  if (identity.kind === 'kiosk' || identity.role === 'wall') return FORBIDDEN;
  if (!/^[0-9a-f-]{36}$/i.test(petitionId)) {
    return { status: 404, body: { error: { code: 'not_found', message: '没有这条信访 · No such petition' } } };
  }
  // 信访工作条例 Art. 30: an accuser is never revealed to the unit accused or its staff, not even masked.
  const petition = await findPetition(db, petitionId);
  if (!petition) {
    return { status: 404, body: { error: { code: 'not_found', message: '没有这条信访 · No such petition' } } };
  }
  if (petition.matterKind === 'accusation' && petition.accusedUnit && identity.kind === 'user') {
    const unit = petition.accusedUnit;
    if (identity.department === unit || identity.agency === unit) {
      return {
        status: 403,
        body: {
          error: {
            code: 'confidential',
            message: '检举控告事项：被检举单位不得查看检举人 · The accused unit may not see the accuser',
          },
        },
      };
    }
  }
  if (!hasRole(identity, ...CLEAR_ROLES, ...MASKED_ROLES)) return FORBIDDEN;
  const stored = await findContact(db, petitionId);
  if (!stored) {
    return { status: 404, body: { error: { code: 'not_found', message: '没有联系人信息 · No contact on file' } } };
  }
  const contact = sealer.unseal(stored.keyId, stored.sealed);
  if (!hasRole(identity, ...CLEAR_ROLES)) return { status: 200, body: { contact: maskContact(contact), masked: true } };
  await recordAudit(db, [
    {
      at: now,
      actor: identity.userId,
      actorRole: identity.role,
      action: 'contact.read',
      subjectType: 'petition',
      subjectId: petitionId,
      address,
      after: { fields: Object.keys(contact).sort() },
    },
  ]);
  return { status: 200, body: { contact, masked: false } };
}
