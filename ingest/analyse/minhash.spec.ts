import { describe, expect, it } from 'vitest';
import {
  BOILERPLATE_PREFIXES,
  DEFAULT_SIMILARITY,
  NearDuplicateIndex,
  SIGNATURE_VERSION,
  canonicalText,
  decodeSignature,
  encodeSignature,
  estimateSimilarity,
  isEmptySignature,
  lshBands,
  signatureVersion,
  textSignature,
} from './minhash.ts';

const BASE =
  '本人家住朝阳区幸福路18号院3号楼，小区物业长期不作为，电梯已经停运两个多月，家中有八十岁老人上下楼十分困难，' +
  '多次向物业和社区反映均无人处理，联系电话13812345678，请相关部门尽快督促维修。';

/** The same complaint as BASE through another channel: prefix, another phone number, a few words changed. */
const REPHRASED =
  '市民来电反映：本人家住朝阳区幸福路18号院3号楼，小区物业长期不作为，电梯已经停运三个多月，家中有八十岁老人上下楼非常困难，' +
  '多次向物业和社区反映均无人处理，联系电话 139-8765-4321，请相关部门尽早督促维修！';

/** Twenty unrelated petitions, as they arrive from the hotline, the web form and letters. */
const UNRELATED = [
  '某建筑公司拖欠我们二十多名农民工工资共计四十六万元，老板电话关机，年关将至大家回不了家，请劳动监察部门帮忙追讨。',
  '村里的耕地被镇政府征收修建工业园，补偿款每亩只给了一万二，远低于省里公布的标准，村干部拒绝公开分配明细。',
  '化工厂夜间偷排废水，河里的鱼大量死亡，周边居民闻到刺鼻气味，孩子咳嗽不止，环保局来过一次就没有下文了。',
  '楼下烧烤店每天营业到凌晨三点，油烟直排进我家窗户，噪音吵得老人孩子无法入睡，城管说不归他们管。',
  '孩子今年上小学，户籍和房产都在学区内，教育局却以学位已满为由把他分到五公里外的学校，接送十分不便。',
  '母亲在县人民医院做胆囊手术后大出血，院方拒绝提供完整病历，医疗事故鉴定迟迟不启动，家属要求追责。',
  '退休后养老金比同年退休的同事少了八百多元，社保中心说工龄认定有误，让我自己去原单位开证明，单位早已破产。',
  '老城区旧改项目签约时承诺原地回迁，现在开发商改口只给货币补偿，安置房图纸至今没有公示。',
  '网约车平台突然扣了我三天的流水，说是有乘客投诉，申诉渠道只有机器人客服，根本找不到人处理。',
  '投资理财公司以高息为诱饵吸收存款，上月法人卷款跑路，我们几百个老人的养老钱全部被骗，公安立案后进展缓慢。',
  '购房五年了开发商一直不给办理不动产权证，孩子落户上学都受影响，住建局说开发商欠缴土地出让金。',
  '供暖季已经开始半个月，我们单元的暖气片一直冰凉，室温只有十二度，热力公司派人看过说是主管道问题。',
  '自来水公司检修管道后连续四天停水，事先没有任何通知，片区几千户居民生活用水只能去超市买桶装水。',
  '邻居在楼顶违规加盖两层阳光房，导致我家天花板漏水开裂，执法大队立案半年了也没有强制拆除。',
  '在菜市场买的散装熟食吃完后全家上吐下泻，到医院诊断为食物中毒，市场监管部门至今未对摊主作出处罚。',
  '孩子接种疫苗后持续高烧并出现抽搐，疾控中心认定为偶合反应，我们对鉴定结论有异议希望重新鉴定。',
  '我是退役军人，按政策应当安排工作，退役军人事务局已经拖了三年，每次去问都说岗位还在协调。',
  '通往我们村的水泥路被超载的渣土车压得坑坑洼洼，下雨天根本走不了，村民多次找乡里都说没有修路资金。',
  '七月暴雨冲毁了我家的鱼塘和两亩大棚，乡政府登记了灾情却一直没有发放救灾补助，别的村早就发了。',
  '派出所民警在处理我和邻居的纠纷时偏袒对方，还对我推搡辱骂，我去督察部门反映后被要求撤回投诉。',
];

