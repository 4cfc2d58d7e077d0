import { describe, expect, it } from 'vitest';
import { minuteFloor, startOfZonedDay, zonedDate } from './time.ts';

describe('time helpers', () => {
  it('finds local midnight in Asia/Shanghai (UTC+8) on either side of UTC midnight', () => {
    expect(startOfZonedDay(new Date('2026-12-01T15:59:59Z'), 'Asia/Shanghai').toISOString()).toBe(
      '2026-11-30T16:00:00.000Z',
    );
    expect(startOfZonedDay(new Date('2026-12-01T16:00:00Z'), 'Asia/Shanghai').toISOString()).toBe(
      '2026-12-01T16:00:00.000Z',
    );
    expect(zonedDate(new Date('2026-12-01T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-12-02');
  });
  it('handles zones with daylight saving', () => {
    expect(startOfZonedDay(new Date('2026-07-01T12:00:00Z'), 'Europe/Berlin').toISOString()).toBe(
      '2026-06-30T22:00:00.000Z',
    );
  });
  it('floors to the minute', () => {
    expect(minuteFloor(new Date('2026-12-01T02:03:59.999Z')).toISOString()).toBe('2026-12-01T02:03:00.000Z');
  });
});
