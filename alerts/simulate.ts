import { createHmac } from 'node:crypto';
import type { Analyse } from '../ingest/analyse/types.ts';
import { createDemoGenerator, mulberry32 } from '../ingest/demo/generator.ts';
import { plannedAction } from '../ingest/planned-action.ts';
import type { RegionPack } from '../ingest/regions.ts';
import type { TopicCode } from '../ingest/taxonomy.ts';
import type { CommittedPetition } from '../server/bus.ts';
import type { WindowPetition } from './source.ts';

/**
 * A simulated history for the backtest and for training the risk model: ordinary petitions drawn from
 * the demo generator (its own bursts, major items and planned actions left out, so that every alert the
 * background causes is a false one by construction), with incidents injected on top.
 */
export type IncidentKind = 'wage_arrears' | 'pollution' | 'investment_collapse' | 'extreme_threat';

export interface Incident {
  id: string;
  kind: IncidentKind;
  label: string;
  topic: TopicCode;
  regionCode: string;
  start: Date;
  /** When it is at its worst: the most petitions an hour, or the act a threat names. */
  peak: Date;
  end: Date;
  petitionIds: Set<string>;
}

export interface SimulatedPetition {
  window: WindowPetition;
  committed: CommittedPetition;
}

export interface History {
  /** Every petition in time order. */
  petitions: SimulatedPetition[];
  incidents: Incident[];
  /** The evaluated period (the weeks before it are warm-up, so baselines have history). */
  from: Date;
  to: Date;
}

