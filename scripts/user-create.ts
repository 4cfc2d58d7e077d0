/**
 * `npm run user:create -- <username> <role> [--display-name 名字] [--department D] [--agency A]`: creates
 * an account (the first admin, typically). The password comes from WENKONG_PASSWORD when set, else from
 * the first line of standard input (typed without echo on a terminal, or piped). It is never printed.
 * Exits 2 on bad arguments or a password the rules refuse, 1 on any other failure.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { migrate } from '../db/migrate.ts';
import { openDb } from '../db/open.ts';
import { isUserRole, USER_ROLES } from '../db/queries/users.ts';
import { AccountError, checkUsername, createUser, normaliseUsername } from '../server/auth/login.ts';
import { checkPasswordRules } from '../server/auth/passwords.ts';
import { loadConfig } from '../server/config.ts';

const USAGE =
  'usage: npm run user:create -- <username> <role> [--display-name 名字] [--department D] [--agency A]\n' +
  `roles: ${USER_ROLES.join(', ')}\n` +
  'password: WENKONG_PASSWORD, or one line on standard input\n';

function fail(code: number, message: string): never {
  process.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
  process.exit(code);
}

/** One line from a terminal, echoing nothing. */
function readHiddenLine(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve) => {
    let line = '';
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          fail(130, '\n');
        } else if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          stdin.setRawMode(false);
          stdin.off('data', onData);
          stdin.pause();
          process.stderr.write('\n');
          resolve(line);
          return;
        } else if (ch === '\u007f' || ch === '\b') {
          line = [...line].slice(0, -1).join('');
        } else {
          line += ch;
        }
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}

/** The first line of piped standard input ('' when there is none). */
async function readFirstLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  try {
    for await (const line of rl) return line;
    return '';
  } finally {
    rl.close();
  }
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      'display-name': { type: 'string' },
      department: { type: 'string' },
      agency: { type: 'string' },
    },
  });
} catch (error) {
  fail(2, `user:create: ${(error as Error).message}\n${USAGE}`);
}
const [rawUsername, role, ...extra] = parsed.positionals;
if (!rawUsername || !role || extra.length) fail(2, USAGE);
if (!isUserRole(role)) fail(2, `user:create: unknown role "${role}"\n${USAGE}`);
const username = normaliseUsername(rawUsername);
const nameProblems = checkUsername(username);
if (nameProblems.length) fail(2, `user:create: ${nameProblems.join('\n')}`);

const fromEnv = process.env.WENKONG_PASSWORD;
const password =
  fromEnv !== undefined && fromEnv !== ''
    ? fromEnv
    : process.stdin.isTTY
      ? await readHiddenLine(`password for ${username}: `)
      : await readFirstLine();
const problems = checkPasswordRules(password, username);
if (problems.length) fail(2, `user:create: the password is too weak:\n${problems.map((p) => `  - ${p}`).join('\n')}`);

try {
  const db = await openDb(loadConfig());
  try {
    await migrate(db);
    const user = await createUser(
      db,
      {
        username,
        password,
        role,
        displayName: parsed.values['display-name'],
        department: parsed.values.department ?? null,
        agency: parsed.values.agency ?? null,
      },
      new Date(),
    );
    process.stdout.write(`created ${user.username} (${user.role})\n`);
  } finally {
    await db.close();
  }
} catch (error) {
  if (error instanceof AccountError) fail(2, `user:create: ${error.problems.join('\n')}`);
  fail(1, `user:create: ${(error as Error).message}`);
}
