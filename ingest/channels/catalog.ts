/**
 * Every intake channel the product knows. An API key belongs to exactly one of these; a petition's
 * `channel` must be one of these. Adapters for each (issue: every channel) live beside this file.
 */
export const CHANNELS = {
  hotline: { zh: '12345热线', en: '12345 hotline' },
  enterprise_hotline: { zh: '企业热线', en: 'Enterprise hotline' },
  letter: { zh: '来信', en: 'Letter' },
  web: { zh: '网上信访', en: 'Online petition' },
  visit: { zh: '来访', en: 'Visit' },
  email: { zh: '电子邮件', en: 'E-mail' },
  social: { zh: '社交媒体', en: 'Social media' },
  open311: { zh: 'Open311', en: 'Open311' },
  register: { zh: '登记表导入', en: 'Register import' },
} as const;
export type ChannelCode = keyof typeof CHANNELS;
export const CHANNEL_CODES = Object.keys(CHANNELS) as ChannelCode[];

export function isChannelCode(value: string): value is ChannelCode {
  return Object.hasOwn(CHANNELS, value);
}
