import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function runAnalyze(input: string): Promise<{ code: number | null; lines: Record<string, unknown>[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'analyze'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      resolve({
        code,
        stderr: err,
        lines: out
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      }),
    );
    child.stdin.end(input);
  });
}

/** The public contract of spec/grading.md: one JSON line out per line in, in order, errors per line. */
describe('npm run --silent analyze', () => {
  it('answers every line in order, with clear errors for bad lines, and exits 0', async () => {
    const input = [
      JSON.stringify({ id: 'ok1', text: '再讨不回工钱，我就从这栋楼上跳下去' }),
      'not json at all',
      JSON.stringify({ id: 'empty', text: '   ' }),
      JSON.stringify({ id: 'big', text: 'x'.repeat(100_000) }),
      '\u0000\u0001\u0002 binary',
      JSON.stringify({ id: 'ok2', text: '請問社保怎麼轉移？' }),
    ].join('\n');
    const { code, lines, stderr } = await runAnalyze(`${input}\n`);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(lines.map((l) => l.id)).toEqual(['ok1', null, 'empty', 'big', null, 'ok2']);
    expect(lines[0]).toMatchObject({ grade: 'major', extreme: true, sentiment: { label: 'negative' } });
    for (const field of ['topic', 'grade', 'sentiment', 'people', 'amountYuan', 'extreme', 'riskTerms', 'reasons']) {
      expect(lines[0]).toHaveProperty(field);
    }
    expect(lines[1]!.error).toMatch(/not valid JSON/);
    expect(lines[2]!.error).toMatch(/empty/);
    expect(lines[3]!.error).toMatch(/at most/);
    expect(lines[4]!.error).toMatch(/not valid JSON/);
    expect(lines[5]).toMatchObject({ topic: 'labour', sentiment: { label: 'neutral' } });
  }, 60_000);
});
