/**
 * Near-duplicate signatures for petition texts (MinHash over character shingles + LSH banding), so
 * intake can link repeat petitions (one person filing the same complaint again, through another
 * channel or with another phone number) and joint petitions (many people filing one text) in O(1) per
 * item, instead of comparing every new text with every stored one.
 *
 * Pipeline: {@link canonicalText} (NFKC, lower case, whitespace / punctuation / symbols removed, digit
 * runs → one placeholder, boilerplate prefixes stripped) → character n-grams ("shingles") → one 32-bit
 * murmur3 hash per shingle → `hashes` min-hashes under universal hash functions → `bands` LSH keys.
 *
 * The fraction of equal positions of two signatures estimates the Jaccard similarity of the two texts'
 * shingle sets (standard error √(J(1−J)/hashes), ≤ 0.0625 with 64 hashes). Banding turns that into a
 * cheap candidate test: two texts become candidates when all `rows` positions of at least one band
 * agree, which happens with probability 1 − (1 − J^rows)^bands. For the default 16 bands × 4 rows:
 *
 * | Jaccard | 0.1    | 0.2   | 0.3   | 0.4   | 0.5   | 0.6   | 0.7   | 0.8    | 0.9    |
 * | ------- | ------ | ----- | ----- | ----- | ----- | ----- | ----- | ------ | ------ |
 * | P(cand) | 0.0016 | 0.025 | 0.122 | 0.340 | 0.644 | 0.891 | 0.988 | 0.9998 | 1.0000 |
 *
 * The curve is steepest near (1/16)^(1/4) = 0.5, halfway between what we call unrelated (< 0.3) and
 * what we want to link (≥ 0.6). More rows per band would cut false candidates further but lose more
 * true pairs at 0.6 (8 bands × 8 rows: 0.13 at 0.6); more bands would cost more index entries per
 * item. False candidates are cheap anyway — {@link NearDuplicateIndex.similar} verifies every one on
 * the full signature.
 *
 * Stability: signatures and band keys are stored (text column, text[] with a GIN index), so they must
 * be the same in every process and every release. Everything they depend on is fixed here: the
 * canonical form (including {@link BOILERPLATE_PREFIXES}), the shingle hash and its seed, and the seed
 * of the PRNG that draws the hash coefficients. Changing any of them, or the config, is a breaking
 * change: bump the revision in {@link SIGNATURE_VERSION} and recompute stored signatures. (NFKC and the
 * Unicode punctuation classes are stable for assigned characters; only characters assigned in a later
 * Unicode version may canonicalise differently on a newer Node.)
 *
 * Dependency-free apart from node:buffer, and allocation-light: one reused workspace of typed arrays
 * per process, so a call allocates only the normalised string and the returned signature.
 */
import { Buffer } from 'node:buffer';

// ─── Configuration ───────────────────────────────────────────────────────────────────────────────

/** Shingle size and signature shape. `hashes / bands` is the number of rows per band. */
export interface SimilarityConfig {
  /** Characters per shingle. 3 for Chinese: bigrams are too common across unrelated texts, 4+ too brittle to edits. */
  shingle: number;
  /** Signature length (number of min-hashes); the estimate's standard error falls as 1/√hashes. */
  hashes: number;
  /** LSH bands; must divide `hashes`. */
  bands: number;
}

/** 3-character shingles, 64 hashes, 16 bands × 4 rows (see the table at the top of this module). */
export const DEFAULT_SIMILARITY: SimilarityConfig = Object.freeze({ shingle: 3, hashes: 64, bands: 16 });

/** Largest accepted shingle size. */
export const MAX_SHINGLE = 32;
/** Largest accepted signature length; the hash coefficients are drawn for this many functions. */
export const MAX_HASHES = 1024;

/** Revision of the algorithm (canonical form, hashes, seeds). Bump on any change that alters output. */
const ALGORITHM_REVISION = 1;

/**
 * The version tag of signatures made with `config`: `mh<shingle>x<hashes>b<bands>-<revision>`. Store it
 * next to signatures; signatures (and band keys) with different tags are not comparable.
 */
