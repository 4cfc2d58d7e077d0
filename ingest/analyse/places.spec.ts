import { describe, expect, it } from 'vitest';
import { loadRegionPack } from '../regions.ts';
import { createPlaceFinder } from './places.ts';
import { createDefaultAnalyser } from './analyse.ts';

describe('places of the region pack', () => {
  const find = createPlaceFinder(loadRegionPack('suzhou'));

  it('finds full and short district names once each, in order', () => {
    expect(find('昆山的工厂和吴中区的工地，还有昆山市一家店')).toEqual([
      { code: '320583', name: '昆山市', start: 0 },
      { code: '320506', name: '吴中区', start: 6 },
    ]);
    expect(find('小区停水三天')).toEqual([]);
  });

  it('is part of every analysis, on the simplified text', () => {
    const analyse = createDefaultAnalyser(loadRegionPack('suzhou'));
    expect(analyse('張家港市一家工廠拖欠工資').places).toEqual([{ code: '320582', name: '张家港市', start: 0 }]);
  });
});
