/**
 * Masking of personal data in text for every derived view (live events, lists, wall): mainland mobile
 * numbers keep 3 + 4 digits (138****1234), resident ID numbers keep 3 + 4 (110***********1234).
 */

// Digits not glued to other digits, so a long number is not masked piecemeal.
const ID_NUMBER = /(?<![0-9])([1-9][0-9]{2})[0-9]{11}([0-9]{3}[0-9Xx])(?![0-9])/g;
const ID_NUMBER_15 = /(?<![0-9])([1-9][0-9]{2})[0-9]{8}([0-9]{4})(?![0-9])/g;
const MOBILE = /(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])/g;
const LANDLINE = /(?<![0-9])(0[0-9]{2,3}-?)[0-9]{3,4}([0-9]{4})(?![0-9])/g;

/** How many phone and ID numbers a text holds (the analysis reports it; views mask them). */
export function countPersonalNumbers(text: string): { phones: number; idNumbers: number } {
  const ids = (text.match(ID_NUMBER) ?? []).length + (text.match(ID_NUMBER_15) ?? []).length;
  const phones = (text.match(MOBILE) ?? []).length + (text.match(LANDLINE) ?? []).length;
  return { phones, idNumbers: ids };
}

/** Masks phone and ID numbers in free text. */
export function maskText(text: string): string {
  return text
    .replace(ID_NUMBER, (_m, a: string, b: string) => `${a}${'*'.repeat(11)}${b}`)
    .replace(ID_NUMBER_15, (_m, a: string, b: string) => `${a}${'*'.repeat(8)}${b}`)
    .replace(MOBILE, (_m, a: string, b: string) => `${a}****${b}`)
    .replace(LANDLINE, (m, a: string, b: string) => `${a}${'*'.repeat(m.length - a.length - 4)}${b}`);
}

/** 张三 → 张*, 欧阳娜娜 → 欧***. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** 13812341234 → 138****1234. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^0-9]/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

/** 110101199003071234 → 110***********1234. */
export function maskIdNumber(id: string): string {
  const s = id.trim();
  if (s.length < 8) return '*'.repeat(s.length);
  return `${s.slice(0, 3)}${'*'.repeat(s.length - 7)}${s.slice(-4)}`;
}

// Finest first; greedy, so the last township or county named wins.
const ADDRESS_LEVELS = [/^.*(?:镇|乡|街道)/, /^.*(?:区|县)/, /^.*?市/];

/**
 * 苏州市吴中区木渎镇金山路18号 → 苏州市吴中区木渎镇****: the address down to the township (镇/乡/街道)
 * or, failing that, the county, so a masked view still says where without saying which door.
 */
export function maskAddress(address: string): string {
  const s = address.trim();
  for (const level of ADDRESS_LEVELS) {
    const m = level.exec(s);
    if (m && m[0].length < s.length) return `${m[0]}****`;
  }
  return `${[...s].slice(0, Math.min(3, [...s].length - 1)).join('')}****`;
}

/** zhang.san@example.cn → z***@example.cn. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** The masked, shortened text shown in live views. */
export function summarise(text: string, maxChars = 140): string {
  const masked = maskText(text.replace(/\s+/g, ' ').trim());
  const chars = [...masked];
  return chars.length <= maxChars ? masked : `${chars.slice(0, maxChars - 1).join('')}…`;
}
