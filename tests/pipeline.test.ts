import { describe, expect, it } from 'vitest';
import { findDeadLetter, listDeadLetters } from '../db/queries/dead-letters.ts';
import { linksOf } from '../db/queries/links.ts';
import { findPetition } from '../db/queries/petitions.ts';
import { analyse } from '../ingest/analyse/analyse.ts';
import type { ChannelRecord } from '../ingest/channels/adapter.ts';
import type { PetitionInput } from '../ingest/petition.ts';
import { loadHotlineFieldMap } from '../ingest/channels/hotline.ts';
import {
  createContactSealer,
  createPersonIndex,
  generateContactKeySpec,
  parseContactKeys,
} from '../ingest/contact-seal.ts';
import { linkNewPetitions } from '../ingest/linker.ts';
import { createPipeline } from '../ingest/pipeline.ts';
import { createRegionResolver } from '../ingest/region-resolver.ts';
import { loadRegionPack } from '../ingest/regions.ts';
import { createPetitionWriter } from '../ingest/writer.ts';
import { retryDeadLetter } from '../server/dead-letters.ts';
import { ENGINES, useMigratedDb } from './helpers/databases.ts';

const keys = parseContactKeys(generateContactKeySpec());
const sealer = createContactSealer(keys);
const resolver = createRegionResolver(loadRegionPack('suzhou'));
const source = { actor: 'test', role: 'channel:letter', channel: 'letter' as const };

function record(input: Record<string, unknown>, position: string): ChannelRecord {
  return {
    ok: true,
    // Deliberately unchecked: the pipeline validates whatever an adapter hands it.
    input: input as unknown as PetitionInput,
    original: { format: 'json', content: JSON.stringify(input), position },
  };
}

