import { describe, expect, it } from 'vitest';
import { checkPasswordRules, hashPassword, verifyPassword } from './passwords.ts';

describe('checkPasswordRules', () => {
  it('accepts a long mixed password and a long passphrase of one class', () => {
    expect(checkPasswordRules('Blue-Kettle-42', 'zhangsan')).toEqual([]);
    expect(checkPasswordRules('correct horse battery staple', 'zhangsan')).toEqual([]);
    expect(checkPasswordRules('春眠不觉晓处处闻啼鸟夜来风雨声花落', 'zhangsan')).toEqual([]);
  });

  it('refuses short passwords, in Chinese then English', () => {
    const problems = checkPasswordRules('Ab1!xyz', 'zhangsan');
    expect(problems[0]).toBe('密码至少需要 12 个字符 · Use at least 12 characters');
    expect(checkPasswordRules('', 'zhangsan')).toContain('密码至少需要 12 个字符 · Use at least 12 characters');
  });

  it('refuses more than 256 characters', () => {
    expect(checkPasswordRules('Ab1!'.repeat(65), 'zhangsan')).toEqual([
      '密码不能超过 256 个字符 · Use at most 256 characters',
    ]);
    expect(checkPasswordRules('Ab1!'.repeat(64), 'zhangsan')).toEqual([]);
  });

  it('counts characters, not UTF-16 units', () => {
    // 11 astral characters are 22 UTF-16 units but still too short.
    expect(checkPasswordRules('😀'.repeat(11), 'zhangsan')[0]).toMatch(/至少需要 12/);
  });

  it('refuses a password that contains the username, whatever the case', () => {
    expect(checkPasswordRules('My-ZhangSan-2024', 'zhangsan')).toEqual([
      '密码不能包含用户名 · Do not include the username',
    ]);
    expect(checkPasswordRules('My-ZhangSan-2024', 'ZHANGSAN ')).toHaveLength(1);
  });

  it('asks for three character classes below 16 characters', () => {
    const [problem] = checkPasswordRules('lowercase123', 'zhangsan');
    expect(problem).toMatch(/^请至少混用.* · Mix at least three of/);
    expect(checkPasswordRules('Lowercase123', 'zhangsan')).toEqual([]);
    expect(checkPasswordRules('lowercase-123', 'zhangsan')).toEqual([]);
    expect(checkPasswordRules('lowercaseletters', 'zhangsan')).toEqual([]);
  });

  it('refuses common passwords, also dressed up with digits and symbols', () => {
    for (const common of ['12345678', 'password', 'admin123', 'qwerty', '123456abc']) {
      expect(checkPasswordRules(common, 'zhangsan')).toContain(
        '密码过于常见，容易被猜中 · This password is too common to be safe',
      );
    }
    expect(checkPasswordRules('Password2024!', 'zhangsan')).toEqual([
      '密码过于常见，容易被猜中 · This password is too common to be safe',
    ]);
    expect(checkPasswordRules('!!Qwertyuiop123', 'zhangsan')).toHaveLength(1);
    expect(checkPasswordRules('123456789012', 'zhangsan')).toHaveLength(1); // one class only
  });

  it('lists every problem at once', () => {
    expect(checkPasswordRules('admin123', 'admin')).toHaveLength(4);
  });
});

describe('hashPassword / verifyPassword', () => {
  it('makes salted argon2id hashes that verify only the right password', async () => {
    const a = await hashPassword('Blue-Kettle-42');
    const b = await hashPassword('Blue-Kettle-42');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('Blue-Kettle-42');
    expect(await verifyPassword(a, 'Blue-Kettle-42')).toBe(true);
    expect(await verifyPassword(b, 'Blue-Kettle-42')).toBe(true);
    expect(await verifyPassword(a, 'blue-kettle-42')).toBe(false);
    expect(await verifyPassword(a, '')).toBe(false);
  });

  it('treats a malformed stored hash as a mismatch, not an error', async () => {
    expect(await verifyPassword('not a hash', 'Blue-Kettle-42')).toBe(false);
    expect(await verifyPassword('', 'Blue-Kettle-42')).toBe(false);
  });
});
