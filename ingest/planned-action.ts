import type { Analysis } from './analyse/types.ts';

/**
 * When and where a mass action (集体上访, 堵路, 静坐 …) is planned, as the text says it: the instant
 * rule "a planned mass action with a time or place" needs one of the two. Only the clause around a
 * mass-action term is searched, so a date elsewhere in a long letter does not count.
 */
export interface PlannedAction {
  when: string | null;
  where: string | null;
}

const WHEN =
  /((?:明天|明日|大后天|后天|今天)(?:上午|下午|早上|中午|晚上)?|今晚|本周[一二三四五六日天末]?|下周[一二三四五六日天末]?|下个?月|下星期[一二三四五六日天]?|周[一二三四五六日末]|星期[一二三四五六日天]|礼拜[一二三四五六日天]|\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{1,2}\s*[日号](?:上午|下午|晚上)?|[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}[日号]|\d{1,2}\s*[点时:：]\s*\d{0,2}|(?:上午|下午|晚上|早上)\s*\d{1,2}\s*[点时]|春节前|节前|国庆|两会期间|开会期间)/;
const WHERE =
  /((?:区|市|县|镇|乡|街道|省)?(?:政府|人民政府|信访局|信访办|市委|区委|县委|党委|管委会)(?:门口|大门|大楼|办公楼)?|[\u4e00-\u9fa5]{0,6}(?:广场|门口|大门|路口|高速|收费站|火车站|高铁站|大桥|售楼处|厂门|公司总部|办公楼)|北京|天安门|中南海|省城|省会)/;
/** Characters either side of a mass-action term searched for its time and place. */
const REACH = 30;

/** The place a clause names, without the verb and time before it ("明天去区政府门口" → "区政府门口"). */
function placeOf(clause: string): string | null {
  const found = WHERE.exec(clause)?.[0];
  if (!found) return null;
  return found.replace(/^.*(?:去|到|在|往|赴|前往|围堵|堵)/, '') || found;
}

export function plannedAction(text: string, analysis: Pick<Analysis, 'riskTerms' | 'places'>): PlannedAction | null {
  const terms = analysis.riskTerms.filter((t) => t.category === 'mass_action');
  if (terms.length === 0) return null;
  let when: string | null = null;
  let where: string | null = null;
  for (const t of terms) {
    const clause = text.slice(Math.max(0, t.start - REACH), t.start + t.term.length + REACH);
    when ??= WHEN.exec(clause)?.[0] ?? null;
    where ??= placeOf(clause);
  }
  // A district the text names is a place too ("到玄武区…静坐").
  where ??= analysis.places[0]?.name ?? null;
  return { when, where };
}
