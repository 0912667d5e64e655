// `lightsnap serve`: checkpoint directories as static files. Chunk and proof files are named
// by their SHA-256, so they are served `immutable` with the digest as ETag and any CDN can
// cache them forever; manifests are revalidated (ETag from size and mtime, so a request never
// reads more of a file than it sends). Single byte ranges are honoured. Only files whose real
// path (links resolved) lies under the served directory are served (docs/SECURITY.md).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, normalize, resolve, sep } from 'node:path';
import { InvalidArgument } from '../errors.js';

export interface ServeOptions {
  port?: number;
  host?: string;
  /** Dynamic answers tried before the files (the devnet's RPC); undefined falls through to the files. */
  answer?: (url: URL) => { status: number; body: string; contentType?: string } | undefined;
  /** Called once per request, after the response is sent (for logs and tests). */
  onRequest?: (info: { method: string; path: string; status: number; bytes: number }) => void;
}

const CONTENT_ADDRESSED = /(^|\/)(chunks|proofs)\/([0-9a-f]{64})$/;

function contentType(path: string): string {
  if (path.endsWith('.json')) return 'application/json';
  if (path.endsWith('.html')) return 'text/html; charset=utf-8';
  if (path.endsWith('.js')) return 'text/javascript';
  return 'application/octet-stream';
}

const isUnder = (root: string, path: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

/** The file under `root` that a URL path names, or undefined if it would escape root. */
function resolvePath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const full = normalize(join(root, decoded));
  return isUnder(root, full) ? full : undefined;
}

/** The file's stats if it exists and its real path is inside `realRoot` (no link leads out). */
async function statInside(realRoot: string, path: string): Promise<Stats | undefined> {
  const real = await realpath(path).catch(() => undefined);
  return real && isUnder(realRoot, real) ? stat(real).catch(() => undefined) : undefined;
}

function etagOf(info: Stats, relative: string): string {
  const m = CONTENT_ADDRESSED.exec(relative);
  return m ? `"${m[3]}"` : `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
}

async function handle(root: string, realRoot: string, req: IncomingMessage, res: ServerResponse, answer: ServeOptions['answer']): Promise<number> {
  res.setHeader('Access-Control-Allow-Origin', '*');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return 0;
  }
  const dynamic = answer?.(new URL(req.url ?? '/', 'http://x'));
  if (dynamic) {
    const body = Buffer.from(dynamic.body);
    res.writeHead(dynamic.status, { 'Content-Type': dynamic.contentType ?? 'application/json', 'Content-Length': body.length, 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
    return body.length;
  }
  const urlPath = new URL(req.url ?? '/', 'http://x').pathname;
  let file = resolvePath(root, urlPath);
  let info = file ? await statInside(realRoot, file) : undefined;
  if (file && info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await statInside(realRoot, file);
  }
  if (!file || !info?.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    return 0;
  }
  const relative = urlPath.replace(/^\/+/, '');
  const etag = etagOf(info, relative);
  const headers: Record<string, string> = {
    'Content-Type': contentType(file),
    ETag: etag,
    'Accept-Ranges': 'bytes',
    'Cache-Control': CONTENT_ADDRESSED.test(relative) ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers).end();
    return 0;
  }
  let start = 0;
  let end = info.size - 1;
  let status = 200;
  const range = req.headers.range;
  if (range) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range);
    const s = m?.[1] ? Number(m[1]) : undefined;
    const e = m?.[2] ? Number(m[2]) : undefined;
    if (m && s !== undefined) {
      start = s;
      end = e !== undefined ? Math.min(e, info.size - 1) : info.size - 1;
    } else if (m && e !== undefined) {
      start = Math.max(0, info.size - e);
    }
    if (!m || (s === undefined && e === undefined) || start > end || start >= info.size) {
      res.writeHead(416, { 'Content-Range': `bytes */${info.size}` }).end();
      return 0;
    }
    status = 206;
    headers['Content-Range'] = `bytes ${start}-${end}/${info.size}`;
  }
  headers['Content-Length'] = String(end - start + 1);
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || info.size === 0) {
    res.end();
    return 0;
  }
  await new Promise<void>((resolve, reject) => {
    createReadStream(file!, { start, end }).on('error', reject).pipe(res).on('finish', resolve).on('error', reject);
  });
  return end - start + 1;
}

const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'the port is in use',
  EACCES: 'not allowed to use that port',
  EADDRNOTAVAIL: 'that address is not one of this machine\'s',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve',
};

/** Serves `root` over HTTP; resolves once listening, with the server and its base URL. */
export async function serveDirectory(root: string, opts: ServeOptions = {}): Promise<{ server: Server; url: string }> {
  const absRoot = resolve(root);
  const realRoot = await realpath(absRoot).catch((err: NodeJS.ErrnoException) => {
    throw new InvalidArgument(`cannot serve ${root}: ${err.code ?? err.message}`);
  });
  const server = createServer((req, res) => {
    handle(absRoot, realRoot, req, res, opts.answer).then(
      (bytes) => opts.onRequest?.({ method: req.method ?? '', path: req.url ?? '', status: res.statusCode, bytes }),
      (err) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${(err as Error).message}\n`);
        else res.destroy();
      });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new InvalidArgument(
      `cannot listen on ${host}:${opts.port ?? 0}: ${LISTEN_ERRORS[err.code ?? ''] ?? err.message} (${err.code ?? 'error'})`)));
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/` };
}
