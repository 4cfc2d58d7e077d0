import { error, fail } from '@sveltejs/kit';
import { CHANNELS } from '$ingest/channels/catalog.ts';
import { TOPICS } from '$ingest/taxonomy.ts';
import { duplicateHints, readRegistrationForm, registrationToRecord } from '$server/registration.ts';
import type { Actions, PageServerLoad } from './$types';

const KINDS = [
  { code: 'grievance', name: '申诉求决 grievance' },
  { code: 'suggestion', name: '建议意见 suggestion' },
  { code: 'accusation', name: '检举控告 accusation' },
  { code: 'litigation', name: '涉法涉诉 litigation-related' },
];

/** Operators register letters and visits here (登记); duty leaders may look but not register. */
export const load: PageServerLoad = ({ locals }) => ({
  districts: locals.app.region.districts.map((d) => ({ code: d.code, name: d.name })),
  kinds: KINDS,
  canRegister: locals.identity.kind === 'user' && ['admin', 'operator'].includes(locals.identity.role),
});

function operator(identity: App.Locals['identity']) {
  if (identity.kind !== 'user' || !['admin', 'operator'].includes(identity.role)) {
    error(403, '只有登记员可以登记 · Only operators register petitions');
  }
  return identity;
}

export const actions: Actions = {
  register: async ({ request, locals, getClientAddress }) => {
    const me = operator(locals.identity);
    const app = locals.app;
    const form = await request.formData();
    const parsed = readRegistrationForm(form);
    const now = app.now();
    const mapped = await registrationToRecord(parsed, now);
    if (!mapped.ok) return fail(422, { values: parsed.values, problems: mapped.problems });
    const record = mapped.record;
    if (!record.ok) return fail(422, { values: parsed.values, problems: [] });
    // The same matter or person already on file: show it and let the operator confirm.
    if (form.get('confirmDuplicate') !== 'yes') {
      const hints = await duplicateHints(app, record.input, now);
      if (hints.length > 0) {
        return fail(409, {
          values: parsed.values,
          problems: [],
          duplicates: hints.map((h) => ({
            id: h.id,
            channel: CHANNELS[h.channel as keyof typeof CHANNELS]?.zh ?? h.channel,
            receivedAt: h.receivedAt.toISOString(),
            topic: TOPICS[h.topic as keyof typeof TOPICS]?.zh ?? h.topic,
            summary: h.summary,
            similarity: Math.round(h.similarity * 100),
            samePerson: h.samePerson,
          })),
        });
      }
    }
    const [outcome] = await app.pipeline.submit([record], {
      actor: me.userId,
      role: me.role,
      channel: record.input.channel,
      address: getClientAddress(),
    });
    if (outcome?.status === 'stored') {
      return { stored: { id: outcome.id, duplicate: outcome.duplicate, attachments: record.attachments?.length ?? 0 } };
    }
    if (outcome?.status === 'rejected') {
      return fail(422, { values: parsed.values, problems: [{ field: '', message: outcome.reason }] });
    }
    return fail(503, {
      values: parsed.values,
      problems: [{ field: '', message: '存储不可用，未保存，请稍后重试 · Storage unavailable; nothing was saved' }],
    });
  },
};
