import { createTransport } from 'nodemailer';
import type { EmailSubscriber } from './config.ts';
import type { EmailContent } from './render.ts';
import { type OutgoingDelivery, redact, type SendOutcome } from './webhook.ts';

/**
 * E-mail deliveries over SMTP (nodemailer). The SMTP URL comes from the environment variable the
 * subscriber names (SMTP_URL by default), e.g. `smtps://alerts:<password>@smtp.example.gov.cn:465`.
 */

/** The whole attempt (connect, greeting, auth, data) must finish within this. */
export const EMAIL_TIMEOUT_MS = 30_000;

/** The part of nodemailer's error we read. */
interface SmtpError {
  message?: string;
  code?: string;
  responseCode?: number;
  permanent?: boolean;
  name?: string;
}

/** Errors raised before anything was sent that no retry will fix: a bad envelope or configuration. */
const PERMANENT_WITHOUT_REPLY = new Set(['ECONFIG', 'EENVELOPE', 'EMESSAGE']);

/** The password inside an SMTP URL, as written and decoded: neither may reach the delivery log. */
function urlSecrets(url: string): string[] {
  const out = [url];
  try {
    const { password } = new URL(url);
    if (password) out.push(password, decodeURIComponent(password));
  } catch {
    // Checked when the config was loaded; nothing more to hide.
  }
  return out;
}

/**
 * An SMTP reply 5xx is final (mailbox unknown, policy refusal); 4xx, connection errors and timeouts
 * are transient. nodemailer marks 503 (bad sequence) transient too, and we follow it.
 */
export function classifySmtpError(error: unknown, secrets: readonly string[] = []): SendOutcome {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SmtpError;
  const message = redact(e.message ?? String(error), secrets)
    .replace(/\s+/g, ' ')
    .trim();
  const status = typeof e.responseCode === 'number' ? e.responseCode : null;
  if (status !== null) {
    const permanent = typeof e.permanent === 'boolean' ? e.permanent : status >= 500;
    return { ok: false, retry: !permanent, status, error: `SMTP ${status}: ${message}` };
  }
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'EABORT') {
    return { ok: false, retry: true, status: null, error: `no answer within ${EMAIL_TIMEOUT_MS} ms` };
  }
  const permanent = e.code !== undefined && PERMANENT_WITHOUT_REPLY.has(e.code);
  return { ok: false, retry: !permanent, status: null, error: `${e.code ? `${e.code}: ` : ''}${message}` };
}

export interface EmailSender {
  send(subscriber: EmailSubscriber, delivery: OutgoingDelivery, content: EmailContent): Promise<SendOutcome>;
  /** Closes the transports it opened. */
  close(): void;
}

/** Sends alert e-mails, one transport per SMTP URL (subscribers usually share one). */
export function createEmailSender(timeoutMs = EMAIL_TIMEOUT_MS): EmailSender {
  const transports = new Map<string, ReturnType<typeof createTransport>>();
  const transportFor = (url: string) => {
    let t = transports.get(url);
    if (!t) {
      // createTransport(url) with nodemailer's defaults would wait up to 10 minutes on a silent socket.
      const idle = Math.min(timeoutMs, 30_000);
      t = createTransport({ url, connectionTimeout: idle, greetingTimeout: idle, socketTimeout: idle });
      transports.set(url, t);
    }
    return t;
  };
  return {
    async send(subscriber, delivery, content) {
      const url = subscriber.smtpUrl.reveal();
      try {
        const info = await transportFor(url).sendMail({
          from: subscriber.from,
          to: subscriber.to,
          subject: content.subject,
          text: content.text,
          html: content.html,
          // The same Message-ID on every retry: a mail system that got it once can drop the copy.
          messageId: `<${delivery.id}@alerts.wenkong>`,
          headers: { 'X-Wenkong-Delivery': delivery.id, 'X-Wenkong-Event': delivery.event },
          signal: AbortSignal.timeout(timeoutMs),
        });
        const code = /^\d{3}/.exec(info.response ?? '');
        const status = code ? Number(code[0]) : null;
        // Some recipients refused but at least one accepted: delivered, and the refusals are said.
        const rejected = info.rejected ?? [];
        return rejected.length > 0
          ? { ok: true, status, note: `${rejected.length} of ${subscriber.to.length} recipients refused` }
          : { ok: true, status };
      } catch (error) {
        return classifySmtpError(error, urlSecrets(url));
      }
    },
    close() {
      for (const t of transports.values()) t.close();
      transports.clear();
    },
  };
}
