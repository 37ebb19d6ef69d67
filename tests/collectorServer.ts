import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

// A loopback CollecTor for tests: serves a directory in CollecTor's layout, with an Apache-style HTML index page for
// each directory (as collector.torproject.org serves recent/), 404 for what is missing, and optional stalls (half a
// file, then silence) to test timeouts.

export interface CollectorServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

export interface CollectorServerOptions {
  /** Paths (relative, e.g. `archive/…/consensuses-2026-06.tar.xz`) that send half their bytes and then stall. */
  stall?: Set<string>;
}

export async function startCollectorServer(
  root: string,
  options: CollectorServerOptions = {},
): Promise<CollectorServer> {
  const requests: string[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((request, response) => {
    const relative = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    requests.push(relative);
    const file = path.join(root, relative);
    if (!file.startsWith(root) || relative.split('/').includes('..')) return notFound(response);
    let info;
    try {
      info = statSync(file);
    } catch {
      return notFound(response);
    }
    if (info.isDirectory()) {
      response.writeHead(200, { 'content-type': 'text/html;charset=UTF-8' });
      response.end(indexPage(relative, file));
      return;
    }
    const bytes = readFileSync(file);
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
    if (options.stall?.has(relative)) {
      response.write(bytes.subarray(0, bytes.length >> 1)); // and never the rest
      return;
    }
    response.end(bytes);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function notFound(response: ServerResponse) {
  response.writeHead(404, { 'content-type': 'text/html' });
  response.end('<html><body><h1>Not Found</h1></body></html>');
}

function indexPage(relative: string, dir: string): string {
  const rows = readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((entry) => {
      const name = entry.isDirectory() ? `${entry.name}/` : entry.name;
      const size = entry.isDirectory() ? '-' : String(statSync(path.join(dir, entry.name)).size);
      return `<tr><td valign="top"><img src="/icons/unknown.gif" alt="[   ]"></td><td><a href="${name}">${name}</a></td><td align="right">2026-06-30 23:05  </td><td align="right">${size}</td><td>&nbsp;</td></tr>`;
    });
  return `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
<html>
 <head>
  <title>Index of /${relative}</title>
 </head>
 <body>
<h1>Index of /${relative}</h1>
  <table>
   <tr><th valign="top"><img src="/icons/blank.gif" alt="[ICO]"></th><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th><th><a href="?C=S;O=A">Size</a></th><th><a href="?C=D;O=A">Description</a></th></tr>
   <tr><th colspan="5"><hr></th></tr>
<tr><td valign="top"><img src="/icons/back.gif" alt="[PARENTDIR]"></td><td><a href="/${relative.split('/').slice(0, -2).join('/')}">Parent Directory</a></td><td>&nbsp;</td><td align="right">  - </td><td>&nbsp;</td></tr>
${rows.join('\n')}
   <tr><th colspan="5"><hr></th></tr>
</table>
</body></html>
`;
}
