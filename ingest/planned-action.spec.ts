import { describe, expect, it } from 'vitest';
import { createDefaultAnalyser } from './analyse/analyse.ts';
import { plannedAction } from './planned-action.ts';
import { loadRegionPack } from './regions.ts';

const analyse = createDefaultAnalyser(loadRegionPack('suzhou'));
const planned = (text: string) => plannedAction(text, analyse(text));

describe('planned mass action with a time or place', () => {
  it('finds the time and place around a mass-action term', () => {
    expect(planned('大家商量好了，明天去区政府门口拉横幅讨说法。')).toEqual({ when: '明天', where: '区政府门口' });
    expect(planned('工友们准备12月5日到市政府集体上访。')).toMatchObject({ when: '12月5日', where: '市政府' });
    expect(planned('再不给钱我们就去堵高速收费站。')).toMatchObject({
      where: expect.stringContaining('高速') as string,
    });
  });
  it('says a mass action without time or place, and nothing without a mass action or when negated', () => {
    expect(planned('有人说要去堵路，大家情绪很激动。')).toEqual({ when: null, where: null });
    expect(planned('小区门口的路灯坏了三个月，明天能来修吗？')).toBeNull();
    expect(planned('我们不会去堵路闹事，只想要个说法。')).toBeNull();
  });
});
