import { fail, redirect } from '@sveltejs/kit';
import { MAX_IMPORT_BYTES } from '$server/imports.ts';
import { intakeStaff } from '$lib/server/staff.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({
  canImport: locals.identity.kind === 'user' && ['admin', 'operator'].includes(locals.identity.role),
  maxMegabytes: MAX_IMPORT_BYTES / 1024 / 1024,
});

/** Upload: the file is parsed into a preview; nothing is stored until the operator commits it. */
export const actions: Actions = {
  upload: async ({ request, locals, getClientAddress }) => {
    const me = intakeStaff(locals.identity);
    const form = await request.formData();
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) {
      return fail(400, { message: '请选择登记表文件 · Choose a register file' });
    }
    if (file.size > MAX_IMPORT_BYTES) {
      return fail(413, {
        message: `文件超过 ${MAX_IMPORT_BYTES / 1024 / 1024} MB，请分批导入 · The file is too large; split it`,
      });
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const preview = await locals.app.imports.preview(bytes, file.name, {
      actor: me.userId,
      role: me.role,
      channel: 'register',
      address: getClientAddress(),
    });
    if (!preview.ok) return fail(422, { message: preview.message });
    redirect(303, `/console/import/${preview.id}`);
  },
};
