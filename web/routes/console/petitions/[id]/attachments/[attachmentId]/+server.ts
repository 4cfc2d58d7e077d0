import { error } from '@sveltejs/kit';
import { recordAudit } from '$db/audit-chain.ts';
import { findAttachment } from '$db/queries/originals.ts';
import { findPetition } from '$db/queries/petitions.ts';
import { downloadHeaders, isAccusedUnit, isUuid, seesInClear } from '$lib/server/confidential.ts';
import type { RequestHandler } from './$types';

/** A media type as stored, when it is one; anything odd is served as opaque bytes. */
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(\s*;\s*[a-z0-9_.-]+=[a-z0-9_.+-]+)*$/i;

/** One file of a petition (a scanned letter, an e-mail attachment): admins and operators only, audited. */
export const GET: RequestHandler = async ({ locals, params, getClientAddress }) => {
  const me = locals.identity;
  if (!seesInClear(me)) error(403, '无权下载附件 · Only admins and operators may download attachments');
  if (!isUuid(params.id) || !isUuid(params.attachmentId)) error(404, '没有这个附件 · No such attachment');
  const { db, sealer, now } = locals.app;
  const petition = await findPetition(db, params.id);
  if (!petition) error(404, '没有这条信访 · No such petition');
  if (isAccusedUnit(petition, me)) error(403, '检举控告事项：被检举单位不得查看 · Not shown to the accused unit');
  const attachment = await findAttachment(db, petition.id, params.attachmentId);
  if (!attachment) error(404, '没有这个附件 · No such attachment');
  const content = sealer.unsealBytes(attachment.keyId, attachment.sealed);
  await recordAudit(db, [
    {
      at: now(),
      actor: me.userId,
      actorRole: me.role,
      action: 'attachment.read',
      subjectType: 'attachment',
      subjectId: attachment.id,
      address: getClientAddress(),
      after: { petitionId: petition.id, filename: attachment.filename, sha256: attachment.sha256 },
    },
  ]);
  const type = MEDIA_TYPE.test(attachment.contentType) ? attachment.contentType : 'application/octet-stream';
  return new Response(new Uint8Array(content), {
    headers: downloadHeaders(attachment.filename || `attachment-${attachment.id}`, type),
  });
};
