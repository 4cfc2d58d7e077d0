import type { Db } from '../db/client.ts';
import { latestRuleSet, storeRuleSet } from '../db/queries/alerts.ts';
import { readJsonFile } from '../ingest/read-json.ts';
import { parseRuleSet, ruleSetHash, RuleSetError, type RuleSet } from './rules.ts';

export interface RulesInForce {
  version: number;
  set: RuleSet;
}

/** The running rule set: loaded from the file at start, replaceable at run time, every version kept. */
export interface RuleStore {
  current(): RulesInForce;
  /** Checks and puts a new set in force; throws {@link RuleSetError} and keeps the running set when invalid. */
  replace(raw: unknown, source: string): Promise<RulesInForce>;
}

/**
 * Starts from the rules file. When the file is invalid the last stored version stays in force (and the
 * reason is logged); with no stored version either, the start fails with the exact fields at fault.
 */
export async function openRuleStore(
  db: Db,
  file: string,
  log: { error(m: string, e?: unknown): void },
): Promise<RuleStore> {
  let inForce: RulesInForce;
  try {
    const set = parseRuleSet(readJsonFile(file), file);
    inForce = { version: await storeRuleSet(db, ruleSetHash(set), set, `file:${file}`), set };
  } catch (error) {
    const stored = await latestRuleSet(db);
    if (!stored) throw error;
    log.error(`alert rules ${file} refused; version ${stored.version} stays in force`, error);
    inForce = { version: stored.version, set: parseRuleSet(stored.body, `stored version ${stored.version}`) };
  }
  let queue: Promise<unknown> = Promise.resolve();
  return {
    current: () => inForce,
    replace(raw, source) {
      // One replacement at a time, so versions are stored in the order they were put in force.
      const run = queue.then(async () => {
        const set = parseRuleSet(raw, source);
        inForce = { version: await storeRuleSet(db, ruleSetHash(set), set, source), set };
        return inForce;
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

export { RuleSetError };
