import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.ts';

describe('token bucket rate limiter', () => {
  it('allows a burst, then refuses with the wait, and refills over time', () => {
    let t = 0;
    const limiter = createRateLimiter({ capacity: 3, perSecond: 1 }, () => t);
    expect([limiter.take('k'), limiter.take('k'), limiter.take('k')]).toEqual([0, 0, 0]);
    expect(limiter.take('k')).toBe(1);
    expect(limiter.take('other')).toBe(0);
    t = 1_000;
    expect(limiter.take('k')).toBe(0);
    expect(limiter.take('k')).toBe(1);
    t = 10_000;
    expect([limiter.take('k'), limiter.take('k'), limiter.take('k'), limiter.take('k')]).toEqual([0, 0, 0, 1]);
  });

  it('keeps at most maxKeys buckets', () => {
    const limiter = createRateLimiter({ capacity: 1, perSecond: 0.001, maxKeys: 2 }, () => 0);
    limiter.take('a');
    limiter.take('b');
    limiter.take('c'); // evicts a
    expect(limiter.take('a')).toBe(0);
  });
});
