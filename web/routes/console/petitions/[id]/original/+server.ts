import { error } from '@sveltejs/kit';
import { recordAudit } from '$db/audit-chain.ts';
import { findOriginal } from '$db/queries/originals.ts';
import { findPetition } from '$db/queries/petitions.ts';
import { downloadHeaders, isAccusedUnit, isUuid, seesInClear } from '$lib/server/confidential.ts';
import type { RequestHandler } from './$types';

/** How each original format is handed out: JSON as it came, an e-mail as the message, the rest as text. */
function asFile(format: string, content: Buffer): { body: Buffer; type: string; extension: string } {
  switch (format) {
    case 'json':
    case 'form':
      return { body: content, type: 'application/json; charset=utf-8', extension: 'json' };
    case 'email':
      // Kept as base64 of the RFC 822 message.
      return { body: Buffer.from(content.toString('utf8'), 'base64'), type: 'message/rfc822', extension: 'eml' };
    default:
      return { body: content, type: 'text/plain; charset=utf-8', extension: 'txt' };
  }
}

/** A petition's original as its channel delivered it: admins and operators only, audited. */
export const GET: RequestHandler = async ({ locals, params, getClientAddress }) => {
  const me = locals.identity;
  if (!seesInClear(me)) error(403, '无权下载原件 · Only admins and operators may download originals');
  if (!isUuid(params.id)) error(404, '没有这条信访 · No such petition');
  const { db, sealer, now } = locals.app;
  const petition = await findPetition(db, params.id);
  if (!petition) error(404, '没有这条信访 · No such petition');
  if (isAccusedUnit(petition, me)) error(403, '检举控告事项：被检举单位不得查看 · Not shown to the accused unit');
  const original = await findOriginal(db, petition.id);
  if (!original) error(404, '没有原件 · No original kept for this petition');
  const file = asFile(original.format, sealer.unsealBytes(original.keyId, original.sealed));
  await recordAudit(db, [
    {
      at: now(),
      actor: me.userId,
      actorRole: me.role,
      action: 'original.read',
      subjectType: 'petition',
      subjectId: petition.id,
      address: getClientAddress(),
      after: { format: original.format },
    },
  ]);
  return new Response(new Uint8Array(file.body), {
    headers: downloadHeaders(`petition-${petition.id}.${file.extension}`, file.type),
  });
};
