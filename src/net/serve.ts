// `lightsnap serve`: checkpoint directories as static files. Chunk and proof files are named
// by their SHA-256, so they are served `immutable` with the digest as ETag and any CDN can
// cache them forever; manifests are revalidated. Single byte ranges are honoured.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, normalize, sep } from 'node:path';

export interface ServeOptions {
  port?: number;
  host?: string;
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
  return full === root || full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : undefined;
}

async function etagOf(path: string, relative: string): Promise<string> {
  const m = CONTENT_ADDRESSED.exec(relative);
  if (m) return `"${m[3]}"`;
  return `"${createHash('sha256').update(await readFile(path)).digest('hex').slice(0, 32)}"`;
}

async function handle(root: string, req: IncomingMessage, res: ServerResponse): Promise<number> {
  res.setHeader('Access-Control-Allow-Origin', '*');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return 0;
  }
  const urlPath = new URL(req.url ?? '/', 'http://x').pathname;
  let file = resolvePath(root, urlPath);
  let info = file ? await stat(file).catch(() => undefined) : undefined;
  if (file && info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => undefined);
  }
  if (!file || !info?.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    return 0;
  }
  const relative = urlPath.replace(/^\/+/, '');
  const etag = await etagOf(file, relative);
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

/** Serves `root` over HTTP; resolves once listening, with the server and its base URL. */
export async function serveDirectory(root: string, opts: ServeOptions = {}): Promise<{ server: Server; url: string }> {
  const absRoot = normalize(root);
  const server = createServer((req, res) => {
    handle(absRoot, req, res).then(
      (bytes) => opts.onRequest?.({ method: req.method ?? '', path: req.url ?? '', status: res.statusCode, bytes }),
      (err) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${(err as Error).message}\n`);
        else res.destroy();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return { server, url: `http://${opts.host ?? '127.0.0.1'}:${port}/` };
}