/** Deterministic PRNG for the synthetic estimator test. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shingles(text: string, n = 3): Set<string> {
  const chars = [...canonicalText(text)];
  const set = new Set<string>();
  if (chars.length > 0 && chars.length < n) set.add(chars.join(''));
  for (let i = 0; i + n <= chars.length; i++) set.add(chars.slice(i, i + n).join(''));
  return set;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let common = 0;
  for (const x of a) if (b.has(x)) common++;
  return common / (a.size + b.size - common);
}

function shareBand(a: Uint32Array, b: Uint32Array): boolean {
  const keys = new Set(lshBands(a));
  return lshBands(b).some((k) => keys.has(k));
}

describe('canonicalText', () => {
  it('normalises width and case, drops whitespace and punctuation, folds digit runs, strips prefixes', () => {
    expect(canonicalText('市民来电反映：电话 138-1234-5678，Ｗi-Fi 坏了！')).toBe('电话#wifi坏了');
    expect(canonicalText('2024年3月5日，「物业」【不作为】……')).toBe('#年#月#日物业不作为');
    expect(canonicalText('来电人称:网友反映： 路灯不亮')).toBe('路灯不亮');
    expect(canonicalText('电梯\u200b坏了\ufeff 😡')).toBe('电梯坏了');
  });
  it('exports the prefix list it strips', () => {
    expect(BOILERPLATE_PREFIXES).toContain('来电人称：');
    expect(BOILERPLATE_PREFIXES).toContain('市民来电反映：');
    expect(BOILERPLATE_PREFIXES).toContain('网友反映：');
    for (const prefix of BOILERPLATE_PREFIXES) expect(canonicalText(`${prefix}小区停水`)).toBe('小区停水');
  });
  it('only strips prefixes at the start', () => {
    expect(canonicalText('她说网友反映：属实')).toBe('她说网友反映属实');
  });
});

describe('textSignature', () => {
  it('is deterministic and has the configured length', () => {
    const a = textSignature(BASE);
    expect(a).toBeInstanceOf(Uint32Array);
    expect(a.length).toBe(DEFAULT_SIMILARITY.hashes);
    expect(textSignature(BASE)).toEqual(a);
    expect(textSignature(BASE, { shingle: 3, hashes: 64, bands: 16 })).toEqual(a);
  });

  it('is stable across processes and releases (pinned values; a change here is a breaking change)', () => {
    expect(SIGNATURE_VERSION).toBe('mh3x64b16-1');
    expect(signatureVersion({ hashes: 128 })).toBe('mh3x128b16-1');
    // Pinned from the first release: if this fails, stored signatures no longer match new ones.
    expect(encodeSignature(textSignature('小区电梯停运两个月无人维修'))).toBe(PINNED_SIGNATURE);
    expect(lshBands(textSignature('小区电梯停运两个月无人维修')).slice(0, 2)).toEqual(PINNED_BANDS);
  });

  it('extends a shorter signature when only the number of hashes grows', () => {
    const short = textSignature(BASE);
    const long = textSignature(BASE, { hashes: 128 });
    expect(long.subarray(0, 64)).toEqual(short);
  });

  it('gives identical texts similarity 1', () => {
    expect(estimateSimilarity(textSignature(BASE), textSignature(BASE))).toBe(1);
    // Canonically equal texts too.
    expect(estimateSimilarity(textSignature(BASE), textSignature(`网友反映： ${BASE.replace(/，/g, ',')}`))).toBe(1);
  });

  it('matches the same complaint rephrased slightly (prefix, phone number, a few characters)', () => {
    const a = textSignature(BASE);
    const b = textSignature(REPHRASED);
    expect(estimateSimilarity(a, b)).toBeGreaterThanOrEqual(0.6);
    expect(shareBand(a, b)).toBe(true);
  });

  it('ignores a different phone number or date entirely', () => {
    const a = textSignature('2024年3月5日来电，联系电话13812345678，反映小区门口路灯损坏');
    const b = textSignature('2025年11月20日来电，联系电话18900001111，反映小区门口路灯损坏');
    expect(estimateSimilarity(a, b)).toBe(1);
  });

  it('keeps unrelated petitions below 0.3, and they rarely share a band', () => {
    const sigs = UNRELATED.map((t) => textSignature(t));
    let pairs = 0;
    let sharing = 0;
    for (let i = 0; i < sigs.length; i++) {
      for (let j = i + 1; j < sigs.length; j++) {
        pairs++;
        expect(estimateSimilarity(sigs[i]!, sigs[j]!)).toBeLessThan(0.3);
        if (shareBand(sigs[i]!, sigs[j]!)) sharing++;
      }
      expect(estimateSimilarity(sigs[i]!, textSignature(BASE))).toBeLessThan(0.3);
    }
    expect(pairs).toBe(190);
    expect(sharing).toBeLessThanOrEqual(2);
  });

  it('estimates the Jaccard similarity of the shingle sets without bias', () => {
    const random = rng(42);
    const alphabet = Array.from({ length: 800 }, (_, i) => String.fromCharCode(0x4e00 + i * 7));
    let sumError = 0;
    let worst = 0;
    const trials = 60;
    for (let t = 0; t < trials; t++) {
      const chars = Array.from({ length: 200 }, () => alphabet[Math.floor(random() * alphabet.length)]!);
      const edited = [...chars];
      const edits = Math.floor(random() * 40);
      for (let e = 0; e < edits; e++) {
        edited[Math.floor(random() * edited.length)] = alphabet[Math.floor(random() * 800)]!;
      }
      const a = chars.join('');
      const b = edited.join('');
      const exact = jaccard(shingles(a), shingles(b));
      const error = estimateSimilarity(textSignature(a), textSignature(b)) - exact;
      sumError += error;
      worst = Math.max(worst, Math.abs(error));
    }
    // Standard error per pair is at most 0.0625 with 64 hashes; the mean of 60 is within ~0.01.
    expect(Math.abs(sumError / trials)).toBeLessThan(0.03);
    expect(worst).toBeLessThan(0.25);
  });

  it('gives short texts a signature from the whole text as one shingle', () => {
    const a = textSignature('停水');
    expect(isEmptySignature(a)).toBe(false);
    expect(estimateSimilarity(a, textSignature('停水！'))).toBe(1);
    expect(estimateSimilarity(a, textSignature('停电'))).toBeLessThan(0.2);
    expect(lshBands(a)).toHaveLength(16);
  });

  it('gives empty texts all 0xFFFFFFFF and no band keys', () => {
    for (const text of ['', '   ', '，。！？……', '市民来电反映：']) {
      const sig = textSignature(text);
      expect(sig.every((v) => v === 0xffffffff)).toBe(true);
      expect(isEmptySignature(sig)).toBe(true);
      expect(lshBands(sig)).toEqual([]);
    }
  });

  it('does not throw on lone surrogates, control characters or 100 KB of text', () => {
    expect(() => textSignature('\ud800电梯\udc00坏了\ud83d')).not.toThrow();
    expect(textSignature('\ud800电梯坏了\udfff')).toEqual(textSignature('电梯坏了'));
    expect(() => textSignature('\u0000\u0007\u001b[31m')).not.toThrow();
    const long = BASE.repeat(Math.ceil(100_000 / BASE.length));
    expect(long.length).toBeGreaterThanOrEqual(100_000);
    const sig = textSignature(long);
    expect(sig.length).toBe(64);
    // Repeating a complaint adds no new shingles, so the long text is a near-duplicate of one copy.
    expect(estimateSimilarity(sig, textSignature(BASE))).toBeGreaterThan(0.9);
    // And the shared workspace is not corrupted for the next, short text.
    expect(textSignature(BASE)).toEqual(textSignature(BASE.slice()));
  });
});

describe('config validation', () => {
  it('throws clear errors on invalid configs', () => {
    expect(() => textSignature('x', { hashes: 60, bands: 16 })).toThrow(
      /hashes \(60\) must be a multiple of bands \(16\)/,
    );
    expect(() => textSignature('x', { shingle: 0 })).toThrow(/shingle must be an integer from 1 to 32, got 0/);
    expect(() => textSignature('x', { shingle: 2.5 })).toThrow(/shingle must be an integer/);
    expect(() => textSignature('x', { hashes: 4096 })).toThrow(/hashes must be an integer from 1 to 1024/);
    expect(() => textSignature('x', { hashes: 8, bands: 16 })).toThrow(/bands must be an integer from 1 to 8/);
    expect(() => lshBands(new Uint32Array(64), { bands: 0 })).toThrow(/Invalid similarity config: bands/);
    expect(() => new NearDuplicateIndex({ config: { hashes: 10, bands: 3 } })).toThrow(/multiple of bands/);
    expect(() => new NearDuplicateIndex({ maxItems: 0 })).toThrow(/maxItems must be an integer/);
  });

  it('rejects signatures of the wrong length', () => {
    expect(() => lshBands(new Uint32Array(32))).toThrow(/Expected a signature of 64 hashes .*got length 32/);
    expect(() => estimateSimilarity(new Uint32Array(64), new Uint32Array(32))).toThrow(/lengths 64 and 32/);
    expect(() => new NearDuplicateIndex().add(1, new Uint32Array(8))).toThrow(/64 hashes/);
  });

  it('supports other valid shapes', () => {
    const sig = textSignature(BASE, { shingle: 2, hashes: 128, bands: 32 });
    expect(sig.length).toBe(128);
    expect(lshBands(sig, { hashes: 128, bands: 32 })).toHaveLength(32);
    expect(textSignature(BASE, { hashes: 6, bands: 3 }).length).toBe(6); // not a multiple of 4
  });
});

describe('lshBands', () => {
  it('gives one short key per band', () => {
    const keys = lshBands(textSignature(BASE));
    expect(keys).toHaveLength(16);
    keys.forEach((k, band) => expect(k).toMatch(new RegExp(`^b${band}:[0-9a-f]{8}$`)));
  });
});

describe('encodeSignature / decodeSignature', () => {
  it('round-trips', () => {
    for (const sig of [textSignature(BASE), textSignature(''), textSignature('短', { hashes: 5, bands: 5 })]) {
      const encoded = encodeSignature(sig);
      expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(decodeSignature(encoded)).toEqual(sig);
    }
    expect(encodeSignature(textSignature(BASE))).toHaveLength(344);
  });
  it('rejects anything else', () => {
    expect(() => decodeSignature('')).toThrow(/Invalid signature encoding/);
    expect(() => decodeSignature('not base64!')).toThrow(/Invalid signature encoding/);
    expect(() => decodeSignature('AAA=')).toThrow(/not a whole number of uint32s/);
  });
});

describe('NearDuplicateIndex', () => {
  it('finds the rephrased complaint as candidate and similar, and not unrelated ones', () => {
    const index = new NearDuplicateIndex<string>();
    expect(index.add('base', textSignature(BASE))).toBe(true);
    UNRELATED.forEach((t, i) => index.add(`u${i}`, textSignature(t)));
    expect(index.size).toBe(21);

    const query = textSignature(REPHRASED);
    expect(index.candidates(query)).toContain('base');
    const similar = index.similar(query);
    expect(similar.map((m) => m.id)).toEqual(['base']);
    expect(similar[0]!.similarity).toBeGreaterThanOrEqual(0.6);
    expect(index.similar(textSignature(UNRELATED[3]!))).toEqual([{ id: 'u3', similarity: 1 }]);
  });

  it('sorts by similarity, newest first on ties', () => {
    const index = new NearDuplicateIndex<number>();
    index.add(1, textSignature(BASE));
    index.add(2, textSignature(REPHRASED));
    index.add(3, textSignature(BASE));
    const result = index.similar(textSignature(BASE), 0);
    expect(result.map((m) => m.id)).toEqual([3, 1, 2]);
    expect(result[0]!.similarity).toBe(1);
    expect(result[2]!.similarity).toBeLessThan(1);
    expect(() => index.similar(textSignature(BASE), 1.5)).toThrow(/threshold/);
  });

  it('evicts the oldest beyond maxItems; re-adding makes an item the newest', () => {
    const index = new NearDuplicateIndex<string>({ maxItems: 3 });
    const sigs = UNRELATED.slice(0, 5).map((t) => textSignature(t));
    index.add('a', sigs[0]!);
    index.add('b', sigs[1]!);
    index.add('c', sigs[2]!);
    index.add('a', sigs[0]!); // refresh: b is now the oldest
    index.add('d', sigs[3]!);
    expect(index.size).toBe(3);
    expect(index.has('b')).toBe(false);
    expect(index.candidates(sigs[1]!)).toEqual([]);
    expect(index.candidates(sigs[0]!)).toEqual(['a']);
    index.add('e', sigs[4]!);
    expect(['a', 'b', 'c', 'd', 'e'].filter((id) => index.has(id))).toEqual(['a', 'd', 'e']);
    expect(index.candidates(sigs[2]!)).toEqual([]);
  });

  it('deletes, skips empty signatures, and clears', () => {
    const index = new NearDuplicateIndex<number>();
    expect(index.add(1, textSignature(''))).toBe(false);
    expect(index.size).toBe(0);
    expect(index.candidates(textSignature(''))).toEqual([]);
    index.add(2, textSignature(BASE));
    expect(index.delete(2)).toBe(true);
    expect(index.delete(2)).toBe(false);
    expect(index.candidates(textSignature(BASE))).toEqual([]);
    index.add(3, textSignature(BASE));
    index.clear();
    expect(index.size).toBe(0);
    expect(index.similar(textSignature(BASE))).toEqual([]);
  });

  it('stays consistent through growth, churn and shared buckets (against a brute-force model)', () => {
    const random = rng(7);
    const maxItems = 700; // grows 256 → 512 → 700, then evicts
    const index = new NearDuplicateIndex<number>({ maxItems });
    const model = new Map<number, Uint32Array>();
    // Few distinct band values, so buckets hold many items and probe runs collide and wrap.
    const randomSig = (): Uint32Array => Uint32Array.from({ length: 64 }, () => Math.floor(random() * 3));
    for (let step = 0; step < 4000; step++) {
      const id = Math.floor(random() * 1500);
      if (random() < 0.2) {
        expect(index.delete(id)).toBe(model.delete(id));
      } else {
        const sig = randomSig();
        index.add(id, sig);
        model.delete(id);
        model.set(id, sig);
        while (model.size > maxItems) model.delete(model.keys().next().value!);
      }
      if (step % 50 === 0) {
        expect(index.size).toBe(model.size);
        const query = randomSig();
        const expected = [...model]
          .filter(([, sig]) =>
            Array.from({ length: 16 }, (_, band) => band * 4).some((off) =>
              [0, 1, 2, 3].every((r) => sig[off + r] === query[off + r]),
            ),
          )
          .map(([id]) => id)
          .sort((x, y) => x - y);
        expect(index.candidates(query).sort((x, y) => x - y)).toEqual(expected);
      }
    }
    for (const [id, sig] of model) expect(index.candidates(sig)).toContain(id);
  });
});

// Pinned outputs of the first release (see 'is stable across processes and releases').
const PINNED_SIGNATURE =
  'h0eeM+yDpgj72TcPQTrEBmUf1Q1eVL88wpecCoSCugTyV14QeXpZBwVOAxUrZEsQ5pjaAFfSqQ7G+u5AAjvvGCD5AhEDV7Yv4tkcFX4M4BfCLtoAHLIRIYa9cwKd9wYG8mS9HsZYcg0s1e1LbRc/C3HpSjZi+ekBs56mAaZlIB5Dsd0CdbSGCYukjhz369o2fT2hHZwfwQOVBe03K+U8RfdN7BGf9bIUDNvWBppB8wxHbo4J1fUrA7jiyAyaEVQJAKMPKqX68zjQbAQI4ww6BTRD4RJ5MDIG1bRdFT+KsyeN1ekAdC1kAuvRuVADUmgKSqWILV6A/ToMurABM1UkBg==';
const PINNED_BANDS = ['b0:54a983f0', 'b1:c423cebe'];
