import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GRADE_CODES, TOPIC_CODES } from '../taxonomy.ts';
import { ANALYSER_VERSION, analyse, normalise } from './analyse.ts';
import { loadRules } from './rules.ts';

const LEXICON = loadRules();
import type { Analysis } from './types.ts';

/** Checks the shape every analysis must have, whatever the input. */
function expectWellFormed(a: Analysis, normalised: string): void {
  expect(a.version.startsWith(`${ANALYSER_VERSION}+`)).toBe(true);
  expect(TOPIC_CODES).toContain(a.topic);
  expect(GRADE_CODES).toContain(a.grade);
  expect(['negative', 'neutral', 'positive']).toContain(a.sentiment.label);
  expect(a.sentiment.score).toBeGreaterThanOrEqual(-1);
  expect(a.sentiment.score).toBeLessThanOrEqual(1);
  expect(a.people === null || (Number.isInteger(a.people) && a.people >= 0)).toBe(true);
  expect(a.amountYuan === null || (Number.isFinite(a.amountYuan) && a.amountYuan > 0)).toBe(true);
  expect(typeof a.extreme).toBe('boolean');
  expect(a.reasons.length).toBeGreaterThan(0);
  expect(a.riskTerms.length).toBeLessThanOrEqual(LEXICON.maxRiskTerms);
  for (const t of a.riskTerms) {
    expect(normalised.slice(t.start, t.start + t.term.length)).toBe(t.term);
  }
}

describe('lexicon', () => {
  const pairs = LEXICON.tradToSimp.split(/\s+/).filter((p) => p !== '');
  const traditional = new Set(pairs.map((p) => p[0]));

  it('holds well-formed traditional → simplified pairs', () => {
    expect(pairs.length).toBeGreaterThan(500);
    for (const p of pairs) {
      expect(p.length, p).toBe(2);
      expect(p[0], p).not.toBe(p[1]);
    }
  });

  it('writes every term in simplified characters, so folded text can match it', () => {
    const terms = [
      ...Object.values(LEXICON.risk).flat(),
      ...Object.values(LEXICON.casualty).flatMap((v) => (Array.isArray(v) ? v : [])),
      ...Object.values(LEXICON.topics).flatMap((words) => Object.keys(words)),
      ...Object.keys(LEXICON.sentiment.negative),
      ...Object.keys(LEXICON.sentiment.positive),
      ...LEXICON.sentiment.consult,
      ...LEXICON.people.singular,
      ...LEXICON.people.plural,
      ...LEXICON.people.personNouns,
      ...LEXICON.negation.negators,
      ...LEXICON.negation.nonNegating,
    ];
    for (const t of terms) {
      expect(
        [...t].filter((ch) => traditional.has(ch)),
        t,
      ).toEqual([]);
      expect(t, t).toBe(t.toLowerCase());
    }
  });

  it('has thresholds in the order the grades need', () => {
    const t = LEXICON.thresholds;
    expect(t.keyPeople).toBeLessThan(t.majorPeople);
    expect(t.keyAmountYuan).toBeLessThan(t.majorAmountYuan);
    expect(t.repeatMin).toBe(3);
    expect(analyse('x').version).toContain(`${ANALYSER_VERSION}+${LEXICON.version}`);
    expect([...LEXICON.topicPriority].sort()).toEqual([...TOPIC_CODES].sort());
  });
});

describe('normalise', () => {
  it('turns full-width ASCII into half-width and collapses whitespace', () => {
    expect(normalise('　拖欠工资１２０万元，  共 ３０ 人！\n\n')).toBe('拖欠工资120万元, 共 30 人!');
    expect(normalise('跳\u200b楼')).toBe('跳楼');
  });
});

