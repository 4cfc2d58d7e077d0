/**
 * The e-mail channel: petitions sent to an IMAP mailbox. `emailToRecord` maps one message
 * (./email-message.ts); `createImapPoller` reads the mailbox and `parseImapUrl` its address from
 * `IMAP_URL` (./email-imap.ts). Import the channel from here.
 */
export { emailToRecord } from './email-message.ts';
export {
  createImapPoller,
  type ImapConfig,
  type ImapPollerDeps,
  type ImapPollResult,
  parseImapUrl,
  PROCESSED_KEYWORD,
} from './email-imap.ts';
