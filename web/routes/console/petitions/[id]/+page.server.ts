import { error } from '@sveltejs/kit';
import { recordAudit } from '$db/audit-chain.ts';
import { linksOf } from '$db/queries/links.ts';
import { findOriginal, listAttachments } from '$db/queries/originals.ts';
import { findPetition } from '$db/queries/petitions.ts';
import { CHANNELS } from '$ingest/channels/catalog.ts';
import { maskText } from '$ingest/mask.ts';
import { GRADES, TOPICS } from '$ingest/taxonomy.ts';
import { hasUnit, isAccusedUnit, isUuid, seesInClear } from '$lib/server/confidential.ts';
import type { PageServerLoad } from './$types';

const MATTER_KINDS: Record<string, string> = {
  suggestion: '建议 suggestion',
  accusation: '检举控告 accusation',
  grievance: '申诉求决 grievance',
  litigation: '涉法涉诉 litigation',
};
const SENTIMENTS: Record<string, string> = {
  negative: '负面 negative',
  neutral: '中性 neutral',
  positive: '正面 positive',
};
const LINK_KINDS: Record<string, string> = {
  near_duplicate: '同一事项 same matter',
  same_person: '同一信访人 same person',
};

const channelName = (code: string) => CHANNELS[code as keyof typeof CHANNELS]?.zh ?? code;
const topicName = (code: string) => TOPICS[code as keyof typeof TOPICS]?.zh ?? code;
const gradeName = (code: string) => GRADES[code as keyof typeof GRADES]?.zh ?? code;

/**
 * One petition with its original, attachments and linked petitions (one matter or one person across
 * channels). Admins and operators read the text in clear and may download the original and the files;
 * a duty leader reads it masked. The unit an accusation is about sees neither text nor petitioner.
 */
export const load: PageServerLoad = async ({ locals, params, getClientAddress }) => {
  if (!isUuid(params.id)) error(404, '没有这条信访 · No such petition');
  const { db, region, now } = locals.app;
  const petition = await findPetition(db, params.id);
  if (!petition) error(404, '没有这条信访 · No such petition');
  const me = locals.identity;
  const confidential = isAccusedUnit(petition, me);
  const clear = seesInClear(me) && !confidential;
  const [original, attachments, links] = await Promise.all([
    findOriginal(db, petition.id),
    listAttachments(db, petition.id),
    linksOf(db, petition.id),
  ]);

  const masked = maskText(petition.text);
  if (clear && masked !== petition.text) {
    // The text holds phone or ID numbers: reading them in clear is a read of identity data.
    await recordAudit(db, [
      {
        at: now(),
        actor: me.userId,
        actorRole: me.role,
        action: 'petition.read',
        subjectType: 'petition',
        subjectId: petition.id,
        address: getClientAddress(),
        after: { fields: ['text'] },
      },
    ]);
  }

  // A linked accusation may be about the viewer's own unit: its summary is withheld as well.
  const hidden = new Set<string>();
  if (hasUnit(me)) {
    const others = await Promise.all(links.map((l) => findPetition(db, l.id)));
    for (const o of others) if (o && isAccusedUnit(o, me)) hidden.add(o.id);
  }

  const time = new Intl.DateTimeFormat('zh-CN', {
    timeZone: region.timezone,
    dateStyle: 'short',
    timeStyle: 'medium',
    hourCycle: 'h23',
  });
  const district = region.districts.find((d) => d.code === petition.regionCode);
  return {
    petition: {
      id: petition.id,
      receivedAt: time.format(petition.receivedAt),
      channel: channelName(petition.channel),
      externalId: petition.externalId,
      district: district?.name ?? '未知区域 unknown',
      topic: topicName(petition.topic),
      grade: petition.grade,
      gradeName: gradeName(petition.grade),
      sentiment: SENTIMENTS[petition.sentimentLabel] ?? petition.sentimentLabel,
      sentimentScore: petition.sentimentScore,
      people: petition.people,
      amountYuan: petition.amountYuan,
      extreme: petition.extreme,
      reasons: petition.reasons,
      matterKind: MATTER_KINDS[petition.matterKind] ?? petition.matterKind,
      accusedUnit: petition.accusedUnit,
      text: confidential ? null : clear ? petition.text : masked,
    },
    clear,
    confidential,
    original: original ? { format: original.format, position: original.position } : null,
    attachments: confidential
      ? []
      : attachments.map((a) => ({
          id: a.id,
          filename: a.filename,
          contentType: a.contentType,
          sizeBytes: a.sizeBytes,
        })),
    links: links.map((l) => ({
      id: l.id,
      kind: LINK_KINDS[l.kind] ?? l.kind,
      similarity: Math.round(l.similarity * 100),
      channel: channelName(l.channel),
      receivedAt: time.format(l.receivedAt),
      topic: topicName(l.topic),
      grade: l.grade,
      gradeName: gradeName(l.grade),
      summary: hidden.has(l.id) ? null : l.summary,
    })),
  };
};