describe('analyse: amounts', () => {
  it.each([
    ['拖欠工程款86万元', 860_000],
    ['涉及资金三百多万元', 3_000_000],
    ['非法吸收存款3.5亿元', 350_000_000],
    ['被骗了四万二千元', 42_000],
    ['损失八千元', 8000],
    ['欠我工资1.2万，一直不给', 12_000],
    ['花了四千多元', 4000],
    ['涉及金额约六亿，公司已失联', 600_000_000],
    ['十几万元的货款', 100_000],
    ['两亿多元', 200_000_000],
    ['共1,200,000元', 1_200_000],
    ['赔了５０００块钱', 5000],
    ['补偿款四万二，一直没到账', 42_000],
  ])('%s → %d', (text, yuan) => {
    expect(analyse(text).amountYuan).toBe(yuan);
  });

  it('takes the largest amount', () => {
    expect(analyse('每月三千元，共拖欠九万六千元，另有押金500元').amountYuan).toBe(96_000);
  });

  it('is null without money, and does not take head counts, areas or plots for money', () => {
    for (const text of ['我们两万多居民受影响', '涉及3万平方米', '占了我家三块地', '三百多户居民', '拖了三年']) {
      expect(analyse(text).amountYuan, text).toBeNull();
    }
  });
});

describe('analyse: people', () => {
  it.each([
    ['拖欠我们十五名装修工人工资', 15],
    ['两百多名女工被要求加班', 200],
    ['三十多人来到现场', 30],
    ['上百名村民', 100],
    ['上千人受影响', 1000],
    ['十几户居民', 10],
    ['八九十人', 80],
    ['两三户人家', 2],
    ['二百余户', 200],
    ['近百名投资人', 90],
    ['涉及工人六名', 6],
    ['涉及群众两千余人', 2000],
    ['我们十幾個工人去投訴', 10],
    ['会员群里有12个人都是这种情况', 12],
    ['已经有三位老人投了钱', 3],
    ['三十多员工', 30],
    ['十几家商户', 10],
    ['1.2万名居民', 12_000],
  ])('%s → %d', (text, n) => {
    expect(analyse(text).people).toBe(n);
  });

  it('is 1 for a first-person singular petition and for an individual question', () => {
    expect(analyse('公司辞退我也不给补偿').people).toBe(1);
    expect(analyse('本人反映一个问题').people).toBe(1);
    expect(analyse('村里修路占了我家三亩地').people).toBe(1);
    expect(analyse('请问办理居住证需要什么材料？').people).toBe(1);
  });

  it('is null for an unspecified plural or no petitioner at all', () => {
    expect(analyse('我们投诉了好几次').people).toBeNull();
    expect(analyse('多名村民反映').people).toBeNull();
    expect(analyse('业主们交涉无果').people).toBeNull();
    expect(analyse('我和邻居们说好了，我们一起去反映').people).toBeNull();
    expect(analyse('物业费一年涨了一倍').people).toBeNull();
  });

  it('takes the largest count and ignores non-people measure words and the other side', () => {
    expect(analyse('下游两个乡镇八千多人的饮用水受到影响').people).toBe(8000);
    expect(analyse('十几家小企业面临倒闭').people).toBeNull();
    expect(analyse('三名保安殴打了我').people).toBe(1);
    expect(analyse('举报一名副主任收受贿赂').people).toBeNull();
    expect(analyse('第三名工人').people).toBeNull();
    expect(analyse('一百多名工人中有三人受伤').people).toBe(100);
  });
});

