import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readJsonFile } from '../ingest/read-json.ts';
import type { AlertView } from '../realtime/contract.ts';
import { ALERT_WALL_ROOM } from '../realtime/rooms.ts';
import { ALERT_SEVERITIES, type Alert, severityRank } from './types.ts';

const DEFAULT_FILE = fileURLToPath(new URL('../config/routing/alert-audiences.json', import.meta.url));

const Audience = z
  .object({
    kinds: z.array(z.string().min(1)),
    topics: z.array(z.string().min(1)),
    minSeverity: z.enum(ALERT_SEVERITIES),
  })
  .strict();

const AudiencesSchema = z
  .object({
    $comment: z.string().optional(),
    agencies: z.record(z.string().min(1), Audience),
    departments: z.record(z.string().min(1), Audience),
  })
  .strict();

/** Which agencies (liaisons) and departments see which alerts (config/routing/alert-audiences.json). */
export type Audiences = z.infer<typeof AudiencesSchema>;
type Audience = z.infer<typeof Audience>;

export function parseAudiences(raw: unknown, source = 'alert audiences'): Audiences {
  const parsed = AudiencesSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data;
}

export function loadAudiences(file = DEFAULT_FILE): Audiences {
  return parseAudiences(readJsonFile(file), file);
}

/** The staff roles that see every alert: they run the duty room. */
export const ALERT_STAFF_ROLES = ['admin', 'duty_leader', 'operator'] as const;

type AlertLike = Pick<Alert, 'kind' | 'severity' | 'scope'>;

function concerns(audience: Audience, alert: AlertLike): boolean {
  // Accusation matters never leave the duty room (信访工作条例 Art. 30): the accused may be listening.
  if (alert.scope.topic === 'conduct') return false;
  if (severityRank(alert.severity) < severityRank(audience.minSeverity)) return false;
  return (
    audience.kinds.includes(alert.kind) || (alert.scope.topic !== null && audience.topics.includes(alert.scope.topic))
  );
}

/**
 * Every live room an alert may reach, decided here and nowhere else: the duty-room roles, the wall's
 * alert column (which, like every room, only ever gets the aggregated {@link AlertView}), and the
 * agencies and departments it concerns.
 * A silenced alert reaches no room.
 */
export function alertRooms(alert: AlertLike & Pick<Alert, 'silenceId'>, audiences: Audiences): string[] {
  if (alert.silenceId !== null) return [];
  const rooms: string[] = [ALERT_WALL_ROOM, ...ALERT_STAFF_ROLES.map((r) => `role:${r}`)];
  for (const [agency, audience] of Object.entries(audiences.agencies)) {
    if (concerns(audience, alert)) rooms.push(`agency:${agency}`);
  }
  for (const [department, audience] of Object.entries(audiences.departments)) {
    if (concerns(audience, alert)) rooms.push(`department:${department}`);
  }
  return rooms;
}

/** Who is reading an alert through the API, CAP or Atom. */
export interface AlertReader {
  role: string;
  agency: string | null;
  department: string | null;
}

/** Whether a signed-in reader may see an alert (the same rule as the live rooms). */
export function mayReadAlert(reader: AlertReader, alert: AlertLike, audiences: Audiences): boolean {
  if ((ALERT_STAFF_ROLES as readonly string[]).includes(reader.role)) return true;
  if (reader.role === 'liaison' && reader.agency) {
    const audience = audiences.agencies[reader.agency];
    return audience !== undefined && concerns(audience, alert);
  }
  if (reader.role === 'department' && reader.department) {
    const audience = audiences.departments[reader.department];
    return audience !== undefined && concerns(audience, alert);
  }
  return false;
}

/** The live view of an alert: aggregated measures only, never petition ids or text. */
export function alertView(alert: Alert): AlertView {
  return {
    id: alert.id,
    ruleId: alert.ruleId,
    kind: alert.kind,
    severity: alert.severity,
    state: alert.state,
    title: alert.title,
    regionCode: alert.scope.regionCode,
    topic: alert.scope.topic,
    score: alert.score,
    factors: alert.factors,
    measures: alert.measures,
    signalCount: alert.signalCount,
    sensitivePeriod: alert.sensitivePeriod,
    raisedAt: alert.raisedAt.toISOString(),
    updatedAt: alert.updatedAt.toISOString(),
  };
}
