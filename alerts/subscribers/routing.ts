import { type Alert, severityRank } from '../types.ts';
import type { DeliveryEvent, Subscriber, SubscriberScope } from './config.ts';

type RoutedAlert = Pick<Alert, 'severity' | 'kind' | 'scope'>;

/** 320508 is in 320508; 320500 (a city) covers 3205xx; 320000 (a province) covers 32xxxx. */
function regionCovers(listed: string, region: string): boolean {
  if (listed === region) return true;
  if (listed.endsWith('0000')) return region.startsWith(listed.slice(0, 2));
  if (listed.endsWith('00')) return region.startsWith(listed.slice(0, 4));
  return false;
}

function inScope(scope: SubscriberScope | undefined, alert: RoutedAlert): boolean {
  const { regionCode, topic } = alert.scope;
  // Accusation matters (信访工作条例 Art. 30) go only where someone deliberately asked for them: the
  // accused may be on a general list.
  if (topic === 'conduct' && !scope?.topics?.includes('conduct')) return false;
  if (!scope) return true;
  // A list narrows: an alert that is not about a region (city-wide) is not about the listed ones.
  if (scope.regions && (regionCode === null || !scope.regions.some((r) => regionCovers(r, regionCode)))) return false;
  if (scope.topics && (topic === null || !scope.topics.includes(topic))) return false;
  if (scope.kinds && !scope.kinds.includes(alert.kind)) return false;
  return true;
}

/** Does one subscriber want this event of this alert? */
export function wants(subscriber: Subscriber, alert: RoutedAlert, event: DeliveryEvent): boolean {
  return (
    subscriber.events.includes(event) &&
    severityRank(alert.severity) >= severityRank(subscriber.minSeverity) &&
    inScope(subscriber.scope, alert)
  );
}

/**
 * The subscribers an alert event goes to: at or above their minimum severity, inside their scope (each
 * absent list means any) and the event among theirs. Accusation alerts (topic conduct) reach only
 * subscribers whose topics name conduct explicitly.
 */
export function subscribersFor(
  alert: RoutedAlert,
  event: DeliveryEvent,
  subscribers: readonly Subscriber[],
): Subscriber[] {
  return subscribers.filter((s) => wants(s, alert, event));
}
