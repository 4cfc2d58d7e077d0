import { randomUUID } from 'node:crypto';
import { type Alert, type AlertScope, scopeKeyOf } from '../../alerts/types.ts';

/**
 * A complete stored alert for tests that insert alerts directly (insertAlert): an open 重点 alert raised
 * at `at`, nothing acknowledged or notified yet. `scope` is completed with nulls and keyed as the
 * engine keys it; every other field may be overridden.
 */
export function storedAlert(
  fields: { ruleId: string; kind: string; at: Date; scope?: Partial<AlertScope> } & Partial<Omit<Alert, 'scope'>>,
): Alert {
  const { ruleId, kind, at, scope: partial, ...overrides } = fields;
  const scope: AlertScope = { regionCode: null, topic: null, channel: null, term: null, ...partial };
  return {
    id: randomUUID(),
    ruleId,
    ruleVersion: 1,
    kind,
    scopeKey: scopeKeyOf(scope),
    scope,
    severity: 'key',
    state: 'raised',
    title: { zh: `${ruleId} 预警`, en: `${ruleId} alert` },
    measures: {},
    score: 50,
    factors: [],
    petitionIds: [],
    signalCount: 1,
    sensitivePeriod: null,
    silenceId: null,
    raisedAt: at,
    lastSeenAt: at,
    updatedAt: at,
    acknowledgedAt: null,
    acknowledgedBy: null,
    actingAt: null,
    resolvedAt: null,
    resolvedBy: null,
    outcome: null,
    notifiedAt: null,
    notifyCount: 0,
    ...overrides,
  };
}
