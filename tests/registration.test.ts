import { parse } from 'devalue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAttachments } from '../db/queries/originals.ts';
import { findContact, findPetition } from '../db/queries/petitions.ts';
import { postAction, signInAs } from './helpers/sign-in.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

/** Form-action data, as SvelteKit serialises it (devalue). */
const actionData = (data: string | undefined): unknown => parse(data ?? 'null');

describe('registering letters and visits', () => {
  let server: TestServer;
  let operator: string;
  let leader: string;
  beforeAll(async () => {
    server = await startTestServer('pglite');
    operator = await signInAs(server, 'operator');
    leader = await signInAs(server, 'duty_leader');
  });
  afterAll(async () => {
    await server.stop();
  });

  function letter(fields: Record<string, string>, scan?: File): FormData {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    if (scan) form.append('scans', scan);
    return form;
  }
  const base = {
    channel: 'letter',
    receivedAt: '2026-11-30T09:30',
    name: '刘芳',
    phone: '13611112222',
    address: '苏州市太仓市城厢镇新华路8号',
    matterKind: 'grievance',
    text: '来信反映太仓市某物业公司擅自提高物业费并停止电梯维保，业主多次投诉无果，请求主管部门督促整改。',
  };

  it('stores a letter with its scan, contact sealed and placed by address', async () => {
    const scan = new File([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31])], '来信扫描.pdf', {
      type: 'application/pdf',
    });
    const r = await postAction(server, '/console/register?/register', operator, letter(base, scan));
    expect(r.type).toBe('success');
    const { stored } = actionData(r.data) as { stored: { id: string; attachments: number } };
    expect(stored.attachments).toBe(1);
    expect(await findPetition(server.app.db, stored.id)).toMatchObject({ channel: 'letter', regionCode: '320585' });
    const contact = await findContact(server.app.db, stored.id);
    expect(server.app.sealer.unseal(contact!.keyId, contact!.sealed)).toMatchObject({
      name: '刘芳',
      address: base.address,
    });
    const files = await listAttachments(server.app.db, stored.id);
    expect(files).toMatchObject([{ filename: '来信扫描.pdf', contentType: 'application/pdf', sizeBytes: 6 }]);
  });

  it('hints that the same person or matter is on file, and registers once confirmed', async () => {
    const visit = { ...base, channel: 'visit', text: `${base.text}今天到信访接待大厅当面反映。` };
    const hinted = await postAction(server, '/console/register?/register', operator, letter(visit));
    expect(hinted.type).toBe('failure');
    expect(hinted.actionStatus).toBe(409);
    const data = actionData(hinted.data) as { duplicates: { samePerson: boolean; similarity: number }[] };
    expect(data.duplicates.length).toBeGreaterThan(0);
    expect(data.duplicates[0]!.samePerson).toBe(true);
    const confirmed = await postAction(
      server,
      '/console/register?/register',
      operator,
      letter({ ...visit, confirmDuplicate: 'yes' }),
    );
    expect(confirmed.type).toBe('success');
  });

  it('says which fields are wrong, and refuses duty leaders', async () => {
    const bad = await postAction(
      server,
      '/console/register?/register',
      operator,
      letter({ ...base, channel: 'visit', name: '', receivedAt: '', idNumber: '123', text: '' }),
    );
    expect(bad.actionStatus).toBe(422);
    const { problems } = actionData(bad.data) as { problems: { field: string }[] };
    expect(problems.map((p) => p.field).sort()).toEqual(
      expect.arrayContaining(['idNumber', 'name', 'receivedAt', 'text']),
    );
    const wrongType = await postAction(
      server,
      '/console/register?/register',
      operator,
      letter(base, new File(['x'], 'a.exe', { type: 'application/x-msdownload' })),
    );
    expect(wrongType.actionStatus).toBe(422);
    const refused = await postAction(server, '/console/register?/register', leader, letter(base));
    expect(refused.status === 403 || refused.actionStatus === 403).toBe(true);
  });
});
