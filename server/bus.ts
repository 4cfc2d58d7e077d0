import { EventEmitter } from 'node:events';
import type { Alert } from '../alerts/types.ts';
import type { RiskCategory } from '../ingest/analyse/types.ts';
import type { PlannedAction } from '../ingest/planned-action.ts';
import type { Grade, SentimentLabel, TopicCode } from '../ingest/taxonomy.ts';

/** A petition as it was committed, without contact or full text: what live views may know. */
export interface CommittedPetition {
  id: string;
  receivedAt: Date;
  channel: string;
  regionCode: string | null;
  topic: TopicCode;
  grade: Grade;
  sentiment: { label: SentimentLabel; score: number };
  extreme: boolean;
  people: number | null;
  amountYuan: number | null;
  /** Risk words found (terms and categories; no positions, no text around them). */
  riskTerms: { term: string; category: RiskCategory }[];
  /** A mass action the text plans, with its time and place where stated (ingest/planned-action.ts). */
  plannedAction: PlannedAction | null;
  /** Masked, shortened text. */
  summary: string;
}

/**
 * Internal domain events (dot-named, server-side only). The realtime gateway maps them to browser
 * events (`noun:verb`) and rooms; later modules (alerts, cases) add their own entries here.
 */
export interface InternalEvents {
  /** After a batch of new petitions is durably committed (duplicates excluded). */
  'petitions.committed': { petitions: CommittedPetition[] };
  /** After an alert was raised or changed and committed (silenced alerts are not published). */
  'alerts.changed': { alert: Alert; change: 'raised' | 'updated' };
}

export type Publish = <K extends keyof InternalEvents>(name: K, payload: InternalEvents[K]) => void;

export interface Bus {
  publish: Publish;
  subscribe<K extends keyof InternalEvents>(name: K, listener: (payload: InternalEvents[K]) => void): () => void;
}

/**
 * An in-process bus. A listener that throws is reported through `onError` and never reaches the
 * publisher, so a broken subscriber cannot fail a commit that already happened.
 */
export function createBus(onError: (error: unknown, event: string) => void): Bus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(100);
  return {
    publish(name, payload) {
      for (const listener of emitter.listeners(name)) {
        try {
          (listener as (p: unknown) => void)(payload);
        } catch (error) {
          onError(error, name);
        }
      }
    },
    subscribe(name, listener) {
      emitter.on(name, listener);
      return () => emitter.off(name, listener);
    },
  };
}
