import type { NewPetitionRow } from '../../db/queries/petitions.ts';
import { uuidv7 } from '../../ingest/uuid.ts';
import type { PreparedPetition } from '../../ingest/writer.ts';

let counter = 0;

/** A petition row as the pipeline would prepare it, with overridable fields. */
export function preparedPetition(
  overrides: Partial<NewPetitionRow> = {},
  contact?: PreparedPetition['contact'],
): PreparedPetition {
  counter += 1;
  const row: NewPetitionRow = {
    id: uuidv7(),
    receivedAt: new Date('2026-12-01T02:03:04Z'),
    channel: 'hotline',
    externalId: null,
    regionCode: '320508',
    topic: 'labour',
    grade: 'general',
    sentimentLabel: 'negative',
    sentimentScore: -0.5,
    people: 1,
    amountYuan: 8000,
    extreme: false,
    riskTerms: [],
    reasons: ['未触发重点或重大条件'],
    analyserVersion: 'test',
    analysis: { note: 'test row' },
    text: `测试信访 ${counter}`,
    summary: `测试信访 ${counter}`,
    signature: null,
    lshBands: [],
    matterKind: 'grievance',
    accusedUnit: null,
    ...overrides,
  };
  return { row, contact, extreme: row.extreme };
}
