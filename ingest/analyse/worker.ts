/**
 * One analyser thread (ingest/analyse/pool.ts): loads the shipped rules, model and region pack once,
 * then analyses batches of texts. A text the analyser throws on comes back as `{ error }`, so one bad
 * text never costs its batch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadRegionPack } from '../regions.ts';
import { createDefaultAnalyser } from './analyse.ts';

const analyse = createDefaultAnalyser(loadRegionPack((workerData as { regionPack: string }).regionPack));
parentPort!.on('message', (message: { id: number; texts: string[] }) => {
  const results = message.texts.map((text) => {
    try {
      return analyse(text);
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  });
  parentPort!.postMessage({ id: message.id, results });
});
parentPort!.postMessage({ ready: true });
