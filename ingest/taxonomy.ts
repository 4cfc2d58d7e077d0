/**
 * The default topic taxonomy and grades of ../spec/grading.md. Codes are stored; names are shown.
 * Adding a topic is a change here (and in the topic model's training data), never a schema change.
 */
export const TOPICS = {
  labour: { zh: '劳动社保', en: 'Labour & social insurance' },
  land: { zh: '征地拆迁', en: 'Land & demolition' },
  environment: { zh: '生态环境', en: 'Environment' },
  housing: { zh: '住房物业', en: 'Housing & property' },
  finance: { zh: '涉众金融', en: 'Mass-investor finance' },
  safety: { zh: '安全生产', en: 'Work safety' },
  consumer: { zh: '消费维权', en: 'Consumer rights' },
  litigation: { zh: '涉法涉诉', en: 'Litigation-related' },
  conduct: { zh: '干部作风', en: 'Official conduct' },
  public_service: { zh: '公共服务', en: 'Public services' },
  other: { zh: '其他', en: 'Other' },
} as const;
export type TopicCode = keyof typeof TOPICS;
export const TOPIC_CODES = Object.keys(TOPICS) as TopicCode[];

/** Grades in ascending order of seriousness: 一般 < 重点 < 重大. */
export const GRADES = {
  general: { zh: '一般', en: 'General' },
  key: { zh: '重点', en: 'Key' },
  major: { zh: '重大', en: 'Major' },
} as const;
export type Grade = keyof typeof GRADES;
export const GRADE_CODES = Object.keys(GRADES) as Grade[];

export type SentimentLabel = 'negative' | 'neutral' | 'positive';