describe.each(ENGINES)('the pipeline on %s', (_name, open) => {
  const t = useMigratedDb(open);
  function pipelineWith(analyser: typeof analyse) {
    const writer = createPetitionWriter({
      db: t.db,
      storageMode: 'plain',
      sealer,
      personIndex: createPersonIndex(Buffer.alloc(32, 7)),
      publish: () => undefined,
    });
    return { writer, pipeline: createPipeline({ db: t.db, analyse: analyser, writer, sealer, resolver }) };
  }

  it('keeps a record the analyser fails on, and stores it on retry once the analyser works', async () => {
    const broken = pipelineWith(() => {
      throw new Error('analyser bug');
    });
    const input = { channel: 'letter', text: '来信反映吴江区某小区电梯长期故障无人维修。', externalId: 'L-100' };
    const [outcome] = await broken.pipeline.submit([record(input, 'letter 1')], source);
    expect(outcome).toMatchObject({ status: 'rejected', stage: 'analyse', deadLetterId: expect.any(String) });
    const id = outcome!.status === 'rejected' ? outcome!.deadLetterId! : '';
    const letter = await findDeadLetter(t.db, id);
    expect(letter).toMatchObject({
      channel: 'letter',
      stage: 'analyse',
      status: 'open',
      format: 'json',
      position: 'letter 1',
    });
    // The payload is sealed: readable with the key, not in the clear.
    expect(letter!.sealed.includes(Buffer.from('电梯'))).toBe(false);
    expect(JSON.parse(sealer.unsealBytes(letter!.keyId, letter!.sealed).toString('utf8'))).toEqual(input);
    await broken.writer.close();

    const fixed = pipelineWith(analyse);
    const deps = {
      db: t.db,
      sealer,
      submit: fixed.pipeline.submit,
      remapContext: (now: Date) => ({ now, resolver, hotlineFieldMap: loadHotlineFieldMap(), feeds: null }),
      now: () => new Date(),
    };
    const result = await retryDeadLetter(deps, id, { userId: 'u-1', role: 'operator', address: null });
    expect(result).toMatchObject({ status: 'resolved', petitionIds: [expect.any(String)] });
    const petitionId = result.status === 'resolved' ? result.petitionIds[0]! : '';
    expect(await findPetition(t.db, petitionId)).toMatchObject({ externalId: 'L-100', regionCode: '320509' });
    expect(await findDeadLetter(t.db, id)).toMatchObject({ status: 'resolved', petitionId, attempts: 1 });
    // Retrying a resolved letter is refused rather than stored twice.
    expect(await retryDeadLetter(deps, id, { userId: 'u-1', role: 'operator', address: null })).toMatchObject({
      status: 'not_open',
    });
    await fixed.writer.close();
  });

  it('keeps an operator correction when the retry still fails, and stores it once corrected', async () => {
    const { pipeline, writer } = pipelineWith(analyse);
    const [outcome] = await pipeline.submit([record({ channel: 'letter', text: '' }, 'letter 2')], source);
    expect(outcome).toMatchObject({ status: 'rejected', stage: 'validate', fields: [{ field: 'text' }] });
    const id = outcome!.status === 'rejected' ? outcome!.deadLetterId! : '';
    const deps = {
      db: t.db,
      sealer,
      submit: pipeline.submit,
      remapContext: (now: Date) => ({ now, resolver, hotlineFieldMap: loadHotlineFieldMap(), feeds: null }),
      now: () => new Date(),
    };
    const actor = { userId: 'u-1', role: 'operator', address: '127.0.0.1' };
    const stillBad = await retryDeadLetter(deps, id, actor, '{"channel":"letter","text":"   "}');
    expect(stillBad).toMatchObject({ status: 'failed', reason: expect.stringContaining('text') });
    const kept = await findDeadLetter(t.db, id);
    expect(sealer.unsealBytes(kept!.keyId, kept!.sealed).toString('utf8')).toBe('{"channel":"letter","text":"   "}');
    expect(kept).toMatchObject({ status: 'open', attempts: 1 });
    const good = await retryDeadLetter(
      deps,
      id,
      actor,
      '{"channel":"letter","text":"反映昆山市某厂夜间排放刺鼻废气。"}',
    );
    expect(good).toMatchObject({ status: 'resolved' });
    const open = await listDeadLetters(t.db, { status: 'open', limit: 10 });
    expect(open.rows.map((r) => r.id)).not.toContain(id);
    await writer.close();
  });

  it('places a petition by the address when the record has no region', async () => {
    const { pipeline, writer } = pipelineWith(analyse);
    const [outcome] = await pipeline.submit(
      [
        record(
          {
            channel: 'visit',
            text: '来访反映邻居违章搭建影响采光。',
            contact: { name: '周敏', address: '苏州市相城区元和街道1号' },
          },
          'visit 1',
        ),
      ],
      source,
    );
    const id = outcome!.status === 'stored' ? outcome!.id : '';
    expect((await findPetition(t.db, id))!.regionCode).toBe('320507');
    await writer.close();
  });

  it('links one person’s call, letter and post across channels, once', async () => {
    const { pipeline, writer } = pipelineWith(analyse);
    const text = '我们四十多名工人被苏州某机械厂拖欠工资三个月共计八十多万元，老板失联，再不解决就去市政府上访';
    const submitted = await pipeline.submit(
      [
        record({ channel: 'hotline', text, contact: { name: '陈立', phone: '13955556666' } }, 'call'),
        record({ channel: 'letter', text: `${text}。`, contact: { name: '陈立', phone: '139 5555 6666' } }, 'letter'),
        record({ channel: 'social', text: `求扩散！${text}！` }, 'post'),
        record({ channel: 'web', text: '建议在姑苏区增设公共自行车站点，方便市民出行。' }, 'unrelated'),
      ],
      source,
    );
    const ids = submitted.map((o) => (o.status === 'stored' ? o.id : ''));
    expect(ids.every(Boolean)).toBe(true);
    const first = await linkNewPetitions(t.db, new Date(Date.now() + 60_000));
    expect(first.petitions).toBeGreaterThanOrEqual(4);
    const links = await linksOf(t.db, ids[0]!);
    const byId = new Map(links.map((l) => [`${l.id}:${l.kind}`, l]));
    expect(byId.has(`${ids[1]}:near_duplicate`)).toBe(true);
    expect(byId.has(`${ids[2]}:near_duplicate`)).toBe(true);
    // Same phone written two ways: the same person, by blind key.
    expect(byId.has(`${ids[1]}:same_person`)).toBe(true);
    expect(links.some((l) => l.id === ids[3])).toBe(false);
    // The cursor moved on: a second run finds nothing new.
    expect(await linkNewPetitions(t.db, new Date(Date.now() + 60_000))).toEqual({ petitions: 0, links: 0 });
    await writer.close();
  });
});
