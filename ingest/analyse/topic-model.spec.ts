import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOPIC_CODES } from '../taxonomy.ts';
import {
  loadTopicModel,
  serialiseTopicModel,
  topicFeatures,
  topicLogPosterior,
  trainTopicModel,
} from './topic-model.ts';

const docs = [
  { features: topicFeatures('拖欠工资', ['拖欠', '工资']), topic: 'labour' as const },
  { features: topicFeatures('拖欠农民工工资', ['拖欠', '农民工', '工资']), topic: 'labour' as const },
  { features: topicFeatures('化工厂排放污水', ['化工厂', '排放', '污水']), topic: 'environment' as const },
  { features: topicFeatures('河道污水发臭', ['河道', '污水', '发臭']), topic: 'environment' as const },
];

describe('topic model', () => {
  it('extracts content words and character bigrams, without stop words', () => {
    expect(topicFeatures('我们的工资', ['我们的', '工资'])).toEqual(['w:工资', 'c:我们', 'c:们的', 'c:的工', 'c:工资']);
  });

  it('learns which words point to which topic', () => {
    const model = trainTopicModel(docs, { version: 't', trainedAt: 'now', minCount: 1 });
    const post = new Float64Array(TOPIC_CODES.length);
    expect(topicLogPosterior(model, topicFeatures('欠工资', ['工资']), post)).toBe(3); // w:工资, c:欠工, c:工资
    const best = TOPIC_CODES[[...post].indexOf(Math.max(...post))];
    expect(best).toBe('labour');
    const env = new Float64Array(TOPIC_CODES.length);
    topicLogPosterior(model, topicFeatures('污水', ['污水']), env);
    expect(TOPIC_CODES[[...env].indexOf(Math.max(...env))]).toBe('environment');
  });

  it('round-trips through its reviewable file, one feature per line', () => {
    const model = trainTopicModel(docs, { version: 't', trainedAt: 'now', minCount: 1, keywordWeight: 0.5 });
    const dir = mkdtempSync(join(tmpdir(), 'wenkong-model-'));
    try {
      const file = join(dir, 'topics.json');
      const text = serialiseTopicModel(model);
      expect(text.split('\n').filter((l) => l.startsWith('    "w:'))).toHaveLength(
        Object.keys(model.features).filter((f) => f.startsWith('w:')).length,
      );
      writeFileSync(file, text);
      expect(loadTopicModel(file)).toEqual(model);
      writeFileSync(file, JSON.stringify({ ...model, classes: ['labour'] }));
      expect(() => loadTopicModel(file)).toThrow(/do not match the taxonomy/);
      writeFileSync(file, '{');
      expect(() => loadTopicModel(file)).toThrow(/not readable as JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