describe('analyse: extreme behaviour and negation', () => {
  it.each([
    '跳楼',
    '自杀',
    '自焚',
    '服毒',
    '写好了遗书',
    '真的不想活了',
    '活不下去了',
    '同归于尽',
    '持刀',
    '投毒',
    '纵火',
    '喝农药',
    '割腕',
  ])('"%s" is extreme', (term) => {
    const a = analyse(`工资再不发，我就${term}。`);
    expect(a.extreme).toBe(true);
    expect(a.grade).toBe('major');
  });

  it.each([
    '我们不会采取过激行为，只希望问题能依法解决。',
    '我们不会采取任何极端方式。',
    '我绝不会自杀，只想讨个说法。',
    '他并未扬言跳楼。',
    '大家没有要自焚的意思。',
    '不要跳楼，有话好好说。',
  ])('negated: %s', (text) => {
    const a = analyse(text);
    expect(a.extreme).toBe(false);
    expect(a.grade).toBe('general');
    expect(a.riskTerms.filter((t) => t.category === 'extreme' || t.category === 'violence')).toEqual([]);
  });

  it('does not let a negator reach over 就 / 逼 or from another clause', () => {
    expect(analyse('再不给钱我就跳楼').extreme).toBe(true);
    expect(analyse('不解决我就去自焚').extreme).toBe(true);
    expect(analyse('别逼我跳楼').extreme).toBe(true);
    expect(analyse('不要逼我们，大不了同归于尽').extreme).toBe(true);
    expect(analyse('公司不管，我只能跳楼').extreme).toBe(true);
  });

  it('reads traditional characters', () => {
    expect(analyse('再不發工資我就跳樓').extreme).toBe(true);
  });

  it('does not take an accidental explosion for a threat', () => {
    const a = analyse('锅炉发生爆炸，三名工人受伤。');
    expect(a.extreme).toBe(false);
    expect(a.grade).toBe('major');
    expect(a.reasons).toContain('3人以上受伤（3人）');
  });

  it('negates mass action, over-heads petitions and casualties too', () => {
    for (const text of [
      '我们不会去堵路闹事，只想要个说法。',
      '我们不会越级上访，相信本地政府能解决好。',
      '我不会去北京上访，只希望这边能给个说法。',
      '大家都很克制，没有人去聚集。',
      '仓库起火，所幸没有造成人员伤亡。',
      '事故未造成人员伤亡。',
      '无人员伤亡。',
    ]) {
      expect(analyse(text).grade, text).toBe('general');
    }
  });
});

describe('analyse: casualties', () => {
  it('any death is major', () => {
    const a = analyse('一名工人送医后抢救无效死亡，厂里想私了。');
    expect(a.grade).toBe('major');
    expect(a.reasons).toContain('发生人员死亡（1人）');
    expect(analyse('工人在施工中不幸身亡').grade).toBe('major');
    expect(analyse('事故造成两人死亡、五人受伤').reasons).toEqual(
      expect.arrayContaining(['发生人员死亡（2人）', '3人以上受伤（5人）']),
    );
    expect(analyse('造成一死两伤').grade).toBe('major');
  });

  it('3 or more injured is major, 1 or 2 is key', () => {
    expect(analyse('昨天一名工人从脚手架上摔下来受了重伤。').grade).toBe('key');
    expect(analyse('两名工人受伤').grade).toBe('key');
    expect(analyse('三名工人从脚手架上摔下来受了伤').grade).toBe('major');
    expect(analyse('十几名学生食物中毒').grade).toBe('major');
    expect(analyse('造成3人伤亡').grade).toBe('major');
  });

  it('a natural death in a consultation is not an incident', () => {
    expect(analyse('我母亲去世了，请问丧葬费怎么领？').grade).toBe('general');
  });
});

describe('analyse: repeat petitions', () => {
  it.each([
    ['这已经是第三次反映了', '重复信访第3次'],
    ['已经是第四次投訴了', '重复信访第4次'],
    ['已经反映过四次了', '重复信访4次'],
    ['投诉三次都没人管', '重复信访3次'],
    ['村里调解了5次都没有用', '重复信访5次'],
  ])('%s → key', (text, reason) => {
    const a = analyse(text);
    expect(a.grade).toBe('key');
    expect(a.reasons).toContain(reason);
    expect(a.riskTerms.some((t) => t.category === 'repeat')).toBe(true);
  });

  it.each([
    '之前也反映过多次，一直没有结果。',
    '投诉了好几次都没有用。',
    '这个问题已经反映过两次了。',
    '这是第二次来信。',
  ])('%s → general', (text) => {
    expect(analyse(text).grade).toBe('general');
  });
});

