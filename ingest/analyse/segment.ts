import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/** Domain words jieba's general dictionary splits (越级上访, 农民工, 12345热线, 烂尾楼 …). */
export const DEFAULT_USER_DICT = fileURLToPath(new URL('../../config/rules/userdict.txt', import.meta.url));

export type Segment = (text: string) => string[];

/**
 * A jieba segmenter with the general dictionary plus the product's domain words. HMM (new-word
 * discovery) is off: it measured no better on the corpus and costs time on every petition.
 */
export function createSegmenter(userDictFile: string | null = DEFAULT_USER_DICT): Segment {
  const jieba = Jieba.withDict(dict);
  if (userDictFile) jieba.loadDict(readFileSync(userDictFile));
  return (text) => jieba.cut(text, false);
}
