import { error } from '@sveltejs/kit';
import { findDeadLetter } from '$db/queries/dead-letters.ts';
import { isUuid, seesInClear } from '$lib/server/confidential.ts';
import { EDITABLE_FORMATS, readDeadLetterPayload } from '$server/dead-letters.ts';
import { _deadLetterView, _timeFormat } from '../+page.server.ts';
import type { PageServerLoad } from './$types';

/**
 * One dead letter. Admins and operators also get the payload in clear (each view is audited as
 * dead_letter.read) and may correct and retry it; a duty leader sees the masked preview only.
 */
export const load: PageServerLoad = async ({ locals, params, getClientAddress }) => {
  if (!isUuid(params.id)) error(404, '没有这条死信 · No such dead letter');
  const app = locals.app;
  const letter = await findDeadLetter(app.db, params.id);
  if (!letter) error(404, '没有这条死信 · No such dead letter');
  const me = locals.identity;
  let payload: string | null = null;
  if (seesInClear(me)) {
    payload = await readDeadLetterPayload(
      { db: app.db, sealer: app.sealer, submit: app.pipeline.submit, remapContext: app.remapContext, now: app.now },
      letter,
      { userId: me.userId, role: me.role, address: getClientAddress() },
    );
  }
  return {
    letter: _deadLetterView(letter, _timeFormat(app.region.timezone)),
    canAct: seesInClear(me),
    editable: EDITABLE_FORMATS.has(letter.format),
    payload,
  };
};

// The same retry and discard as the list; `content` carries an operator's correction.
export { actions } from '../+page.server.ts';