describe('analyse: grade paths', () => {
  const cases: [string, string, string][] = [
    // major
    ['纺织厂两百多名女工被要求无偿加班', 'major', '涉及人数50人以上（200人）'],
    ['园区企业欠缴供应商货款合计一千五百万元', 'major', '涉及金额1000万元以上（1500万元）'],
    ['再讨不回工钱，我就从楼上跳下去', 'major', '扬言极端行为：跳下去'],
    ['我就拿着刀去售楼处跟他们同归于尽', 'major', '扬言伤害他人：拿着刀、同归于尽'],
    // key
    ['拖欠我们十五名工人工资', 'key', '涉及人数5至49人（15人）'],
    ['拖欠工程款三百多万元', 'key', '涉及金额100万元至1000万元（300万元）'],
    ['大家商量周五一起停工', 'key', '计划或正在进行群体性行为：停工'],
    ['明天去区政府门口拉横幅', 'key', '计划或正在进行群体性行为：拉横幅'],
    ['如果再不解决，我们准备集体去区政府上访', 'key', '计划或正在进行群体性行为：集体去'],
    ['现在大家都聚集在门口讨说法', 'key', '计划或正在进行群体性行为：聚集'],
    ['实在不行我们就进京上访', 'key', '越级上访：进京'],
    ['再不处理我们就去省信访局反映', 'key', '越级上访：省信访局'],
    ['我准备去北京反映', 'key', '越级上访：北京'],
    ['打算向媒体曝光', 'key', '扬言媒体曝光：媒体、曝光'],
    ['我们已经联系了记者，准备发到网上', 'key', '扬言媒体曝光：记者、发到网上'],
    ['这已经是第三次反映了', 'key', '重复信访第3次'],
    ['一名工人受了重伤', 'key', '人员受伤（1人）'],
    // general
    ['请问办理居住证需要在当地居住满多长时间？', 'general', '未触发重点或重大条件'],
    ['派出所民警帮我找回了走失的老母亲，非常感谢他们的辛苦付出！', 'general', '未触发重点或重大条件'],
    ['举报镇长在工程招标中收受贿赂八十万元', 'general', '未触发重点或重大条件'],
    ['两三户村民的承包地被占', 'general', '未触发重点或重大条件'],
  ];
  it.each(cases)('%s → %s (%s)', (text, grade, reason) => {
    const a = analyse(text);
    expect(a.grade).toBe(grade);
    expect(a.reasons).toContain(reason);
  });

  it('names every condition that fired, major ones first', () => {
    const a = analyse('拖欠我们三十多名农民工工资共计一百二十万元，大家准备去市政府门口静坐，还要进京上访。');
    expect(a.grade).toBe('key');
    expect(a.reasons).toEqual([
      '涉及人数5至49人（30人）',
      '涉及金额100万元至1000万元（120万元）',
      '计划或正在进行群体性行为：静坐',
      '越级上访：进京',
    ]);
    const b = analyse('P2P平台爆雷，涉及投资人上千名，金额3.5亿元，大家都聚集在公司门口。');
    expect(b.grade).toBe('major');
    expect(b.reasons).toEqual([
      '涉及人数50人以上（1000人）',
      '涉及金额1000万元以上（3.5亿元）',
      '计划或正在进行群体性行为：聚集',
    ]);
  });

  it('counts place names and media only in a petitioning context', () => {
    expect(analyse('我在北京打工，家里的地被占了').grade).toBe('general');
    expect(analyse('根据省政府出台的文件，补偿标准应该更高').grade).toBe('general');
    expect(analyse('中央文件明确规定不准强拆').grade).toBe('general');
    expect(analyse('据媒体报道，这家公司已经倒闭').grade).toBe('general');
    expect(analyse('实在不行我就到省里去上访').reasons).toContain('越级上访：省里');
    expect(analyse('记者来采访过，但没有播出').reasons).toContain('扬言媒体曝光：记者');
  });

  it('does not mistake look-alike words for risk terms', () => {
    expect(analyse('他在北京路的商场买了衣服').grade).toBe('general');
    expect(analyse('小区的中央空调坏了').grade).toBe('general');
    expect(analyse('工地被责令停工整改').grade).toBe('general');
    expect(analyse('存在爆炸隐患').extreme).toBe(false);
  });
});

