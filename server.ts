/**
 * `npm start`: build when stale, migrate, serve the command centre and Socket.IO on one port.
 * Wiring only; the parts live in server/, ingest/, db/ and realtime/.
 */
import { ensureBuild } from './server/build.ts';
import { ConfigError, loadConfig } from './server/config.ts';
import { startServer } from './server/main.ts';

const SHUTDOWN_LIMIT_MS = 10_000;

try {
  const config = loadConfig();
  ensureBuild();
  const server = await startServer(config);
  server.app.log.info(`Wenkong 稳控 listening on ${server.url} (wall: ${server.url}/wall)`);

  const shutdown = (signal: string) => {
    server.app.log.info(`${signal}: shutting down`);
    setTimeout(() => {
      server.app.log.error(`shutdown took longer than ${SHUTDOWN_LIMIT_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error('shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
} catch (error) {
  process.stderr.write(
    `Wenkong could not start: ${error instanceof ConfigError ? error.message : String((error as Error).stack ?? error)}\n`,
  );
  process.exit(1);
}