export function signatureVersion(config?: Partial<SimilarityConfig>): string {
  const c = resolveConfig(config);
  return `mh${c.shingle}x${c.hashes}b${c.bands}-${ALGORITHM_REVISION}`;
}

/** Version tag of the default configuration, `'mh3x64b16-1'`. */
export const SIGNATURE_VERSION: string = signatureVersion(DEFAULT_SIMILARITY);

function checkInteger(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `Invalid similarity config: ${name} must be an integer from ${min} to ${max}, got ${String(value)}`,
    );
  }
}

/** Fills missing fields from the default and validates; throws a RangeError naming the bad field. */
function resolveConfig(config: Partial<SimilarityConfig> | undefined): SimilarityConfig {
  if (config === undefined || config === DEFAULT_SIMILARITY) return DEFAULT_SIMILARITY;
  const c: SimilarityConfig = {
    shingle: config.shingle ?? DEFAULT_SIMILARITY.shingle,
    hashes: config.hashes ?? DEFAULT_SIMILARITY.hashes,
    bands: config.bands ?? DEFAULT_SIMILARITY.bands,
  };
  checkInteger('shingle', c.shingle, 1, MAX_SHINGLE);
  checkInteger('hashes', c.hashes, 1, MAX_HASHES);
  checkInteger('bands', c.bands, 1, c.hashes);
  if (c.hashes % c.bands !== 0) {
    throw new RangeError(
      `Invalid similarity config: hashes (${c.hashes}) must be a multiple of bands (${c.bands}) so every band has the same number of rows`,
    );
  }
  return c;
}

// ─── Hashing primitives ──────────────────────────────────────────────────────────────────────────

/** Seed of the PRNG that draws the universal-hash coefficients. Changing it is a breaking change. */
const COEFFICIENT_SEED = 0x7a3c2026;
/** Seed of the shingle hash. Changing it is a breaking change. */
const SHINGLE_SEED = 0x9747b28c;

/**
 * Coefficients of h_i(x) = (a_i·x + b_i) mod 2^32, drawn a_0, b_0, a_1, b_1, … from splitmix32, so a
 * longer signature extends a shorter one. a_i is odd, which makes h_i a permutation of 32-bit values;
 * its high bits (which decide the minimum) are a multiply-shift universal hash. mod 2^31−1 would need
 * 62-bit products, i.e. BigInt or split multiplies; Math.imul keeps the inner loop in int32.
 *
 * B is stored with the sign bit flipped: adding 2^31 mod 2^32 flips the top bit, so the inner loop can
 * compare int32 values with `<` and still find the unsigned minimum.
 */
const COEFF_A = new Int32Array(MAX_HASHES);
const COEFF_B = new Int32Array(MAX_HASHES);
{
  let state = COEFFICIENT_SEED;
  const next = (): number => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return z ^ (z >>> 16);
  };
  for (let i = 0; i < MAX_HASHES; i++) {
    COEFF_A[i] = next() | 1;
    COEFF_B[i] = next() ^ 0x80000000;
  }
}

