import { error, fail } from '@sveltejs/kit';
import type { AlertRule, RuleFieldError } from '$alerts/rules.ts';
import { recordAudit } from '$db/audit-chain.ts';
import { ruleSetHistory } from '$db/queries/alerts.ts';
import { TOPICS } from '$ingest/taxonomy.ts';
import type { Identity } from '$server/auth/identity.ts';
import type { Actions, PageServerLoad } from './$types';

const SEVERITY_NAMES: Record<string, string> = { general: '一般', key: '重点', major: '重大', extreme: '极端' };
const KIND_NAMES: Record<AlertRule['kind'], string> = {
  instant: '即时 instant',
  volume: '信访量异常 volume',
  growth: '环比增长 growth',
  negative_index: '负面指数 negative index',
  hot_topic: '热点 hot topic',
  joint: '联名 joint',
  repeat: '重复信访 repeat',
};
const CONDITION_NAMES: Record<string, string> = {
  major: '重大信访 major petition',
  extreme: '极端言行 extreme behaviour',
  planned_mass_action: '预谋群体行动 planned mass action',
};
/** A rule set file is a few kilobytes; this only stops an upload that cannot be one. */
const MAX_BYTES = 1024 * 1024;

/** The thresholds that decide when a rule raises, one short phrase each. */
function thresholds(rule: AlertRule): string[] {
  const by = 'groupBy' in rule && rule.groupBy.length > 0 ? [`按 by ${rule.groupBy.join(', ')}`] : [];
  switch (rule.kind) {
    case 'instant':
      return [CONDITION_NAMES[rule.condition] ?? rule.condition];
    case 'volume':
      return [
        ...by,
        `窗口 window ${rule.windowMinutes} min`,
        `p < ${rule.pValue}`,
        `≥ ${rule.minCount}`,
        `基线 baseline ${rule.baselineWeeks} wk`,
      ];
    case 'growth':
      return [
        ...by,
        `${rule.period === 'day' ? '日环比 day' : '周环比 week'} +${Math.round(rule.threshold * 100)}%`,
        `≥ ${rule.minCount}`,
      ];
    case 'negative_index':
      return [
        ...by,
        `指数 index ≥ ${rule.threshold}`,
        `升幅 rise ≥ ${rule.minRise}`,
        `窗口 window ${rule.windowMinutes} min`,
        `≥ ${rule.minCount}`,
      ];
    case 'hot_topic':
      return [
        `× ${rule.ratio}`,
        `≥ ${rule.minCount}`,
        `窗口 window ${rule.windowMinutes} min`,
        `基线 baseline ${rule.baselineDays} d`,
      ];
    case 'joint':
      return [`≥ ${rule.minPetitioners} 人 petitioners`, `窗口 window ${rule.windowMinutes} min`];
    case 'repeat':
      return [
        `≥ ${rule.minCount} 件 petitions`,
        `${rule.windowDays} d`,
        rule.overHeads ? '含越级 over heads' : '',
      ].filter(Boolean);
  }
}

function scopeText(rule: AlertRule): string {
  const parts: string[] = [];
  if (rule.scope.regions) parts.push(`区域 regions ${rule.scope.regions.join(', ')}`);
  if (rule.scope.topics) parts.push(rule.scope.topics.map((t) => TOPICS[t]?.zh ?? t).join('、'));
  if (rule.scope.channels) parts.push(`渠道 channels ${rule.scope.channels.join(', ')}`);
  return parts.join('；');
}

function admin(identity: Identity) {
  // hooks.server.ts already guards /admin; this keeps the page and its action safe if that ever changes.
  if (identity.kind !== 'user' || identity.role !== 'admin') error(403, '无权操作：仅管理员 · Admins only');
  return identity;
}

