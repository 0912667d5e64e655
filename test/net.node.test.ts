import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDirectory } from '../src/net/serve.js';
import { httpSource } from '../src/net/http-source.js';
import { dirSource } from '../src/net/dir-source.js';
import { CheckpointNotFound, ChunkCorrupted, ChunkNotFound, InvalidArgument, SourceUnavailable } from '../src/errors.js';
import { rng } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'lightsnap-net-'));
mkdirSync(join(dir, 'chunks'));
const digest = 'ab'.repeat(32);
const chunkBytes = rng(3).bytes(5000);
writeFileSync(join(dir, 'chunks', digest), chunkBytes);
writeFileSync(join(dir, 'manifest.json'), '{"x":1}\n');
const secret = join(mkdtempSync(join(tmpdir(), 'lightsnap-secret-')), 'secret.txt');
writeFileSync(secret, 'secret');
writeFileSync(join(dir, '..', 'secret.txt'), 'secret');
symlinkSync(secret, join(dir, 'leak.txt'));
symlinkSync(join(dir, '..'), join(dir, 'up'));
symlinkSync(join(dir, 'manifest.json'), join(dir, 'alias.json'));
// A 200 MB file that takes no disk: serving ranges of it must not read it whole.
truncateSync((writeFileSync(join(dir, 'big.bin'), ''), join(dir, 'big.bin')), 200 << 20);

const servers: Server[] = [];
afterAll(() => servers.forEach((s) => { s.closeAllConnections(); s.close(); }));

async function serve() {
  const log: Array<{ path: string; status: number }> = [];
  const { server, url } = await serveDirectory(dir, { onRequest: (i) => log.push(i) });
  servers.push(server);
  return { url, log };
}