/** murmur3_32 over `len` 32-bit words of `words` from `off` (code points or signature rows). */
function murmur3(words: ArrayLike<number>, off: number, len: number, seed: number): number {
  let h = seed | 0;
  for (let k = 0; k < len; k++) {
    let k1 = Math.imul(words[off + k]!, 0xcc9e2d51);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, 0x1b873593);
    h ^= k1;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= len << 2;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Signature value of a text with no characters left after canonicalisation. */
const EMPTY_VALUE = 0xffffffff;

// ─── Canonical form ──────────────────────────────────────────────────────────────────────────────

/**
 * Boilerplate openings that hotline operators and web forms put before the complaint itself; stripped
 * (repeatedly, longest first, after canonicalisation, so punctuation and spacing variants match too)
 * from the start of the text. Changing this list is a breaking change (see {@link SIGNATURE_VERSION}).
 */
export const BOILERPLATE_PREFIXES: readonly string[] = Object.freeze([
  '来电人称：',
  '来电人反映：',
  '来电人来电反映：',
  '来电人来电称：',
  '来电者称：',
  '来电者反映：',
  '市民来电反映：',
  '市民来电称：',
  '市民来电：',
  '市民反映：',
  '市民来信反映：',
  '群众来电反映：',
  '群众反映：',
  '网友反映：',
  '网友留言：',
  '网民反映：',
  '网民留言：',
  '来电反映：',
  '来电称：',
  '来信反映：',
  '来信称：',
  '来访人反映：',
  '来访人称：',
  '信访人反映：',
  '信访人称：',
  '诉求人反映：',
  '诉求人称：',
  '投诉人反映：',
  '投诉人称：',
  '反映人称：',
  '反映内容：',
  '诉求内容：',
  '尊敬的领导您好：',
  '尊敬的领导：',
  '领导您好：',
  '领导你好：',
  '您好：',
  '你好：',
]);

const KEEP = 0;
const DROP = 1;
const DIGIT = 2;
/** Stands for a run of digits. '#' is ASCII punctuation, which is dropped, so it cannot come from the text. */
const PLACEHOLDER = 0x23;
const DROP_RE = /^[\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}]$/u;
const DIGIT_RE = /^\p{Nd}$/u;

/**
 * Class of every BMP code unit, built on first use (a few ms) so the per-character test in the hot
 * loop is one array read instead of a Unicode-property regex. Dropped: whitespace (Z), punctuation
 * (P: ，。、！？“”《》【】…), symbols (S: ￥ ℃ emoji …), control and format characters (zero-width
 * spaces, BOM), lone surrogates. Digits: any decimal digit (after NFKC, full-width digits are ASCII).
 */
let classTable: Uint8Array | undefined;

function buildClassTable(): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (let c = 0; c < 0x80; c++) {
    const alnum = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
    table[c] = c >= 0x30 && c <= 0x39 ? DIGIT : alnum ? KEEP : DROP;
  }
  for (let c = 0x80; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) table[c] = DROP;
    else {
      const s = String.fromCharCode(c);
      table[c] = DIGIT_RE.test(s) ? DIGIT : DROP_RE.test(s) ? DROP : KEEP;
    }
  }
  return table;
}

function astralClass(cp: number): number {
  const s = String.fromCodePoint(cp);
  return DIGIT_RE.test(s) ? DIGIT : DROP_RE.test(s) ? DROP : KEEP;
}

/** Reused buffers: canonical code points and shingle hashes. */
class Workspace {
  cps: Uint32Array;
  shingles: Int32Array;
  constructor(size: number) {
    this.cps = new Uint32Array(size);
    this.shingles = new Int32Array(size);
  }
}

/** Texts longer than this get a one-off workspace, so one huge text does not pin megabytes for good. */
const RETAINED_WORKSPACE = 1 << 16;
let shared = new Workspace(1024);

function workspaceFor(length: number): Workspace {
  if (length <= shared.cps.length) return shared;
  if (length > RETAINED_WORKSPACE) return new Workspace(length);
  let size = shared.cps.length;
  while (size < length) size *= 2;
  shared = new Workspace(size);
  return shared;
}

/**
 * Writes the canonical code points of `text` (prefixes not yet stripped) to `ws.cps` and returns their
 * count. `s.length` bounds the count, so callers size the workspace from the normalised string.
 */
function canonicalInto(s: string, ws: Workspace): number {
  const table = (classTable ??= buildClassTable());
  const out = ws.cps;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i);
    let cls: number;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = ((cp - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
        i++;
        cls = astralClass(cp);
      } else cls = DROP;
    } else cls = table[cp]!;
    if (cls === KEEP) out[n++] = cp;
    // A digit run is one placeholder even across dropped separators: 138-1234-5678 and 2024.3.5 → '#'.
    else if (cls === DIGIT && (n === 0 || out[n - 1] !== PLACEHOLDER)) out[n++] = PLACEHOLDER;
  }
  return n;
}

function normalised(text: string): string {
  if (typeof text !== 'string') throw new TypeError(`Expected a string, got ${typeof text}`);
  return text.normalize('NFKC').toLowerCase();
}

/** Canonical prefixes as code-point arrays, longest first; computed on first use. */
let canonicalPrefixes: Uint32Array[] | undefined;

