import { error } from '@sveltejs/kit';
import { maskText } from '$ingest/mask.ts';
import { intakeStaff } from '$lib/server/staff.ts';
import type { Actions, PageServerLoad } from './$types';

const FIELD_NAMES: Record<string, string> = {
  externalId: '登记编号 register no.',
  receivedAt: '时间 received',
  name: '姓名 name',
  phone: '电话 phone',
  idNumber: '身份证号 ID number',
  address: '地址 address',
  email: '邮箱 e-mail',
  region: '区域 district',
  text: '诉求内容 text',
  title: '标题 title',
  channel: '形式 channel',
  matterKind: '类别 kind',
  accusedUnit: '被反映单位 accused unit',
};

/** The preview: how the columns were read, the first rows as they will be stored, and what fails. */
export const load: PageServerLoad = ({ locals, params }) => {
  const me = intakeStaff(locals.identity);
  const parse = locals.app.imports.parseOf(params.id, me.userId);
  const progress = locals.app.imports.progress(params.id, me.userId);
  if (!parse || !progress) error(404, '没有这次导入（或已过期）· No such import (or it expired)');
  const rejected = parse.records.filter((r) => !r.ok);
  return {
    progress,
    format: parse.format,
    encoding: parse.encoding,
    sheet: parse.sheet,
    headers: parse.headers.map((h) => ({
      header: h.header,
      field: h.field ? (FIELD_NAMES[h.field] ?? h.field) : null,
    })),
    unmapped: parse.unmappedHeaders,
    valid: parse.records.length - rejected.length,
    sample: parse.records.slice(0, 20).map((r) =>
      r.ok
        ? {
            ok: true,
            position: r.original.position ?? '',
            text: maskText(r.input.text).slice(0, 120),
            channel: r.input.channel,
            receivedAt: r.input.receivedAt ?? '',
            region: r.input.regionCode ?? '',
          }
        : {
            ok: false,
            position: r.original.position ?? '',
            text: '',
            channel: '',
            receivedAt: '',
            region: '',
            reason: r.reason,
          },
    ),
    rejections: rejected
      .slice(0, 200)
      .map((r) => ({ position: r.original.position ?? '', reason: r.ok ? '' : r.reason })),
    rejectedCount: rejected.length,
  };
};

export const actions: Actions = {
  commit: ({ locals, params }) => {
    const me = intakeStaff(locals.identity);
    const progress = locals.app.imports.commit(params.id, me.userId);
    if (!progress) error(404, '没有这次导入（或已过期）· No such import (or it expired)');
    return { progress };
  },
};
