import { inspect } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSubscribers, parseSubscribers, SubscriberConfigError } from './config.ts';

const EXAMPLE = fileURLToPath(new URL('../../config/alerts/subscribers.example.json', import.meta.url));

const HOOK_SECRET = 'hook-secret-0123456789abcdef';
const SMTP_PASSWORD = 's3cr3t-smtp-pass';
const ENV = {
  ALERT_WEBHOOK_SECRET_COMMAND: HOOK_SECRET,
  SMTP_URL: `smtps://alerts:${SMTP_PASSWORD}@smtp.example.gov.cn:465`,
  ALERT_SMS_TOKEN: 'sms-token-xyz',
};

const webhook = { id: 'hook', kind: 'webhook', minSeverity: 'key', url: 'https://h.example/in', secretEnv: 'HOOK' };
const hookEnv = { HOOK: HOOK_SECRET };

/** The problems a config is refused with. */
function problems(raw: unknown, env: NodeJS.ProcessEnv = hookEnv): string[] {
  try {
    parseSubscribers(raw, 'test.json', env);
  } catch (error) {
    expect(error).toBeInstanceOf(SubscriberConfigError);
    expect((error as Error).message).toMatch(/^Alert subscribers test\.json: /);
    return (error as SubscriberConfigError).problems;
  }
  throw new Error('expected the config to be refused');
}