function prefixes(): Uint32Array[] {
  if (canonicalPrefixes) return canonicalPrefixes;
  const list: Uint32Array[] = [];
  for (const p of BOILERPLATE_PREFIXES) {
    const s = normalised(p);
    const ws = new Workspace(s.length);
    const n = canonicalInto(s, ws);
    if (n > 0) list.push(ws.cps.slice(0, n));
  }
  list.sort((a, b) => b.length - a.length);
  return (canonicalPrefixes = list);
}

/** Index of the first code point after any boilerplate prefixes. */
function skipPrefixes(cps: Uint32Array, end: number): number {
  const list = prefixes();
  let start = 0;
  for (let matched = true; matched;) {
    matched = false;
    for (const p of list) {
      if (end - start < p.length) continue;
      let k = 0;
      while (k < p.length && cps[start + k] === p[k]) k++;
      if (k === p.length) {
        start += p.length;
        matched = true;
        break;
      }
    }
  }
  return start;
}

/**
 * The canonical form a signature is computed from, for debugging and tests: NFKC, lower case,
 * whitespace / punctuation / symbols removed, every digit run replaced by '#', boilerplate prefixes
 * stripped. `canonicalText('市民来电反映：电话 138-1234-5678，Ｗi-Fi 坏了！')` → `'电话#wifi坏了'`.
 */
export function canonicalText(text: string): string {
  const s = normalised(text);
  const ws = workspaceFor(s.length);
  const end = canonicalInto(s, ws);
  const start = skipPrefixes(ws.cps, end);
  let result = '';
  for (let i = start; i < end; i += 4096) {
    result += String.fromCodePoint(...ws.cps.subarray(i, Math.min(end, i + 4096)));
  }
  return result;
}

// ─── Signatures ──────────────────────────────────────────────────────────────────────────────────

/**
 * MinHash signature of `text`: for each of `config.hashes` universal hash functions, the minimum over
 * the text's shingles. Texts shorter than one shingle use the whole canonical text as their only
 * shingle; a text with nothing left after canonicalisation (empty, only punctuation, only a prefix)
 * gets all 0xFFFFFFFF (see {@link isEmptySignature}), which {@link lshBands} and the index skip.
 *
 * Deterministic across processes and releases for a given {@link signatureVersion}. Throws a
 * RangeError on an invalid config; never on odd input (lone surrogates, control characters, 100 KB).
 */
export function textSignature(text: string, config?: Partial<SimilarityConfig>): Uint32Array {
  const { shingle, hashes } = resolveConfig(config);
  const s = normalised(text);
  const ws = workspaceFor(s.length);
  const end = canonicalInto(s, ws);
  const start = skipPrefixes(ws.cps, end);
  const signature = new Uint32Array(hashes);
  const len = end - start;
  if (len === 0) return signature.fill(EMPTY_VALUE);

  const width = len < shingle ? len : shingle;
  const count = len - width + 1;
  const cps = ws.cps;
  const hs = ws.shingles;
  for (let j = 0; j < count; j++) hs[j] = murmur3(cps, start + j, width, SHINGLE_SEED);

  // Hash-major loop, four functions at a time: each shingle hash is loaded once per four functions and
  // the running minima stay in registers. About 2× faster than one function per pass over the shingles.
  const quads = hashes - (hashes % 4);
  for (let i = 0; i < quads; i += 4) {
    const a0 = COEFF_A[i]!;
    const a1 = COEFF_A[i + 1]!;
    const a2 = COEFF_A[i + 2]!;
    const a3 = COEFF_A[i + 3]!;
    const b0 = COEFF_B[i]!;
    const b1 = COEFF_B[i + 1]!;
    const b2 = COEFF_B[i + 2]!;
    const b3 = COEFF_B[i + 3]!;
    let m0 = 0x7fffffff;
    let m1 = 0x7fffffff;
    let m2 = 0x7fffffff;
    let m3 = 0x7fffffff;
    for (let j = 0; j < count; j++) {
      const x = hs[j]!;
      const v0 = (Math.imul(a0, x) + b0) | 0;
      if (v0 < m0) m0 = v0;
      const v1 = (Math.imul(a1, x) + b1) | 0;
      if (v1 < m1) m1 = v1;
      const v2 = (Math.imul(a2, x) + b2) | 0;
      if (v2 < m2) m2 = v2;
      const v3 = (Math.imul(a3, x) + b3) | 0;
      if (v3 < m3) m3 = v3;
    }
    // Undo the sign flip; the typed array stores the int32 as unsigned.
    signature[i] = m0 ^ 0x80000000;
    signature[i + 1] = m1 ^ 0x80000000;
    signature[i + 2] = m2 ^ 0x80000000;
    signature[i + 3] = m3 ^ 0x80000000;
  }
  for (let i = quads; i < hashes; i++) {
    const a = COEFF_A[i]!;
    const b = COEFF_B[i]!;
    let min = 0x7fffffff;
    for (let j = 0; j < count; j++) {
      const v = (Math.imul(a, hs[j]!) + b) | 0;
      if (v < min) min = v;
    }
    signature[i] = min ^ 0x80000000;
  }
  return signature;
}

