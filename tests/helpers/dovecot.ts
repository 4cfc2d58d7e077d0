import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const DOVECOT = '/usr/sbin/dovecot';
const HOST = '127.0.0.1';
/** How long a fresh instance may take to greet (it forks auth, login and config processes first). */
const START_TIMEOUT_MS = 15_000;

/** A private Dovecot IMAP server with one user and an empty INBOX. */
export interface TestDovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Stops the server and removes its directory (configuration, mail, logs). */
  stop(): Promise<void>;
}

/**
 * Starts Dovecot (Debian's dovecot-imapd) on a free loopback port with its own configuration in a
 * temporary directory; the system configuration and mail are never touched. Plain-text IMAP, no TLS,
 * one passwd-file user. Resolves once the server sends its real greeting.
 */
export async function startDovecot(): Promise<TestDovecot> {
  if (!existsSync(DOVECOT)) {
    throw new Error(`${DOVECOT} is missing; the IMAP tests need Dovecot: apt-get install dovecot-imapd`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'wenkong-dovecot-'));
  let child: ChildProcess | null = null;
  try {
    const user = 'petitions';
    const password = randomBytes(9).toString('base64url');
    const port = await freePort();
    const conf = writeConfig(dir, user, password, port);

    const output: string[] = [];
    const started = spawn(DOVECOT, ['-F', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    started.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    started.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    let exited: string | null = null;
    started.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? `code ${code}`}`;
    });
    started.once('error', (error) => {
      exited = `could not be started: ${error.message}`;
    });

    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (exited) throw new Error(`dovecot ${exited}:\n${output.join('')}${logTail(dir)}`);
      if (await greets(port)) break;
      if (Date.now() > deadline) {
        throw new Error(`dovecot did not greet on ${HOST}:${port} within ${START_TIMEOUT_MS} ms${logTail(dir)}`);
      }
      await sleep(50);
    }

    return {
      host: HOST,
      port,
      user,
      password,
      async stop() {
        await kill(started);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (child) await kill(child);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The configuration, kept to what an IMAP login needs. Every path Dovecot writes (sockets, state,
 * logs, mail) is under `dir`, so parallel test files each get their own instance.
 */
function writeConfig(dir: string, user: string, password: string, port: number): string {
  // Dovecot's auth process runs as the internal user and must reach the passwd-file.
  chmodSync(dir, 0o755);
  const mail = join(dir, 'mail');
  mkdirSync(mail);
  const passwd = join(dir, 'users');
  // No uid/gid columns: passwd-file refuses uid 0, and mail_uid below says who owns the mail.
  writeFileSync(passwd, `${user}:{PLAIN}${password}::::::\n`, { mode: 0o644 });

  const lines = [
    'listen = 127.0.0.1',
    'protocols = imap',
    'ssl = no',
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    `base_dir = ${join(dir, 'run')}`,
    `state_dir = ${join(dir, 'state')}`,
    `log_path = ${join(dir, 'dovecot.log')}`,
    `mail_location = maildir:${mail}/%u`,
    'passdb {',
    '  driver = passwd-file',
    `  args = scheme=PLAIN username_format=%u ${passwd}`,
    '}',
    'userdb {',
    '  driver = passwd-file',
    `  args = username_format=%u ${passwd}`,
    '}',
    'service imap-login {',
    '  inet_listener imap {',
    `    address = ${HOST}`,
    `    port = ${port}`,
    '  }',
    // The built-in defaults also listen on 993; two instances (parallel test files) would clash.
    '  inet_listener imaps {',
    '    port = 0',
    '  }',
    '}',
  ];

  if (process.getuid?.() === 0) {
    // As root (CI), Dovecot drops privileges to the users the Debian package created, and refuses
    // to let a mail process run as root ("Mail access not allowed for root"), so mail belongs to
    // `dovecot`. first_valid_uid/gid default to 500, above Debian's system users.
    const owner = systemUser('dovecot');
    systemUser('dovenull');
    chownSync(mail, owner.uid, owner.gid);
    lines.push(
      'default_internal_user = dovecot',
      'default_login_user = dovenull',
      'mail_uid = dovecot',
      'mail_gid = dovecot',
      `first_valid_uid = ${owner.uid}`,
      `first_valid_gid = ${owner.gid}`,
    );
  } else {
    // As an ordinary user every process runs as that user, and none can chroot.
    const me = userInfo();
    lines.push(
      `default_internal_user = ${me.username}`,
      `default_internal_group = ${groupName(me.gid)}`,
      `default_login_user = ${me.username}`,
      `first_valid_uid = ${me.uid}`,
      `first_valid_gid = ${me.gid}`,
      'service imap-login {',
      '  chroot =',
      '}',
      'service anvil {',
      '  chroot =',
      '}',
    );
  }
  const conf = join(dir, 'dovecot.conf');
  writeFileSync(conf, lines.join('\n') + '\n');
  return conf;
}

function systemUser(name: string): { uid: number; gid: number } {
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === name);
  if (!entry) {
    throw new Error(`user "${name}" does not exist; it comes with Debian's package: apt-get install dovecot-imapd`);
  }
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

/** Dovecot's settings take a group by name; a gid without an /etc/group entry is used as-is. */
function groupName(gid: number): string {
  const entry = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[2] === String(gid));
  return entry?.[0] ?? String(gid);
}

/** A port the kernel just handed out; nothing else on the machine asked for it since. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}

/**
 * Whether the server sends its real greeting. Right after start the login process may greet with
 * "Waiting for authentication process to respond" first; the CAPABILITY greeting follows once auth
 * is up, and only then will a LOGIN go through at once.
 */
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    let received = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 2_000);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (/^\* OK \[CAPABILITY /m.test(received)) done(true);
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}

/** SIGTERM (the master stops its children), SIGKILL if it has not exited after 5 s. */
async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function logTail(dir: string): string {
  try {
    const log = readFileSync(join(dir, 'dovecot.log'), 'utf8').trim().split('\n').slice(-20).join('\n');
    return log ? `\ndovecot.log:\n${log}` : '';
  } catch {
    return '';
  }
}
