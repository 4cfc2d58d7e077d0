import type { Handle, HandleServerError } from '@sveltejs/kit';
import { getAppContext } from '$server/context.ts';

/** Headers every answer carries (CSP itself comes from svelte.config.js). */
const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.app = getAppContext();
  const response = await resolve(event);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  return response;
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
