/**
 * Password hashing (argon2id, @node-rs/argon2) and the password rules. Problems are worded for the
 * person choosing the password: Chinese first, then English, like every message in the console.
 */
import { hash, verify, type Options } from '@node-rs/argon2';

/**
 * OWASP's first argon2id configuration (19 MiB, 2 passes, 1 lane): ~30 ms a hash on one core, which
 * keeps a login cheap for us and a guess expensive for anyone holding a dump.
 */
const ARGON2_OPTIONS: Options = {
  // Algorithm.Argon2id; the enum is `const` and cannot be imported under isolatedModules.
  algorithm: 2,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
};

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
/** Long enough to be a passphrase: no mix of character classes asked for. */
export const PASSPHRASE_LENGTH = 16;

/** Hashes a password to a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) with a fresh salt. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** Whether `password` matches the stored hash; false (not an error) for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * Passwords that lists of leaked passwords put at the top (and their Chinese-keyboard favourites).
 * Compared after lower-casing and stripping digits and symbols from both ends, so `Password2024!`
 * counts as `password`.
 */
const COMMON_PASSWORDS = new Set([
  '123456',
  '12345678',
  '123456789',
  '1234567890',
  '123456abc',
  '123123',
  '111111',
  '000000',
  '5201314',
  '1314520',
  '88888888',
  '66666666',
  'password',
  'passw0rd',
  'p@ssw0rd',
  'p@ssword',
  'admin',
  'admin123',
  'administrator',
  'root',
  'qwerty',
  'qwertyuiop',
  'qwerty123',
  'asdfgh',
  'asdfghjkl',
  'zxcvbnm',
  '1qaz2wsx',
  '1q2w3e4r',
  'qazwsx',
  'abc123',
  'abcd1234',
  'aa123456',
  'a123456',
  'iloveyou',
  'woaini',
  'woaini1314',
  'letmein',
  'welcome',
  'changeme',
  'dragon',
  'monkey',
  'football',
  'baseball',
  'superman',
  'master',
  'shadow',
  'sunshine',
  'trustno1',
  'wenkong',
  'xinfang',
]);

const EDGE_DIGITS_AND_SYMBOLS = /^[^\p{L}]+|[^\p{L}]+$/gu;

function isCommon(password: string): boolean {
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return true;
  const core = lower.replace(EDGE_DIGITS_AND_SYMBOLS, '');
  // A core of all letters alone ("admin" in "admin123456!") is as guessable as the word itself.
  return core !== '' && COMMON_PASSWORDS.has(core);
}

function classesIn(password: string): number {
  return [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u].filter((re) => re.test(password)).length;
}

/**
 * What is wrong with `password` for the account `username`: an empty list when it may be used. Lengths
 * count characters (code points), so a Chinese passphrase counts as what it looks like.
 */
export function checkPasswordRules(password: string, username: string): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    problems.push(`密码至少需要 ${PASSWORD_MIN_LENGTH} 个字符 · Use at least ${PASSWORD_MIN_LENGTH} characters`);
  }
  if (length > PASSWORD_MAX_LENGTH) {
    problems.push(`密码不能超过 ${PASSWORD_MAX_LENGTH} 个字符 · Use at most ${PASSWORD_MAX_LENGTH} characters`);
  }
  const name = username.trim().toLowerCase();
  if (name.length >= 3 && password.toLowerCase().includes(name)) {
    problems.push('密码不能包含用户名 · Do not include the username');
  }
  if (length < PASSPHRASE_LENGTH && classesIn(password) < 3) {
    problems.push(
      `请至少混用小写字母、大写字母、数字、符号中的三类，或使用 ${PASSPHRASE_LENGTH} 个以上字符 · ` +
        `Mix at least three of lower-case, upper-case, digits and symbols, or use ${PASSPHRASE_LENGTH} characters or more`,
    );
  }
  if (isCommon(password)) {
    problems.push('密码过于常见，容易被猜中 · This password is too common to be safe');
  }
  return problems;
}