export interface SimulateOptions {
  region: RegionPack;
  analyse: Analyse;
  /** First evaluated day, local midnight. */
  start: Date;
  days: number;
  warmupDays: number;
  /** Ordinary petitions per minute on average over a day. */
  ratePerMinute: number;
  seed: number;
  /** Counts progress (petitions generated) for a progress line. */
  onProgress?: (done: number) => void;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const INDEX_KEY = Buffer.alloc(32, 7);

function personKeys(phone: string | undefined): string[] {
  if (!phone) return [];
  return [createHmac('sha256', INDEX_KEY).update(`phone:${phone}`).digest('base64url').slice(0, 22)];
}

/** Incident text templates: near-identical accounts of one matter, as real waves are. */
const INCIDENT_TEXTS: Record<Exclude<IncidentKind, 'extreme_threat'>, readonly string[]> = {
  wage_arrears: [
    '我们是{site}的农民工，劳务公司已经{months}个月没发工资了，老板一直躲着不见人。',
    '{site}拖欠我们工人的工资，我一个人就被欠了{amount}元，家里等着用钱。',
    '{site}欠薪的事再反映一次，说好月底发工资又没有兑现，工友们都很着急。',
    '我在{site}干钢筋工，工钱一分没拿到，劳务公司说是开发商没给工程款。',
    '{site}的工人工资被拖欠，包工头电话关机，劳务公司和总包互相推诿。',
  ],
  pollution: [
    '{place}附近的化工厂又在偷排废气，小区里全是刺鼻的气味，窗户都不敢开。',
    '{place}一带有很浓的化学品臭味，好像是化工厂传出来的，小孩闻了头晕。',
    '{place}旁边的河水变黑了，还漂着死鱼，怀疑化工厂在偷排污水。',
    '{place}现在全是化工味，嗓子很难受，是不是化工厂出事了，请环保部门马上来查。',
  ],
  investment_collapse: [
    '{platform}理财平台突然无法提现，我投进去的{amount}元拿不出来了，老板已经联系不上。',
    '我们上百名投资人在{platform}的钱都被套住了，平台总共涉及资金好几个亿，请政府立案调查。',
    '{platform}爆雷了，我的养老钱全在里面，投资人都在群里商量一起去区政府反映。',
    '{platform}承诺的高息根本是骗局，现在无法兑付，涉及几千名投资人。',
  ],
};

const SITES = ['金鸡湖畔花园项目工地', '滨江新城二期工地', '科技园三号楼工地'];
const PLACES = ['星湖化工园区', '东沙湖工业区', '阳澄湖西路'];
const PLATFORMS = ['鑫盛财富', '汇银通', '德润理财'];

/** The incidents of a history: two of each kind, on different days, hours and districts. */
function scheduleIncidents(
  region: RegionPack,
  start: Date,
  days: number,
  rng: () => number,
): Omit<Incident, 'petitionIds'>[] {
  const district = (i: number) => region.districts[i % region.districts.length]!.code;
  const at = (day: number, hour: number) => new Date(start.getTime() + day * DAY + hour * HOUR);
  // Spread over the period so that even a short one (7 days) holds one of each kind.
  const spread = Math.max(0.5, (days - 3) / 8);
  const plan: [IncidentKind, number, number, number][] = [
    // kind, day, local hour of start, district index
    ['wage_arrears', 2, 8, 1],
    ['pollution', 2 + spread, 19, 3],
    ['investment_collapse', 1 + 2 * spread, 10, 0],
    ['extreme_threat', 3 + 3 * spread, 15, 2],
    ['wage_arrears', 4 * spread, 13, 4],
    ['pollution', 1 + 5 * spread, 7, 5],
    ['investment_collapse', 6 * spread, 9, 6],
    ['extreme_threat', 2 + 7 * spread, 21, 7],
  ];
  return plan
    .map(([kind, day, hour, d]) => [kind, Math.floor(day), hour, d] as const)
    .filter(([, day]) => day < days - 2)
    .map(([kind, day, hour, d], i) => {
      const s = at(day, hour + rng());
      const shape = {
        wage_arrears: { peak: 5 * HOUR, end: 8 * HOUR },
        pollution: { peak: 1.5 * HOUR, end: 5 * HOUR },
        investment_collapse: { peak: 30 * HOUR, end: 44 * HOUR },
        // The threat names the next morning: that is when it would happen.
        extreme_threat: { peak: 18 * HOUR, end: 18 * HOUR },
      }[kind];
      const topic: TopicCode = {
        wage_arrears: 'labour',
        pollution: 'environment',
        investment_collapse: 'finance',
        extreme_threat: 'labour',
      }[kind] as TopicCode;
      return {
        id: `${kind}-${i + 1}`,
        kind,
        label: {
          wage_arrears: '工地欠薪潮',
          pollution: '化工厂污染',
          investment_collapse: '理财平台爆雷',
          extreme_threat: '个人极端威胁',
        }[kind],
        topic,
        regionCode: district(d),
        start: s,
        peak: new Date(s.getTime() + shape.peak),
        end: new Date(s.getTime() + shape.end),
      };
    });
}

/** Petitions per hour of an incident at time t: a rise to the peak, then a fall (a triangle). */
function incidentRate(kind: IncidentKind, t: number, start: number, peak: number, end: number): number {
  const top = { wage_arrears: 16, pollution: 26, investment_collapse: 4, extreme_threat: 0 }[kind];
  if (t < start || t >= end) return 0;
  return t < peak ? (top * (t - start)) / (peak - start) : (top * (end - t)) / (end - peak);
}

export function simulateHistory(options: SimulateOptions): History {
  const { region, analyse } = options;
  const rng = mulberry32(options.seed);
  const generator = createDemoGenerator({ region, seed: options.seed });
  const from = options.start;
  const to = new Date(from.getTime() + options.days * DAY);
  const warmup = new Date(from.getTime() - options.warmupDays * DAY);
  const planned = scheduleIncidents(region, from, options.days, rng);
  const incidents: Incident[] = planned.map((p) => ({ ...p, petitionIds: new Set() }));
  const petitions: SimulatedPetition[] = [];
  let serial = 0;

  const make = (at: Date, text: string, channel: string, phone: string | undefined, regionCode: string | null) => {
    const a = analyse(text);
    serial++;
    const id = `00000000-0000-7000-8000-${serial.toString(16).padStart(12, '0')}`;
    const window: WindowPetition = {
      id,
      receivedAt: at,
      regionCode,
      topic: a.topic,
      channel,
      grade: a.grade,
      negative: a.sentiment.label === 'negative',
      extreme: a.extreme,
      people: a.people,
      amountYuan: a.amountYuan,
      riskTerms: a.riskTerms.map((t) => ({ term: t.term, category: t.category })),
      bands: a.signature.bands,
      signature: a.signature.minhash,
      personKeys: personKeys(phone),
    };
    const committed: CommittedPetition = {
      id,
      receivedAt: at,
      channel,
      regionCode,
      topic: a.topic,
      grade: a.grade,
      sentiment: a.sentiment,
      extreme: a.extreme,
      people: a.people,
      amountYuan: a.amountYuan,
      riskTerms: window.riskTerms,
      plannedAction: plannedAction(text, a),
      summary: text.slice(0, 40),
    };
    return { window, committed };
  };

  const fill = (template: string, i: number) =>
    template
      .replace('{site}', SITES[i % SITES.length]!)
      .replace('{place}', PLACES[i % PLACES.length]!)
      .replace('{platform}', PLATFORMS[i % PLATFORMS.length]!)
      .replace('{months}', String(2 + Math.floor(rng() * 4)))
      .replace('{amount}', String(Math.round(5 + rng() * 40) * 1000));

  for (let t = warmup.getTime(); t < to.getTime(); t += MINUTE) {
    const now = new Date(t);
    // Ordinary petitions: Poisson arrivals at the demo's daily rhythm, bursts and grave items redrawn.
    const lambda = options.ratePerMinute * generator.rhythm(now);
    let k = 0;
    for (let p = Math.exp(-lambda), s = p, u = rng(); u > s;) {
      k++;
      p *= lambda / k;
      s += p;
    }
    for (let i = 0; i < k; i++) {
      for (let attempt = 0; attempt < 20; attempt++) {
        const item = generator.draw(new Date(t + rng() * MINUTE));
        if (item.burstId !== null) continue;
        const p = item.petition;
        const made = make(
          new Date(t + (i * MINUTE) / (k + 1)),
          p.text,
          p.channel,
          p.contact?.phone,
          p.regionCode ?? null,
        );
        if (made.window.grade === 'major' || made.window.extreme || made.committed.plannedAction) continue;
        petitions.push(made);
        break;
      }
    }
    for (const [n, incident] of incidents.entries()) {
      const s = incident.start.getTime();
      if (incident.kind === 'extreme_threat') {
        if (t === Math.floor(s / MINUTE) * MINUTE) {
          const text =
            '老板欠我一年工资不给，家里老人住院没钱治，明天上午再不给钱，我就从区政府楼顶跳下去，我真的不想活了。';
          const made = make(new Date(s), text, 'hotline', `1390000${String(n).padStart(4, '0')}`, incident.regionCode);
          incident.petitionIds.add(made.window.id);
          petitions.push(made);
        }
        continue;
      }
      const rate = incidentRate(incident.kind, t, s, incident.peak.getTime(), incident.end.getTime()) / 60;
      if (rng() >= rate) continue;
      const templates = INCIDENT_TEXTS[incident.kind];
      const text = fill(templates[Math.floor(rng() * templates.length)]!, n);
      // Mostly different people; one in five has called before.
      const person =
        rng() < 0.2 && incident.petitionIds.size > 0 ? Math.floor(rng() * incident.petitionIds.size) : serial;
      const phone = `138${String(n).padStart(2, '0')}${String(person % 1_000_000).padStart(6, '0')}`;
      const made = make(
        new Date(t + rng() * MINUTE * 0.9),
        text,
        rng() < 0.7 ? 'hotline' : 'social',
        phone,
        incident.regionCode,
      );
      incident.petitionIds.add(made.window.id);
      petitions.push(made);
    }
    if (t % DAY === 0) options.onProgress?.(petitions.length);
  }
  petitions.sort((a, b) => a.window.receivedAt.getTime() - b.window.receivedAt.getTime());
  return { petitions, incidents, from, to };
}