/** True for the signature of a text with no characters left after canonicalisation. */
export function isEmptySignature(signature: Uint32Array): boolean {
  for (let i = 0; i < signature.length; i++) if (signature[i] !== EMPTY_VALUE) return false;
  return true;
}

function checkLength(signature: Uint32Array, hashes: number): void {
  if (!(signature instanceof Uint32Array) || signature.length !== hashes) {
    const got = signature instanceof Uint32Array ? `length ${signature.length}` : typeof signature;
    throw new RangeError(`Expected a signature of ${hashes} hashes (Uint32Array), got ${got}`);
  }
}

/** 32-bit hash of the `rows` values of band `band`, seeded per band. */
function bandHash(values: Uint32Array, off: number, rows: number, band: number): number {
  return murmur3(values, off, rows, Math.imul(band + 1, 0x9e3779b9));
}

/**
 * LSH keys of a signature, one per band: `b<band>:<8 hex digits>` (a 32-bit hash of the band's rows),
 * e.g. `b0:3fa41c07`. Two signatures share a key when all rows of that band agree (or, with chance
 * 2^-32 per band, by hash collision). Store them in a `text[]` column with a GIN index (`&&` finds
 * candidates) or in a `Map<string, id[]>`. An empty signature has no keys, so empty texts are never
 * candidates of one another.
 */
export function lshBands(signature: Uint32Array, config?: Partial<SimilarityConfig>): string[] {
  const { hashes, bands } = resolveConfig(config);
  checkLength(signature, hashes);
  if (isEmptySignature(signature)) return [];
  const rows = hashes / bands;
  const keys = new Array<string>(bands);
  for (let band = 0; band < bands; band++) {
    const h = bandHash(signature, band * rows, rows, band) >>> 0;
    keys[band] = `b${band}:${h.toString(16).padStart(8, '0')}`;
  }
  return keys;
}

/** Estimated Jaccard similarity: the fraction of positions where the signatures agree (0…1). */
export function estimateSimilarity(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length || a.length === 0) {
    throw new RangeError(`Cannot compare signatures of lengths ${a.length} and ${b.length}`);
  }
  let equal = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) equal++;
  return equal / a.length;
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Standard padded base64 of the signature as little-endian uint32s (344 characters for 64 hashes); fits
 * a text column or JSON, and Postgres reads it with `decode(sig, 'base64')`.
 */
export function encodeSignature(signature: Uint32Array): string {
  const bytes = Buffer.alloc(signature.length * 4);
  for (let i = 0; i < signature.length; i++) bytes.writeUInt32LE(signature[i]!, i * 4);
  return bytes.toString('base64');
}

/** Inverse of {@link encodeSignature}; throws a RangeError on anything that is not an encoded signature. */
export function decodeSignature(encoded: string): Uint32Array {
  if (typeof encoded !== 'string' || encoded.length === 0 || !BASE64_RE.test(encoded)) {
    throw new RangeError('Invalid signature encoding: expected non-empty padded base64');
  }
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length % 4 !== 0) {
    throw new RangeError(`Invalid signature encoding: ${bytes.length} bytes is not a whole number of uint32s`);
  }
  const signature = new Uint32Array(bytes.length / 4);
  for (let i = 0; i < signature.length; i++) signature[i] = bytes.readUInt32LE(i * 4);
  return signature;
}

