import type { Handle, HandleServerError } from '@sveltejs/kit';
import { getAppContext } from '$server/context.ts';

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.app = getAppContext();
  return resolve(event);
};

/** Unexpected errors are logged with their stack; the client only gets a plain message. */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
  if (status >= 500) {
    try {
      getAppContext().log.error(`${event.request.method} ${event.url.pathname} failed`, error);
    } catch {
      process.stderr.write(`${event.url.pathname} failed: ${String(error)}\n`);
    }
    return { message: '服务器内部错误 · Internal server error' };
  }
  return { message };
};
