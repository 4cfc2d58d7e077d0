import { error, fail } from '@sveltejs/kit';
import { createSilence, expireSilence, MAX_SILENCE_MINUTES } from '$alerts/lifecycle.ts';
import { activeSilences } from '$db/queries/alerts.ts';
import { TOPIC_CODES, TOPICS } from '$ingest/taxonomy.ts';
import { isUuid } from '$lib/server/confidential.ts';
import type { Identity } from '$server/auth/identity.ts';
import { _timeFormat } from '../+page.server.ts';
import type { Actions, PageServerLoad } from './$types';

const FORBIDDEN = '无权操作：仅值班领导和管理员可以设置静默 · Only duty leaders and admins may silence alerts';

/** Silences are the duty leaders' (and admins'): a silence keeps alerts from everyone for a while. */
function silencer(identity: Identity) {
  return identity.kind === 'user' && (identity.role === 'admin' || identity.role === 'duty_leader') ? identity : null;
}

/** Active silences with what each one matches, and the form to create one. */
export const load: PageServerLoad = async ({ locals }) => {
  if (!silencer(locals.identity)) error(403, FORBIDDEN);
  const { db, region, now } = locals.app;
  const silences = await activeSilences(db, now());
  const rules = locals.app.alerts.rules.current().set.rules;
  const time = _timeFormat(region.timezone);
  const ruleName = (id: string) => {
    const rule = rules.find((r) => r.id === id);
    return rule ? `${rule.name.zh} (${id})` : id;
  };
  const districtName = (code: string) => region.districts.find((d) => d.code === code)?.name ?? code;
  const topicName = (code: string) => TOPICS[code as keyof typeof TOPICS]?.zh ?? code;
  return {
    silences: silences.map((s) => ({
      id: s.id,
      rule: s.ruleId ? ruleName(s.ruleId) : '',
      region: s.regionCode ? districtName(s.regionCode) : '',
      topic: s.topic ? topicName(s.topic) : '',
      reason: s.reason,
      createdBy: s.createdBy,
      createdAt: time.format(s.createdAt),
      endsAt: time.format(s.endsAt),
    })),
    rules: rules.map((r) => ({ id: r.id, name: r.name, enabled: r.enabled })),
    districts: region.districts.map((d) => ({ code: d.code, name: d.name, nameEn: d.nameEn })),
    topics: TOPIC_CODES.map((code) => ({ code, name: TOPICS[code] })),
    maxHours: MAX_SILENCE_MINUTES / 60,
  };
};

const field = (form: FormData, name: string, max = 200) =>
  String(form.get(name) ?? '')
    .trim()
    .slice(0, max);

export const actions: Actions = {
  create: async ({ request, locals, getClientAddress }) => {
    const me = silencer(locals.identity);
    if (!me) return fail(403, { ok: false, form: 'create' as const, message: FORBIDDEN, values: null });
    const form = await request.formData();
    const values = {
      ruleId: field(form, 'ruleId', 64),
      regionCode: field(form, 'regionCode', 16),
      topic: field(form, 'topic', 32),
      reason: field(form, 'reason', 500),
      amount: field(form, 'amount', 10),
      unit: field(form, 'unit', 10) === 'hours' ? ('hours' as const) : ('minutes' as const),
    };
    const refuse = (message: string) => fail(400, { ok: false, form: 'create' as const, message, values });
    // Only what the selects offer: a silence naming an unknown rule, region or topic would mute nothing.
    const { region } = locals.app;
    if (values.ruleId && !locals.app.alerts.rules.current().set.rules.some((r) => r.id === values.ruleId)) {
      return refuse(`没有规则 ${values.ruleId} · No rule ${values.ruleId}`);
    }
    if (values.regionCode && !region.districts.some((d) => d.code === values.regionCode)) {
      return refuse(`没有区域 ${values.regionCode} · No region ${values.regionCode}`);
    }
    if (values.topic && !(TOPIC_CODES as readonly string[]).includes(values.topic)) {
      return refuse(`没有话题 ${values.topic} · No topic ${values.topic}`);
    }
    const amount = /^\d+$/.test(values.amount) ? Number(values.amount) : NaN;
    if (!Number.isSafeInteger(amount) || amount < 1) {
      return refuse('请填写时长（正整数） · Give the duration as a whole number');
    }
    const minutes = values.unit === 'hours' ? amount * 60 : amount;
    const result = await createSilence(
      locals.app.db,
      { ruleId: values.ruleId, regionCode: values.regionCode, topic: values.topic, reason: values.reason, minutes },
      { username: me.username, role: me.role, address: getClientAddress() },
      locals.app.now(),
    );
    if (!result.ok) return refuse(result.message);
    const until = _timeFormat(region.timezone).format(result.silence.endsAt);
    return {
      ok: true,
      form: 'create' as const,
      message: `已静默至 ${until} · Silenced until ${until}`,
      values: null,
    };
  },
  end: async ({ request, locals, getClientAddress }) => {
    const me = silencer(locals.identity);
    if (!me) return fail(403, { ok: false, form: 'end' as const, message: FORBIDDEN, values: null });
    const id = field(await request.formData(), 'id', 64);
    const ended =
      isUuid(id) &&
      (await expireSilence(
        locals.app.db,
        id,
        { username: me.username, role: me.role, address: getClientAddress() },
        locals.app.now(),
      ));
    if (!ended) {
      return fail(404, {
        ok: false,
        form: 'end' as const,
        message: '没有这条生效的静默 · No such active silence',
        values: null,
      });
    }
    return { ok: true, form: 'end' as const, message: '静默已结束 · Silence ended', values: null };
  },
};