// ─── In-memory index ─────────────────────────────────────────────────────────────────────────────

/** Options of {@link NearDuplicateIndex}. */
export interface NearDuplicateIndexOptions {
  /** Must match the config the signatures were made with. Default {@link DEFAULT_SIMILARITY}. */
  config?: Partial<SimilarityConfig>;
  /** Items kept; adding beyond this evicts the oldest. Default 100,000 (≈ 65 MB with the default config). */
  maxItems?: number;
}

/** One result of {@link NearDuplicateIndex.similar}. */
export interface SimilarMatch<Id> {
  id: Id;
  /** Estimated Jaccard similarity, 0…1. */
  similarity: number;
}

/** First allocation of an index, in items; it doubles from here up to maxItems. */
const INITIAL_CAPACITY = 256;
/** Hash-table positions per item and band: load ≤ 0.5 keeps linear probes short. */
const TABLE_FACTOR = 2;
const NONE = -1;

/**
 * In-memory LSH index of signatures for a long-running process: O(bands) per add, delete and query
 * (plus the size of the buckets hit), bounded by `maxItems` with the oldest evicted first.
 *
 * Everything but the id map lives in typed arrays, opaque to the garbage collector and about 650 bytes
 * per item with the default config (≈ 65 MB at 100,000): a signature slab, per band an open-addressing
 * table (linear probing, backward-shift deletion) from the band's 32-bit hash to a chain of items, and
 * the chain links. A `Map` of `Map`s or arrays per bucket costs about twice that and gives the
 * collector 1.6 million entries to trace. Chain members are checked row by row, so a 32-bit band-hash
 * collision never yields a false candidate.
 *
 * Typical use: `index.similar(sig)` for a new petition first (to link it), then `index.add(id, sig)`.
 */
export class NearDuplicateIndex<Id> {
  /** The resolved signature config; signatures must have `config.hashes` values. */
  readonly config: SimilarityConfig;
  /** Capacity; see {@link NearDuplicateIndexOptions.maxItems}. */
  readonly maxItems: number;
  readonly #hashes: number;
  readonly #bands: number;
  readonly #rows: number;
  /** id → slot, in insertion order, so the first entry is the oldest. */
  readonly #slots = new Map<Id, number>();
  #ids: (Id | undefined)[] = [];
  #freeSlots: number[] = [];
  #nextSlot = 0;
  #seq = 0;
  #capacity = 0;
  /** slot → insertion counter, for newest-first ties. */
  #seqs = new Float64Array(0);
  /** slot × hashes → the slot's signature. */
  #slab = new Uint32Array(0);
  /** node (slot × bands + band) → next node with the same band hash, or NONE. */
  #next = new Int32Array(0);
  #tableSize = 0;
  /** band × tableSize + position → band hash. */
  #keys = new Uint32Array(0);
  /** band × tableSize + position → first node of the chain, or NONE for a free position. */
  #heads = new Int32Array(0);