describe('analyse: risk terms', () => {
  it('lists terms with their category and offset in the normalised text', () => {
    const text = '  我们已经第三次反映了，再不解决就集体上访，还要找记者曝光，家里老人病重。';
    const a = analyse(text);
    const norm = normalise(text);
    expectWellFormed(a, norm);
    const byTerm = new Map(a.riskTerms.map((t) => [t.term, t]));
    expect(byTerm.get('第三次')?.category).toBe('repeat');
    expect(byTerm.get('集体上访')?.category).toBe('mass_action');
    expect(byTerm.get('找记者')?.category).toBe('media');
    expect(byTerm.get('曝光')?.category).toBe('media');
    expect(byTerm.get('老人')?.category).toBe('vulnerable');
    expect(byTerm.get('病重')?.category).toBe('vulnerable');
    expect(byTerm.get('集体上访')?.start).toBe(norm.indexOf('集体上访'));
    const starts = a.riskTerms.map((t) => t.start);
    expect(starts).toEqual([...starts].sort((x, y) => x - y));
  });

  it('reads traditional text as simplified, at the vocabulary level', () => {
    const a = analyse('我就跳樓');
    expect(a.riskTerms).toEqual([{ term: '跳楼', category: 'extreme', start: 2 }]);
    // Taiwan vocabulary (軟體, 計程車) is mapped to mainland words, not only characters.
    const b = analyse('軟體公司拖欠我們十幾個工人的工資，計程車司機說要去北京上訪');
    expect(b.people).toBe(10);
    expect(b.riskTerms).toContainEqual({ term: '北京', category: 'over_heads', start: 25 });
  });

  it('leaves negated terms out', () => {
    expect(analyse('我们不会去堵路').riskTerms).toEqual([]);
  });
});

describe('analyse: topic', () => {
  it.each([
    ['包工头拖欠我们的工资，电话一直关机', 'labour'],
    ['村里征地补偿款一直没有发放', 'land'],
    ['化工厂偷排废水，河里的鱼都死了', 'environment'],
    ['开发商延期交房，物业也不管', 'housing'],
    ['理财平台爆雷，本金取不出来', 'finance'],
    ['工地没有安全网，工人高空作业不系安全带', 'safety'],
    ['商家卖假货还不给退款', 'consumer'],
    ['法院判决生效后一直执行不到位', 'litigation'],
    ['村支书把低保名额给了自己的亲戚', 'conduct'],
    ['小区频繁停水停电，燃气也不稳定', 'public_service'],
    ['楼上邻居家的狗每天晚上叫个不停', 'other'],
    ['今天天气不错', 'other'],
  ])('%s → %s', (text, topic) => {
    expect(analyse(text).topic).toBe(topic);
  });
});

describe('analyse: sentiment', () => {
  it('labels complaints negative, praise positive and questions neutral', () => {
    const neg = analyse('物业费一年涨了一倍，服务却越来越差，楼道垃圾好几天没人清理。');
    expect(neg.sentiment.label).toBe('negative');
    expect(neg.sentiment.score).toBeLessThan(0);
    const pos = analyse('这次问题处理得很及时，工作人员回访也很耐心，给你们点赞。');
    expect(pos.sentiment.label).toBe('positive');
    expect(pos.sentiment.score).toBeGreaterThan(0);
    const q = analyse('请问办理居住证需要在当地居住满多长时间？');
    expect(q.sentiment.label).toBe('neutral');
    expect(Math.abs(q.sentiment.score)).toBeLessThanOrEqual(0.2);
  });

  it('a question with a real complaint in it stays negative', () => {
    expect(analyse('公司没有跟我签劳动合同，现在辞退我也不给补偿，想问一下怎么维权。').sentiment.label).toBe(
      'negative',
    );
    expect(analyse('请问环境噪声投诉应该打哪个电话？晚上装修算不算扰民？').sentiment.label).toBe('neutral');
  });

  it('does not take a closing 谢谢 for praise', () => {
    expect(analyse('有人在小区里拉老年人投资原始股，已经有4位老人投了钱。盼复，谢谢！').sentiment.label).toBe(
      'negative',
    );
    expect(analyse('谢谢你们帮我找回了钱包。').sentiment.label).toBe('positive');
  });

  it('handles negation and degree words', () => {
    expect(analyse('服务态度很差，非常不满意。').sentiment.label).toBe('negative');
    expect(analyse('对处理结果不太满意').sentiment.label).toBe('negative');
    const strong = analyse('非常感谢民警同志！').sentiment.score;
    const plain = analyse('感谢民警同志！').sentiment.score;
    expect(strong).toBeGreaterThan(plain);
    expect(analyse('处理得还不错，但是还有一些问题没解决。').sentiment.label).toBe('neutral');
  });
});

