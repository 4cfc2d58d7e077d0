import type { CommittedPetition } from '../../server/bus.ts';
import type { RuleOf } from '../rules.ts';
import type { Signal } from '../types.ts';
import { type SignalContext, inRuleScope, makeSignal, petitionFeatures, tightening } from './context.ts';

const CONDITIONS = {
  major: {
    holds: (p: CommittedPetition) => p.grade === 'major' && !p.extreme,
    detail: () => ({ zh: '重大信访事项', en: 'major petition' }),
  },
  extreme: {
    holds: (p: CommittedPetition) => p.extreme,
    detail: () => ({ zh: '信访人扬言或实施极端行为', en: 'extreme behaviour threatened or under way' }),
  },
  planned_mass_action: {
    holds: (p: CommittedPetition) =>
      p.plannedAction !== null && (p.plannedAction.when !== null || p.plannedAction.where !== null),
    detail: (p: CommittedPetition) => ({
      zh: `预谋群体行动${p.plannedAction?.when ? `，时间：${p.plannedAction.when}` : ''}${p.plannedAction?.where ? `，地点：${p.plannedAction.where}` : ''}`,
      en: `mass action planned${p.plannedAction?.when ? `, when: ${p.plannedAction.when}` : ''}${p.plannedAction?.where ? `, where: ${p.plannedAction.where}` : ''}`,
    }),
  },
} as const;

/**
 * Instant rules, on each committed batch: every petition that meets the condition is a signal of its
 * region × topic, so fifty petitions about one matter update one open alert instead of raising fifty.
 */
export function detectInstant(
  rule: RuleOf<'instant'>,
  petitions: readonly CommittedPetition[],
  ctx: SignalContext,
): Signal[] {
  const condition = CONDITIONS[rule.condition];
  const signals: Signal[] = [];
  for (const p of petitions) {
    if (!inRuleScope(rule, p) || !condition.holds(p)) continue;
    const { period } = tightening(ctx, p.topic);
    const scope = { regionCode: p.regionCode ?? '', topic: p.topic, channel: null, term: null };
    const features = petitionFeatures([
      {
        ...p,
        negative: p.sentiment.label === 'negative',
        bands: [],
        signature: null,
        personKeys: [],
      },
    ]);
    signals.push(
      makeSignal(ctx, rule, scope, {
        kind: `instant.${rule.condition}`,
        detail: condition.detail(p),
        measures: {
          grade: p.grade,
          people: p.people,
          amountYuan: p.amountYuan,
          when: p.plannedAction?.when ?? null,
          where: p.plannedAction?.where ?? null,
        },
        features: { ...features, anomaly: 1, volume: Math.log10(2) },
        petitionIds: [p.id],
        period,
      }),
    );
  }
  return signals;
}
