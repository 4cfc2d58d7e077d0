import { Worker } from 'node:worker_threads';
import type { Analysis } from './types.ts';

/** What the pool answers per text: the analysis, or why the analyser failed on it. */
export type AnalysisResult = Analysis | { error: string };

export interface AnalyserPool {
  readonly size: number;
  /** Analyses texts on the pool's threads, in order; the caller's event loop stays free meanwhile. */
  analyseMany(texts: readonly string[]): Promise<AnalysisResult[]>;
  close(): Promise<void>;
}

/** Texts per message: large enough to amortise the copy, small enough to spread over threads. */
const SLICE = 100;

/**
 * Analysis off the main thread. On the main thread a 500-petition batch blocked the event loop for
 * ~70 ms, so database answers waited behind it and PostgreSQL sat idle half the time (bench:ingest:
 * event-loop delay p99 330 ms). Each thread holds its own analyser (about 150 MB).
 */
export async function createAnalyserPool(options: { size: number; regionPack: string }): Promise<AnalyserPool> {
  const workers = Array.from(
    { length: options.size },
    () =>
      new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { regionPack: options.regionPack } }),
  );
  const pending = new Map<number, { resolve: (r: AnalysisResult[]) => void; reject: (e: Error) => void }>();
  const load = workers.map(() => 0);
  let nextId = 0;
  let failure: Error | null = null;

  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          const onMessage = (m: { ready?: boolean }) => {
            if (!m.ready) return;
            w.off('message', onMessage);
            resolve();
          };
          w.on('message', onMessage);
          w.once('error', (e) => reject(new Error('An analyser thread failed to start', { cause: e })));
        }),
    ),
  );
  workers.forEach((w, i) => {
    w.on('message', (m: { id: number; results: AnalysisResult[] }) => {
      load[i]! -= 1;
      pending.get(m.id)?.resolve(m.results);
      pending.delete(m.id);
    });
    w.on('error', (e) => {
      // A dead thread fails what it held; the pipeline dead-letters those texts as analysis failures.
      failure = new Error('An analyser thread died', { cause: e });
      for (const p of pending.values()) p.reject(failure);
      pending.clear();
    });
  });

  function send(texts: string[]): Promise<AnalysisResult[]> {
    if (failure) return Promise.reject(failure);
    let best = 0;
    for (let i = 1; i < workers.length; i++) if (load[i]! < load[best]!) best = i;
    load[best]! += 1;
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      workers[best]!.postMessage({ id, texts });
    });
  }

  return {
    size: workers.length,
    async analyseMany(texts) {
      const slices: Promise<AnalysisResult[]>[] = [];
      for (let i = 0; i < texts.length; i += SLICE) slices.push(send(texts.slice(i, i + SLICE)));
      return (await Promise.all(slices)).flat();
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
