// Worker threads do not inherit the main thread's module hooks on Node 20: register tsx here, then
// load the TypeScript worker, so the analyser threads run the same sources as the server.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