describe('parseSubscribers', () => {
  it('reads the example file with one subscriber of each kind, defaults filled in', () => {
    const subs = loadSubscribers(EXAMPLE, ENV);
    expect(subs.map((s) => [s.id, s.kind])).toEqual([
      ['city-command-platform', 'webhook'],
      ['gusu-duty-mail', 'email'],
      ['leaders-sms', 'sms'],
    ]);
    const [hook, mail, sms] = subs;
    expect(hook).toMatchObject({ timeoutMs: 5000, events: ['raised', 'escalated', 'renotified', 'resolved'] });
    expect(hook?.kind === 'webhook' && hook.secret.reveal()).toBe(HOOK_SECRET);
    expect(mail).toMatchObject({ smtpUrlEnv: 'SMTP_URL', scope: { regions: ['320508'] } });
    expect(sms?.kind === 'sms' && sms.token?.reveal()).toBe('sms-token-xyz');
  });

  it('never shows a secret when a subscriber is printed or serialised', () => {
    const subs = loadSubscribers(EXAMPLE, ENV);
    for (const text of [JSON.stringify(subs), inspect(subs, { depth: 10 }), `${subs.map((s) => Object.values(s))}`]) {
      expect(text).not.toContain(HOOK_SECRET);
      expect(text).not.toContain(SMTP_PASSWORD);
      expect(text).not.toContain('sms-token-xyz');
    }
    expect(JSON.stringify(subs[0])).toContain('"secret":"[redacted]"');
  });

  it('accepts a bare array as the list', () => {
    expect(parseSubscribers([webhook], 'x', hookEnv)).toHaveLength(1);
  });

  it('names the exact field and reason of each problem', () => {
    expect(
      problems({
        subscribers: [
          webhook,
          { ...webhook, id: 'b', url: 'ftp://h.example/x' },
          { ...webhook, id: 'c', url: 'not a url' },
          { ...webhook, id: 'Bad Id' },
          { ...webhook, id: 'e', minSeverity: 'huge' },
          { ...webhook, id: 'f', timeoutMs: 10 },
          { ...webhook, id: 'g', secret: 'inline' },
        ],
      }),
    ).toEqual([
      'subscribers[1].url: must be an https:// or http:// URL',
      'subscribers[2].url: must be an https:// or http:// URL',
      'subscribers[3].id: must be lowercase letters, digits, - and _ only',
      'subscribers[4].minSeverity: must be one of general, key, major, extreme',
      'subscribers[5].timeoutMs: must be at least 100 (milliseconds)',
      'subscribers[6].secret: unknown field',
    ]);
  });

  it('says which kind is unknown and which fields are missing', () => {
    expect(problems({ subscribers: [{ id: 'a', kind: 'pager', minSeverity: 'key' }] })).toEqual([
      'subscribers[0].kind: must be one of webhook, email, sms',
    ]);
    expect(problems({ subscribers: [{ id: 'a', kind: 'webhook' }] })).toEqual([
      'subscribers[0].minSeverity: is required',
      'subscribers[0].url: is required',
      'subscribers[0].secretEnv: is required',
    ]);
    expect(problems({ subscribers: [3] })).toEqual(['subscribers[0]: must be an object with id, kind and minSeverity']);
    expect(problems({ subscriber: [] })).toEqual(['subscribers: is required', 'subscriber: unknown field']);
  });

  it('checks e-mail addresses, mobile numbers, scope lists and events', () => {
    expect(
      problems({
        subscribers: [
          { id: 'm', kind: 'email', minSeverity: 'key', to: ['duty@x.cn', 'nobody'], from: 'a@b.cn' },
          { id: 'n', kind: 'email', minSeverity: 'key', to: [], from: '值班 <bad>' },
          {
            id: 's',
            kind: 'sms',
            minSeverity: 'major',
            url: 'https://s.example',
            to: ['1391234567', '+8613912345678'],
          },
          { ...webhook, id: 'w', scope: { regions: ['3205'], topics: [], kind: ['x'] }, events: ['opened'] },
        ],
      }),
    ).toEqual([
      'subscribers[0].to[1]: must be an e-mail address, e.g. duty@example.gov.cn',
      'subscribers[1].to: must list at least one address',
      'subscribers[1].from: must be an e-mail address, optionally with a name: 稳控预警 <alerts@example.gov.cn>',
      'subscribers[2].to[0]: must be a mainland mobile number of 11 digits, e.g. 13912345678',
      'subscribers[2].to[1]: must be a mainland mobile number of 11 digits, e.g. 13912345678',
      'subscribers[3].scope.regions[0]: must be a 6-digit administrative division code, e.g. 320508',
      'subscribers[3].scope.topics: must list at least one topic code, or be left out to mean any',
      'subscribers[3].scope.kind: unknown field',
      'subscribers[3].events[0]: must be one of raised, escalated, renotified, resolved',
    ]);
  });

  it('refuses repeated ids', () => {
    expect(problems({ subscribers: [webhook, { ...webhook, url: 'https://other.example' }] })).toEqual([
      'subscribers[1].id: repeats subscribers[0].id ("hook")',
    ]);
  });

  it('names an unset or unusable environment variable, never its value', () => {
    const mail = { id: 'm', kind: 'email', minSeverity: 'key', to: ['a@b.cn'], from: 'a@b.cn' };
    const sms = { id: 's', kind: 'sms', minSeverity: 'key', url: 'https://s.example', to: ['13912345678'] };
    expect(
      problems({ subscribers: [webhook, mail, { ...sms, tokenEnv: 'SMS_TOKEN' }] }, { HOOK: 'short', SMTP_URL: '' }),
    ).toEqual([
      'subscribers[0].secretEnv: environment variable HOOK must be at least 16 characters',
      'subscribers[1].smtpUrlEnv: environment variable SMTP_URL is not set',
      'subscribers[2].tokenEnv: environment variable SMS_TOKEN is not set',
    ]);
    const leaked = 'http://user:leaky-password@mail.example';
    const refused = problems({ subscribers: [{ ...mail, smtpUrlEnv: 'MAIL' }] }, { MAIL: leaked });
    expect(refused).toEqual([
      'subscribers[0].smtpUrlEnv: environment variable MAIL must be an smtp:// or smtps:// URL',
    ]);
    expect(refused.join()).not.toContain('leaky-password');
    expect(problems({ subscribers: [webhook] }, {})).toEqual([
      'subscribers[0].secretEnv: environment variable HOOK is not set',
    ]);
  });

  it('names the file when it is not JSON', () => {
    expect(() => loadSubscribers('/nonexistent/subscribers.json', {})).toThrow(/subscribers\.json: not readable/);
  });
});