describe('analyse: dev set', () => {
  interface Row {
    id: string;
    text: string;
    topic: string;
    grade: string;
    polarity: string;
    people: number | null;
    amountYuan: number | null;
    extreme: boolean;
  }
  const rows: Row[] = readFileSync(new URL('../../tests/fixtures/petitions-dev.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Row);

  it('meets the accuracy bar on the labelled examples', () => {
    expect(rows.length).toBeGreaterThanOrEqual(20);
    const fields = ['topic', 'grade', 'polarity', 'people', 'amountYuan', 'extreme'] as const;
    const correct = Object.fromEntries(fields.map((f) => [f, 0])) as Record<(typeof fields)[number], number>;
    const misses: string[] = [];
    let extremeWanted = 0;
    let extremeFound = 0;
    for (const r of rows) {
      const a = analyse(r.text);
      expectWellFormed(a, normalise(r.text));
      const got = {
        topic: a.topic,
        grade: a.grade,
        polarity: a.sentiment.label,
        people: a.people,
        amountYuan: a.amountYuan,
        extreme: a.extreme,
      };
      for (const f of fields) {
        if (got[f] === r[f]) correct[f]++;
        else misses.push(`${r.id} ${f}: expected ${String(r[f])}, got ${String(got[f])}`);
      }
      if (r.extreme) {
        extremeWanted++;
        if (a.extreme) extremeFound++;
      }
    }
    const accuracy = Object.fromEntries(fields.map((f) => [f, correct[f] / rows.length]));
    console.log('dev-set accuracy', accuracy, misses.length ? misses : 'no misses');
    expect(accuracy.grade).toBeGreaterThanOrEqual(0.8);
    expect(extremeWanted).toBeGreaterThan(0);
    expect(extremeFound / extremeWanted).toBe(1);
  });
});

describe('analyse: robustness and speed', () => {
  /** Deterministic pseudo-random generator for the fuzz inputs. */
  function rng(seed: number): () => number {
    let x = seed >>> 0;
    return () => {
      x = (x + 0x6d2b79f5) >>> 0;
      let t = x;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  const sample =
    '装修公司拖欠我们十五名装修工人工资九万六千元，包工头电话关机，我们已经去劳动局反映了三次。' +
    '再讨不回工钱，我就从这栋楼上跳下去。我们不会采取过激行为。';

  it('never throws and returns quickly on odd input', () => {
    const r = rng(7);
    const inputs: string[] = [
      '',
      ' ',
      '\u0000\u0001\u0002',
      '\uD800',
      '\uDFFF\uD800abc\uDBFF',
      '第'.repeat(1000) + '次',
      '9'.repeat(5000) + '元',
      '一二三四五六七八九十百千万亿'.repeat(500),
      '不'.repeat(10_000) + '跳楼',
      Array.from({ length: 20_000 }, () => String.fromCharCode(Math.floor(r() * 65536))).join(''),
      Array.from({ length: 5000 }, () => '，。！？元万亿名人次第不没跳楼0123456789'[Math.floor(r() * 30)]).join(''),
    ];
    // Speed is the benchmark's business (npm run bench:analyser); a hang would hit the test timeout.
    for (const text of inputs) expectWellFormed(analyse(text), normalise(text));
    expect(analyse('').reasons).toEqual(['未触发重点或重大条件']);
    expect(analyse(null as unknown as string).grade).toBe('general');
  });

  it('analyses 100 KB of text', () => {
    const big = sample.repeat(Math.ceil(100_000 / sample.length)).slice(0, 100_000);
    const a = analyse(big);
    expect(a.grade).toBe('major');
    expect(a.riskTerms.length).toBe(LEXICON.maxRiskTerms);
    expectWellFormed(a, normalise(big));
  });
});
