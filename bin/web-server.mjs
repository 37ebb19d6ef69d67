// The web server `torwatch serve` runs (instead of `next start`): Next.js behind a plain node:http server whose only
// job is to tell the app who is on the other end of the TCP socket. Any incoming x-torwatch-peer header is dropped
// and replaced by "<secret> <socket address>"; the secret is made here at start and handed to the app in
// TORWATCH_PEER_SECRET (same process), so a client cannot forge the header (lib/auth/clientAddress.ts).
//   node bin/web-server.mjs --port 3000 --host 0.0.0.0
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import next from 'next';

const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' } } });
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.host ?? process.env.HOST ?? '0.0.0.0';
const PEER_HEADER = 'x-torwatch-peer';
const secret = randomBytes(24).toString('base64url');
process.env.TORWATCH_PEER_SECRET = secret;

const server = createServer();
const app = next({ dev: false, dir: process.cwd(), hostname, port, httpServer: server });
const handle = app.getRequestHandler();
await app.prepare();

server.on('request', (req, res) => {
  // Node folds repeated headers; rawHeaders keeps them, so strip every spelling of ours from both.
  delete req.headers[PEER_HEADER];
  for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2)
    if (req.rawHeaders[i].toLowerCase() === PEER_HEADER) req.rawHeaders.splice(i, 2);
  req.headers[PEER_HEADER] = `${secret} ${req.socket.remoteAddress ?? ''}`;
  handle(req, res).catch((error) => {
    console.error('web server: unhandled error', error);
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
});
server.on('upgrade', (req, socket, head) => {
  app
    .getUpgradeHandler()(req, socket, head)
    .catch(() => socket.destroy());
});

const stop = () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 10_000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
server.listen(port, hostname, () => console.log(`▲ TorWatch web server ready on http://${hostname}:${port}`));
