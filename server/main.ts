import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Realtime } from '../realtime/gateway.ts';
import { type AppContext, attachAppRealtime, createApp, type CreateAppOptions } from './app.ts';
import { ROOT } from './build.ts';
import type { Config } from './config.ts';
import { setAppContext } from './context.ts';

export interface RunningServer {
  app: AppContext;
  http: Server;
  realtime: Realtime;
  url: string;
  /** Stops accepting, flushes pending writes, closes sockets and the database. */
  close(): Promise<void>;
}

const PROTOCOL_HEADER = 'x-wenkong-protocol';

type NodeHandler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void;

/**
 * The production server: the adapter-node handler and Socket.IO on one port. Expects `build/` to exist
 * (see ensureBuild).
 */
export async function startServer(config: Config, options: CreateAppOptions = {}): Promise<RunningServer> {
  // Our own limits must decide (intake 1 MB answered as JSON; register uploads 50 MB; scans 10 MB
  // each), not adapter-node's default 512 KB; its limit only bounds what is drained before answering.
  process.env.BODY_SIZE_LIMIT ??= '64M';
  if (!process.env.ORIGIN) process.env.PROTOCOL_HEADER ??= PROTOCOL_HEADER;
  const app = await createApp(config, options);
  setAppContext(app);
  const { handler } = (await import(pathToFileURL(join(ROOT, 'build', 'handler.js')).href)) as { handler: NodeHandler };
  // adapter-node assumes https unless told otherwise, which breaks SvelteKit's origin check on plain
  // http (the embedded demo). Unless the operator set ORIGIN or PROTOCOL_HEADER (behind a TLS proxy),
  // tell it the truth per request in a header of our own that a client cannot supply.
  const ownProtocol =
    !process.env.ORIGIN && (!process.env.PROTOCOL_HEADER || process.env.PROTOCOL_HEADER === PROTOCOL_HEADER);
  const http = createServer((req, res) => {
    if (ownProtocol) {
      req.headers[PROTOCOL_HEADER] = 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
    }
    handler(req, res);
  });
  const realtime = attachAppRealtime(http, app);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const address = http.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
  await app.start(url);

  let closing: Promise<void> | null = null;
  return {
    app,
    http,
    realtime,
    url,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
        http.closeIdleConnections();
        await app.close();
        await realtime.close();
        http.closeAllConnections();
        await stopped;
        setAppContext(undefined);
      })();
      return closing;
    },
  };
}