  constructor(options: NearDuplicateIndexOptions = {}) {
    this.config = resolveConfig(options.config);
    this.#hashes = this.config.hashes;
    this.#bands = this.config.bands;
    this.#rows = this.#hashes / this.#bands;
    const maxItems = options.maxItems ?? 100_000;
    const limit = Math.floor(0x7fffffff / (this.#hashes * TABLE_FACTOR));
    if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > limit) {
      throw new RangeError(
        `NearDuplicateIndex: maxItems must be an integer from 1 to ${limit} for ${this.#hashes} hashes, got ${String(maxItems)}`,
      );
    }
    this.maxItems = maxItems;
    this.#resize(Math.min(maxItems, INITIAL_CAPACITY));
  }

  /** Number of indexed items. */
  get size(): number {
    return this.#slots.size;
  }

  /** Whether `id` is indexed. */
  has(id: Id): boolean {
    return this.#slots.has(id);
  }

  /**
   * Indexes `signature` (copied) under `id`, replacing an earlier signature of the same id and making
   * it the newest. Evicts the oldest items beyond `maxItems`. For an empty signature (see
   * {@link isEmptySignature}) indexes nothing, drops any earlier signature of `id`, and returns false.
   */
  add(id: Id, signature: Uint32Array): boolean {
    checkLength(signature, this.#hashes);
    this.delete(id);
    if (isEmptySignature(signature)) return false;
    while (this.#slots.size >= this.maxItems) {
      const [oldest, slot] = this.#slots.entries().next().value as [Id, number];
      this.#remove(oldest, slot);
    }
    let slot = this.#freeSlots.pop();
    if (slot === undefined) {
      if (this.#nextSlot === this.#capacity) this.#resize(Math.min(this.maxItems, this.#capacity * 2));
      slot = this.#nextSlot++;
    }
    this.#slab.set(signature, slot * this.#hashes);
    this.#seqs[slot] = this.#seq++;
    this.#ids[slot] = id;
    this.#slots.set(id, slot);
    for (let band = 0; band < this.#bands; band++) this.#link(slot, band);
    return true;
  }

  /** Removes `id`; returns whether it was indexed. */
  delete(id: Id): boolean {
    const slot = this.#slots.get(id);
    if (slot === undefined) return false;
    this.#remove(id, slot);
    return true;
  }

  /** Removes everything and releases the memory of a grown index. */
  clear(): void {
    this.#slots.clear();
    this.#ids = [];
    this.#freeSlots = [];
    this.#nextSlot = 0;
    this.#capacity = 0;
    this.#resize(Math.min(this.maxItems, INITIAL_CAPACITY));
  }

  /** Ids whose signatures agree with `signature` on every row of at least one band, in no particular order. */
  candidates(signature: Uint32Array): Id[] {
    return Array.from(this.#candidateSlots(signature), (slot) => this.#ids[slot] as Id);
  }

  /**
   * Candidates whose estimated similarity to `signature` is at least `threshold`, most similar first
   * (ties: most recently added first). Only candidates are scored, and pairs below ~0.5 are rarely
   * candidates (see the table at the top of the module), so a threshold far below 0.5 finds only some.
   */
  similar(signature: Uint32Array, threshold = 0.6): SimilarMatch<Id>[] {
    if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) {
      throw new RangeError(`NearDuplicateIndex: threshold must be a number from 0 to 1, got ${String(threshold)}`);
    }
    const hashes = this.#hashes;
    const slab = this.#slab;
    const found: { slot: number; similarity: number }[] = [];
    for (const slot of this.#candidateSlots(signature)) {
      const base = slot * hashes;
      let equal = 0;
      for (let i = 0; i < hashes; i++) if (slab[base + i] === signature[i]) equal++;
      const similarity = equal / hashes;
      if (similarity >= threshold) found.push({ slot, similarity });
    }
    found.sort((x, y) => y.similarity - x.similarity || this.#seqs[y.slot]! - this.#seqs[x.slot]!);
    return found.map(({ slot, similarity }) => ({ id: this.#ids[slot] as Id, similarity }));
  }

  #candidateSlots(signature: Uint32Array): Set<number> {
    checkLength(signature, this.#hashes);
    const result = new Set<number>();
    if (isEmptySignature(signature)) return result;
    const rows = this.#rows;
    for (let band = 0; band < this.#bands; band++) {
      const off = band * rows;
      const h = bandHash(signature, off, rows, band) >>> 0;
      const at = band * this.#tableSize + this.#probe(band, h);
      for (let node = this.#heads[at]!; node !== NONE; node = this.#next[node]!) {
        const slot = (node - band) / this.#bands;
        if (!result.has(slot) && this.#bandEquals(slot, signature, off)) result.add(slot);
      }
    }
    return result;
  }

  #bandEquals(slot: number, signature: Uint32Array, off: number): boolean {
    const base = slot * this.#hashes + off;
    for (let r = 0; r < this.#rows; r++) if (this.#slab[base + r] !== signature[off + r]) return false;
    return true;
  }

  /** Band hash of a stored slot. */
  #slotBandHash(slot: number, band: number): number {
    return bandHash(this.#slab, slot * this.#hashes + band * this.#rows, this.#rows, band) >>> 0;
  }

  /** Position in band's table holding hash `h`, or the free position where it would go. */
  #probe(band: number, h: number): number {
    const size = this.#tableSize;
    const base = band * size;
    let p = h % size;
    while (this.#heads[base + p] !== NONE && this.#keys[base + p] !== h) p = p + 1 === size ? 0 : p + 1;
    return p;
  }

  #link(slot: number, band: number): void {
    const h = this.#slotBandHash(slot, band);
    const at = band * this.#tableSize + this.#probe(band, h);
    const node = slot * this.#bands + band;
    this.#next[node] = this.#heads[at]!; // NONE for a free position
    this.#keys[at] = h;
    this.#heads[at] = node;
  }

  #unlink(slot: number, band: number): void {
    const size = this.#tableSize;
    const base = band * size;
    const p = this.#probe(band, this.#slotBandHash(slot, band));
    const node = slot * this.#bands + band;
    let prev = NONE;
    let cur = this.#heads[base + p]!;
    while (cur !== node && cur !== NONE) {
      prev = cur;
      cur = this.#next[cur]!;
    }
    if (cur === NONE) return; // not linked; cannot happen for a live slot
    if (prev !== NONE) {
      this.#next[prev] = this.#next[node]!;
      return;
    }
    this.#heads[base + p] = this.#next[node]!;
    if (this.#heads[base + p] !== NONE) return;
    // The chain is empty: free position p by backward-shift deletion, moving later entries of the
    // probe run back so every remaining key stays reachable from its home position without tombstones.
    let hole = p;
    for (let j = p + 1 === size ? 0 : p + 1; this.#heads[base + j] !== NONE; j = j + 1 === size ? 0 : j + 1) {
      const home = this.#keys[base + j]! % size;
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!stays) {
        this.#keys[base + hole] = this.#keys[base + j]!;
        this.#heads[base + hole] = this.#heads[base + j]!;
        hole = j;
      }
    }
    this.#heads[base + hole] = NONE;
  }

  #remove(id: Id, slot: number): void {
    for (let band = 0; band < this.#bands; band++) this.#unlink(slot, band);
    this.#slots.delete(id);
    this.#ids[slot] = undefined;
    this.#freeSlots.push(slot);
  }

  /** Reallocates for `capacity` items, keeping stored slots and rehashing the band tables. */
  #resize(capacity: number): void {
    const hashes = this.#hashes;
    const bands = this.#bands;
    const slab = new Uint32Array(capacity * hashes);
    const next = new Int32Array(capacity * bands);
    const seqs = new Float64Array(capacity);
    slab.set(this.#slab.subarray(0, Math.min(this.#slab.length, slab.length)));
    next.set(this.#next.subarray(0, Math.min(this.#next.length, next.length)));
    seqs.set(this.#seqs.subarray(0, Math.min(this.#seqs.length, seqs.length)));
    const oldSize = this.#tableSize;
    const oldKeys = this.#keys;
    const oldHeads = this.#heads;
    this.#slab = slab;
    this.#next = next;
    this.#seqs = seqs;
    this.#capacity = capacity;
    this.#tableSize = capacity * TABLE_FACTOR;
    this.#keys = new Uint32Array(bands * this.#tableSize);
    this.#heads = new Int32Array(bands * this.#tableSize).fill(NONE);
    if (this.#slots.size === 0) return;
    // Chains are unchanged (node numbers depend only on slot and band); only their heads move.
    for (let band = 0; band < bands; band++) {
      for (let p = 0; p < oldSize; p++) {
        const head = oldHeads[band * oldSize + p]!;
        if (head === NONE) continue;
        const h = oldKeys[band * oldSize + p]!;
        const at = band * this.#tableSize + this.#probe(band, h);
        this.#keys[at] = h;
        this.#heads[at] = head;
      }
    }
  }
}
