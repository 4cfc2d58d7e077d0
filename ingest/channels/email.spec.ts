import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_TEXT_CHARS } from '../validate.ts';
import type { ChannelRecord } from './adapter.ts';
import { emailToRecord, parseImapUrl } from './email.ts';

const fixture = (name: string) => readFileSync(new URL(`../../tests/fixtures/channels/email/${name}`, import.meta.url));
const NOW = new Date('2026-11-20T08:00:00+08:00');

async function accepted(source: Buffer, position = 'uid:1796124022:7') {
  const record = await emailToRecord(source, position, NOW);
  if (!record.ok) throw new Error(`expected a petition, got a rejection at ${record.stage}: ${record.reason}`);
  return record;
}

/** A small UTF-8 message built in the test, for cases no hand-recorded fixture needs. */
function message(headers: Record<string, string>, body: string): Buffer {
  const all = { From: '"市民" <resident@example.cn>', 'Content-Type': 'text/plain; charset=UTF-8', ...headers };
  const head = Object.entries(all)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n');
  return Buffer.from(`${head}\r\n\r\n${body}`);
}

describe('emailToRecord', () => {
  it('decodes a GB2312 B-encoded subject and a GB2312 text/plain body', async () => {
    const source = fixture('gb2312-plain.eml');
    const record = await accepted(source);
    expect(record.input.channel).toBe('email');
    expect(record.input.text).toMatch(/^关于小区加装电梯夜间施工噪音扰民的反映\n尊敬的领导：\n\n您好！我是姑苏区/);
    expect(record.input.text).toMatch(/王秀英\n2026年11月16日$/);
    expect(record.input.receivedAt).toBe('2026-11-16T01:12:33.000Z');
    expect(record.input.externalId).toBe('5f3a2c1e.1b2d.18c2a7f4e21.Coremail.wang.xiuying@163.com');
    expect(record.input.contact).toEqual({ name: '王秀英', email: 'wang.xiuying@163.com' });
    expect(record.original).toEqual({
      format: 'email',
      content: source.toString('base64'),
      position: 'uid:1796124022:7',
    });
    expect(record.attachments).toBeUndefined();
  });

  it('reduces an HTML-only body to text: line breaks kept, no image or link clutter', async () => {
    const record = await accepted(fixture('utf8-html.eml'));
    const text = record.input.text;
    // The subject came as two UTF-8 Q-encoded words on a folded line.
    expect(text.split('\n')[0]).toBe('宝带西路路口红绿灯损坏两周无人维修');
    expect(text).toContain('反映人：李建国'); // an <h3>, not upper-cased or underlined
    expect(text).toContain('抢行，\n上周已经发生两起剐蹭事故。'); // <br>
    expect(text).toContain('\n\n希望尽快派人维修。'); // <p>
    expect(text).toContain('详见 网友发布的视频。');
    expect(text).not.toMatch(/https?:|cid:|\[|<|font-size|\n{3}/);
    expect(record.input.contact).toEqual({ name: '李建国', email: 'lijianguo1972@qq.com' });
    expect(record.input.externalId).toBe('tencent_3B9F0A1C2D4E5F60718293A4B5C6D7E8F906@qq.com');
  });

  it('keeps the cells of an HTML table apart', async () => {
    const html = '<table><tr><th>item</th><th>金额</th></tr><tr><td>wages owed</td><td>18.6万元</td></tr></table>';
    const source = message(
      { Subject: '表格', 'Message-ID': '<t@x>', 'Content-Type': 'text/html; charset=UTF-8' },
      html,
    );
    const lines = (await accepted(source)).input.text.split('\n');
    expect(lines.slice(1).map((line) => line.split(/\s{2,}/))).toEqual([
      ['item', '金额'],
      ['wages owed', '18.6万元'],
    ]);
  });

  it('keeps attachments with their decoded file names, types and bytes', async () => {
    const record = await accepted(fixture('attachments.eml'));
    expect(record.input.text).toMatch(/^关于拖欠农民工工资的投诉（附欠条）\n您好：/);
    expect(record.attachments?.map((a) => [a.filename, a.contentType])).toEqual([
      ['工资欠条.pdf', 'application/pdf'],
      ['IMG_20261115_163022.jpg', 'image/jpeg'],
    ]);
    const [pdf, jpeg] = record.attachments!;
    expect(Buffer.from(pdf!.content).subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    expect(Buffer.from(pdf!.content).toString('latin1')).toMatch(/%%EOF\n$/);
    expect([...jpeg!.content.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect([...jpeg!.content.subarray(-2)]).toEqual([0xff, 0xd9]);
    // The petition text does not repeat what is in the files.
    expect(record.input.text).not.toContain('%PDF');
  });

  it('drops detached signatures and names an attachment that came without a file name', async () => {
    const boundary = 'b1';
    const source = message(
      { Subject: 'signed', 'Content-Type': `multipart/mixed; boundary="${boundary}"` },
      [
        `--${boundary}\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n正文\r\n`,
        `--${boundary}\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n`,
        `--${boundary}\r\nContent-Type: application/pkcs7-signature; name="smime.p7s"\r\nContent-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHAqCAMIACAQEx\r\n`,
        `--${boundary}--\r\n`,
      ].join(''),
    );
    const record = await accepted(source);
    expect(record.attachments?.map((a) => [a.filename, a.contentType])).toEqual([
      ['attachment-1.pdf', 'application/pdf'],
    ]);
  });

  it('falls back to the UID position for a missing Message-ID and to now for a missing Date', async () => {
    const record = await accepted(fixture('no-message-id.eml'), 'uid:1796124022:42');
    expect(record.input.externalId).toBe('uid:1796124022:42');
    expect(record.input.receivedAt).toBe(NOW.toISOString());
    expect(record.input.text).toMatch(/^建议增设社区老年食堂\n建议在虎丘街道/);
    // A bare address: no display name to report.
    expect(record.input.contact).toEqual({ email: 'chen_min@sina.cn' });
  });

  it('uses now for a Date in the future or before 2000, and keeps a plausible one', async () => {
    const at = async (date: string) =>
      (await accepted(message({ Subject: '时间', Date: date, 'Message-ID': '<d@x>' }, '正文'))).input.receivedAt;
    expect(await at('Fri, 20 Nov 2026 10:00:00 +0800')).toBe(NOW.toISOString()); // two hours ahead
    expect(await at('Thu, 01 Jan 1970 00:00:00 +0000')).toBe(NOW.toISOString());
    expect(await at('not a date')).toBe(NOW.toISOString());
    expect(await at('Fri, 20 Nov 2026 07:30:00 +0800')).toBe('2026-11-19T23:30:00.000Z');
  });

  it('caps a very long message at the intake limit with a note instead of rejecting it', async () => {
    const body = '楼上漏水。'.repeat(6_000); // 30,000 characters
    const record = await accepted(message({ Subject: '漏水', 'Message-ID': '<long@x>' }, body));
    expect(record.input.text.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    expect(record.input.text.length).toBeGreaterThan(MAX_TEXT_CHARS - 100);
    expect(record.input.text).toMatch(/^漏水\n楼上漏水。/);
    expect(record.input.text).toMatch(/邮件正文共 30003 字，超过 20000 字上限.*全文见邮件原件。】$/);
  });

  it('does not split a surrogate pair where it cuts', async () => {
    const record = await accepted(message({ Subject: 'x', 'Message-ID': '<emoji@x>' }, '😀'.repeat(15_000)));
    expect(record.input.text).not.toContain('\uFFFD');
    expect(record.input.text.isWellFormed()).toBe(true);
  });

  it('hashes a Message-ID too long to be an external id, so repeats still match', async () => {
    const id = `<${'a'.repeat(250)}@example.cn>`;
    const one = await accepted(message({ Subject: '长', 'Message-ID': id }, '正文'));
    const two = await accepted(message({ Subject: '长', 'Message-ID': id }, '正文'), 'uid:1:2');
    expect(one.input.externalId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(two.input.externalId).toBe(one.input.externalId);
  });

  it('leaves the name out when the display name is the address itself', async () => {
    const source = message({ From: '"li@example.cn" <li@example.cn>', Subject: '名字', 'Message-ID': '<n@x>' }, '正文');
    expect((await accepted(source)).input.contact).toEqual({ email: 'li@example.cn' });
  });

  it('rejects a message with no subject and no body at validate, with the field', async () => {
    const record = await emailToRecord(fixture('empty-body.eml'), 'uid:1:5', NOW);
    expect(record).toMatchObject({
      ok: false,
      stage: 'validate',
      fields: [{ field: 'text', message: 'is empty' }],
      original: { format: 'email', position: 'uid:1:5' },
    });
  });

  it('rejects what is not an e-mail at parse, keeping the bytes', async () => {
    const source = fixture('broken.eml');
    const record: ChannelRecord = await emailToRecord(source, 'uid:1:6', NOW);
    expect(record).toMatchObject({ ok: false, stage: 'parse', reason: expect.stringMatching(/no header lines/) });
    expect(Buffer.from(record.original.content, 'base64').equals(source)).toBe(true);

    expect(await emailToRecord(Buffer.alloc(0), 'uid:1:7', NOW)).toMatchObject({
      ok: false,
      stage: 'parse',
      reason: 'the message is empty',
    });
    expect(await emailToRecord(Buffer.from('\r\n\r\n  \r\n'), 'uid:1:8', NOW)).toMatchObject({ stage: 'parse' });
  });

  it('reports a sender address validation refuses at validate rather than throwing', async () => {
    const source = message({ From: `"${'名'.repeat(10)}" <${'x'.repeat(70)}@example.cn>`, Subject: '地址' }, '正文');
    const record = await emailToRecord(source, 'uid:1:9', NOW);
    expect(record).toMatchObject({ ok: false, stage: 'validate', fields: [{ field: 'contact.email' }] });
  });
});

describe('parseImapUrl', () => {
  it('reads imaps and imap URLs with their default ports and INBOX', () => {
    expect(parseImapUrl('imaps://petitions:s3cret@mail.example.cn:993/INBOX')).toEqual({
      host: 'mail.example.cn',
      port: 993,
      secure: true,
      user: 'petitions',
      password: 's3cret',
      mailbox: 'INBOX',
    });
    expect(parseImapUrl('imap://petitions:s3cret@10.0.0.5')).toEqual({
      host: '10.0.0.5',
      port: 143,
      secure: false,
      user: 'petitions',
      password: 's3cret',
      mailbox: 'INBOX',
    });
    expect(parseImapUrl('imaps://u:p@mail.example.cn')).toMatchObject({ port: 993, mailbox: 'INBOX' });
  });

  it('percent-decodes the user, password and mailbox, and unbrackets IPv6', () => {
    expect(parseImapUrl('imaps://xinfang%40wenkong.gov.cn:p%40ss%3Aw%2Ford@[::1]:1993/%E4%BF%A1%E8%AE%BF')).toEqual({
      host: '::1',
      port: 1993,
      secure: true,
      user: 'xinfang@wenkong.gov.cn',
      password: 'p@ss:w/ord',
      mailbox: '信访',
    });
    expect(parseImapUrl('imap://u:p@h:143/INBOX/Petitions/')).toMatchObject({ mailbox: 'INBOX/Petitions' });
  });

  it('says what is wrong with a malformed URL, never echoing the password', () => {
    const cases: [string, RegExp][] = [
      ['', /not a URL/],
      ['mail.example.cn', /not a URL/],
      ['https://u:topsecret@mail.example.cn/INBOX', /must start with imaps:\/\/ or imap:\/\/, not https:/],
      ['imaps://mail.example.cn/INBOX', /no user name/],
      ['imaps://petitions@mail.example.cn/INBOX', /no password/],
      ['imaps://u:topsecret@mail.example.cn:99999/INBOX', /not a URL/],
      ['imaps://u:topsecret@mail.example.cn:0/INBOX', /port 0/],
      ['imaps://u:topsecret@mail.example.cn/INBOX?tls=off', /query or fragment/],
      ['imaps://u:top%E4secret@mail.example.cn/INBOX', /malformed %-escape/],
    ];
    for (const [url, message] of cases) {
      expect(() => parseImapUrl(url), url).toThrow(message);
      expect(() => parseImapUrl(url), url).not.toThrow(/topsecret|top%E4secret/);
    }
  });
});