/** A server that answers each request with the next behaviour in the list. */
async function scripted(behaviours: Array<'500' | 'hang' | 'ok' | 'huge' | 'gzip' | 'bomb' | 'loop'>): Promise<string> {
  let i = 0;
  const server = createServer((req, res) => {
    const b = behaviours[Math.min(i++, behaviours.length - 1)];
    if (b === '500') res.writeHead(500).end();
    else if (b === 'ok') res.writeHead(200).end('fine');
    else if (b === 'huge') { res.writeHead(200); res.write(new Uint8Array(70_000)); res.end(); }
    else if (b === 'gzip') { // incompressible bytes: the compressed body is longer than the decoded limit
      const body = gzipSync(rng(9).bytes(1000));
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': body.length }).end(body);
    } else if (b === 'bomb') { // 1 MiB of zeros in about 1 kB: Content-Length says little of the decoded size
      const body = gzipSync(new Uint8Array(1 << 20));
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': body.length }).end(body);
    } else if (b === 'loop') res.writeHead(302, { Location: req.url }).end();
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
}

describe('lightsnap serve', () => {
  it('serves content-addressed files as immutable, with the digest as ETag', async () => {
    const { url } = await serve();
    const res = await fetch(`${url}chunks/${digest}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/immutable/);
    expect(res.headers.get('etag')).toBe(`"${digest}"`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(chunkBytes);
    const again = await fetch(`${url}chunks/${digest}`, { headers: { 'If-None-Match': `"${digest}"` } });
    expect(again.status).toBe(304);
    const manifest = await fetch(`${url}manifest.json`);
    expect(manifest.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers byte ranges', async () => {
    const { url } = await serve();
    const res = await fetch(`${url}chunks/${digest}`, { headers: { Range: 'bytes=100-199' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 100-199/5000');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(chunkBytes.subarray(100, 200));
    const tail = await fetch(`${url}chunks/${digest}`, { headers: { Range: 'bytes=-10' } });
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(chunkBytes.subarray(4990));
    expect((await fetch(`${url}chunks/${digest}`, { headers: { Range: 'bytes=9000-' } })).status).toBe(416);
  });

  it('never serves files outside its directory', async () => {
    const { url } = await serve();
    for (const p of ['../secret.txt', '%2e%2e/secret.txt', '..%2fsecret.txt', 'chunks/..%2f..%2fsecret.txt']) {
      const res = await fetch(url + p);
      expect(res.status, p).toBe(404);
    }
    expect((await fetch(url, { method: 'POST' })).status).toBe(405);
  });

  it('follows no link whose target lies outside its directory, and serves links inside it', async () => {
    const { url } = await serve();
    expect((await fetch(`${url}leak.txt`)).status).toBe(404);
    expect((await fetch(`${url}up/secret.txt`)).status).toBe(404);
    const alias = await fetch(`${url}alias.json`);
    expect(alias.status).toBe(200);
    expect(await alias.text()).toBe('{"x":1}\n');
  });

  it('answers ranges of a large file without reading it whole (ETag from its stats)', async () => {
    const { url } = await serve();
    const before = process.memoryUsage().rss;
    const etags = new Set<string | null>();
    for (const start of [0, 50 << 20, 100 << 20, (200 << 20) - 1]) {
      const res = await fetch(`${url}big.bin`, { headers: { Range: `bytes=${start}-${start}` } });
      expect(res.status).toBe(206);
      expect((await res.arrayBuffer()).byteLength).toBe(1);
      etags.add(res.headers.get('etag'));
    }
    expect(etags.size).toBe(1);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 << 20);
  });

  it('says why it cannot listen, as an InvalidArgument', async () => {
    const { url } = await serve();
    const port = Number(new URL(url).port);
    const err = await serveDirectory(dir, { port }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidArgument);
    expect(err.message).toMatch(/port is in use \(EADDRINUSE\)/);
    await expect(serveDirectory(join(dir, 'no-such-dir'))).rejects.toThrow(InvalidArgument);
  });
});

describe('the HTTP source', () => {
  it('fetches files and names missing ones by kind', async () => {
    const { url } = await serve();
    const src = httpSource(url);
    expect(await src.fetch(`chunks/${digest}`, { maxBytes: 5000 })).toEqual(chunkBytes);
    await expect(src.fetch(`chunks/${'00'.repeat(32)}`, { maxBytes: 10 })).rejects.toThrow(ChunkNotFound);
    await expect(httpSource(url + 'nope/').fetch('manifest.json', { maxBytes: 10 })).rejects.toThrow(CheckpointNotFound);
  });

  it('refuses a file larger than expected, naming the source', async () => {
    const { url } = await serve();
    const err = await httpSource(url).fetch(`chunks/${digest}`, { maxBytes: 4999 }).catch((e) => e);
    expect(err).toBeInstanceOf(ChunkCorrupted);
    expect(err.source).toBe(url);
    const huge = await scripted(['huge']);
    await expect(httpSource(huge).fetch('x', { maxBytes: 65_536 })).rejects.toThrow(/more than the 65536 bytes/);
  });

  it('checks a compressed answer by its decoded bytes, as they arrive', async () => {
    const url = await scripted(['gzip']);
    expect(await httpSource(url).fetch('x', { maxBytes: 1000 })).toEqual(rng(9).bytes(1000));
    await expect(httpSource(url).fetch('x', { maxBytes: 999 })).rejects.toThrow(ChunkCorrupted);
  });

  it('bounds a compressed answer by the limit, not by its small Content-Length', async () => {
    const url = await scripted(['bomb']);
    await expect(httpSource(url).fetch('x', { maxBytes: 100_000 })).rejects.toThrow(/more than the 100000 bytes/);
    const bytes = await httpSource(url).fetch('x', { maxBytes: 1 << 20 });
    expect([bytes.length, bytes.some((b) => b !== 0)]).toEqual([1 << 20, false]);
  });

  it('reads a body that is not a byte stream (a Response made from another stream) with the same bound', async () => {
    const body = rng(12).bytes(200_000);
    const pieces = (): typeof fetch => async () => new Response(new ReadableStream<Uint8Array>({
      start(c) {
        for (let at = 0; at < body.length; at += 30_000) c.enqueue(body.slice(at, at + 30_000));
        c.close();
      },
    }));
    expect(await httpSource('https://mirror.example/', { fetch: pieces() }).fetch('x', { maxBytes: 200_000 })).toEqual(body);
    await expect(httpSource('https://mirror.example/', { fetch: pieces() }).fetch('x', { maxBytes: 199_999 }))
      .rejects.toThrow(ChunkCorrupted);
  });

  it('reads a file served with its length into one buffer of exactly that length', async () => {
    const { url } = await serve();
    const bytes = await httpSource(url).fetch(`chunks/${digest}`, { maxBytes: 1 << 20 });
    expect(bytes).toEqual(chunkBytes);
    expect([bytes.byteOffset, bytes.buffer.byteLength]).toEqual([0, chunkBytes.length]);
  });

  it('refuses a malformed URL or one with credentials at once, as the caller\'s mistake', () => {
    for (const bad of ['not a url', 'ftp://a.example/cp/', 'http://user:pw@a.example/cp/', 'http://[::1/']) {
      expect(() => httpSource(bad), bad).toThrow(InvalidArgument);
    }
  });

  it('names a redirect loop at once instead of retrying it', async () => {
    let requests = 0;
    const url = await scripted(['loop']);
    const counting: typeof fetch = (input, init) => { requests++; return fetch(input, init); };
    const err = await httpSource(url, { backoffMs: 1, fetch: counting }).fetch('x', { maxBytes: 10 }).catch((e) => e);
    expect(err).toBeInstanceOf(SourceUnavailable);
    expect(err.message).toMatch(/redirect/);
    expect(requests).toBe(1);
  });

  it('retries server errors with backoff, then succeeds', async () => {
    const url = await scripted(['500', '500', 'ok']);
    const bytes = await httpSource(url, { backoffMs: 1 }).fetch('x', { maxBytes: 100 });
    expect(new TextDecoder().decode(bytes)).toBe('fine');
  });

  it('gives up after its retries with SourceUnavailable, and times out a silent server', async () => {
    const failing = await scripted(['500']);
    await expect(httpSource(failing, { backoffMs: 1, retries: 2 }).fetch('x', { maxBytes: 100 }))
      .rejects.toThrow(/failed 3 times; last: answered 500/);
    const silent = await scripted(['hang']);
    const err = await httpSource(silent, { timeoutMs: 100, retries: 1, backoffMs: 1 }).fetch('x', { maxBytes: 100 }).catch((e) => e);
    expect(err).toBeInstanceOf(SourceUnavailable);
    expect(err.message).toMatch(/timed out after 100 ms/);
  });
});

describe('the directory source', () => {
  it('reads files with the same errors as HTTP', async () => {
    const src = dirSource(dir);
    expect(await src.fetch(`chunks/${digest}`, { maxBytes: 5000 })).toEqual(chunkBytes);
    await expect(src.fetch(`chunks/${'00'.repeat(32)}`, { maxBytes: 10 })).rejects.toThrow(ChunkNotFound);
    await expect(src.fetch(`chunks/${digest}`, { maxBytes: 10 })).rejects.toThrow(ChunkCorrupted);
    await expect(dirSource(join(dir, 'none')).fetch('manifest.json', { maxBytes: 10 })).rejects.toThrow(CheckpointNotFound);
  });
});