/** The rules in force, their version history, and the form to replace them. Admins only. */
export const load: PageServerLoad = async ({ locals }) => {
  admin(locals.identity);
  const { db, region } = locals.app;
  const { version, set } = locals.app.alerts.rules.current();
  const history = await ruleSetHistory(db);
  const time = new Intl.DateTimeFormat('zh-CN', {
    timeZone: region.timezone,
    dateStyle: 'short',
    timeStyle: 'medium',
    hourCycle: 'h23',
  });
  return {
    version,
    renotifyMinutes: set.renotifyMinutes,
    rules: set.rules.map((r) => ({
      id: r.id,
      kind: KIND_NAMES[r.kind] ?? r.kind,
      name: r.name,
      severity: r.severity,
      severityName: SEVERITY_NAMES[r.severity] ?? r.severity,
      thresholds: thresholds(r),
      scope: scopeText(r),
      pendingMinutes: r.pendingMinutes,
      enabled: r.enabled,
    })),
    history: history.map((h) => ({
      version: h.version,
      sha256: h.sha256.slice(0, 12),
      source: h.source,
      createdAt: time.format(h.createdAt),
      inForce: h.version === version,
    })),
    text: JSON.stringify(set, null, 2),
  };
};

/**
 * A RuleSetError, recognised by its shape: the rule store runs in the server's own module graph, so
 * its error class is not the one this bundle would import, and `instanceof` would miss it.
 */
function fieldErrors(e: unknown): RuleFieldError[] | null {
  if (!(e instanceof Error) || !('errors' in e) || !Array.isArray(e.errors)) return null;
  const errors = e.errors as unknown[];
  if (
    !errors.every(
      (x) =>
        typeof x === 'object' &&
        x !== null &&
        typeof (x as RuleFieldError).path === 'string' &&
        typeof (x as RuleFieldError).message === 'string',
    )
  ) {
    return null;
  }
  return errors as RuleFieldError[];
}

export const actions: Actions = {
  replace: async ({ request, locals, getClientAddress }) => {
    const me = admin(locals.identity);
    const form = await request.formData();
    const file = form.get('file');
    const typed = form.get('text');
    let text = typeof typed === 'string' ? typed : '';
    if (file instanceof File && file.size > 0) {
      if (file.size > MAX_BYTES) {
        return fail(400, { ok: false, text, message: '文件超过 1 MB · The file is larger than 1 MB', errors: [] });
      }
      text = await file.text();
    }
    if (!text.trim()) {
      return fail(400, { ok: false, text, message: '请粘贴或上传规则集 · Paste or upload a rule set', errors: [] });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      // The parser's message only quotes the admin's own text back (position and token).
      const reason = e instanceof SyntaxError ? e.message : 'unreadable';
      return fail(400, { ok: false, text, message: `JSON 格式错误 · Invalid JSON: ${reason}`, errors: [] });
    }
    const rules = locals.app.alerts.rules;
    const before = rules.current().version;
    let after: number;
    try {
      after = (await rules.replace(parsed, `user:${me.username}`)).version;
    } catch (e) {
      const errors = fieldErrors(e);
      if (!errors) throw e;
      return fail(400, {
        ok: false,
        text,
        message: `规则集未通过校验，仍为第 ${before} 版 · The rule set was refused; version ${before} stays in force`,
        errors,
      });
    }
    if (after === before) {
      return {
        ok: true,
        text: null,
        message: `规则未变化，仍为第 ${after} 版 · No change: version ${after} stays in force`,
        errors: [],
      };
    }
    await recordAudit(locals.app.db, [
      {
        at: locals.app.now(),
        actor: me.userId,
        actorRole: me.role,
        action: 'alert.rules.replace',
        subjectType: 'alert_rule_set',
        subjectId: String(after),
        address: getClientAddress(),
        before: { version: before },
        after: { version: after },
      },
    ]);
    return {
      ok: true,
      text: null,
      message: `规则已更新为第 ${after} 版 · Rules updated to version ${after}`,
      errors: [],
    };
  },
};
