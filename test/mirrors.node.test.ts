// Mirrors that misbehave cost bounded time: a stalled one is overtaken after a short deadline
// and then asked last, instead of costing every file a full series of timeouts.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCheckpoint } from '../src/checkpoint/create.js';
import { restoreCheckpoint, verifyCheckpoint } from '../src/checkpoint/transfer.js';
import { fsStore } from '../src/store/fs.js';
import { memoryStore } from '../src/store/memory.js';
import { serveDirectory } from '../src/net/serve.js';
import { httpSource } from '../src/net/http-source.js';
import { openCheckpoint } from '../src/checkpoint/query.js';
import { samplePairs } from './checkpoint-fixtures.js';
import { hex } from './helpers.js';

const servers: Server[] = [];
afterAll(() => servers.forEach((s) => { s.closeAllConnections(); s.close(); }));

/** A server that takes every request and never answers; it counts them. */
async function stalled(): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req) => { requests.push(req.url ?? ''); });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, requests };
}

describe('a stalled mirror', () => {
  it('is overtaken by the next one and then asked last: the restore completes from the good mirror', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lightsnap-mirrors-'));
    const pairs = samplePairs(3000, 5);
    const { manifest } = await createCheckpoint(pairs, { store: fsStore(dir), version: 1, maxChunkBytes: 8192 });
    expect(manifest.chunks.length).toBeGreaterThan(20);
    const { server, url } = await serveDirectory(dir);
    servers.push(server);
    const stall = await stalled();
    // Each silent request would cost 60 s and three retries; only the overtaking saves the run.
    const sources = [httpSource(stall.url, { timeoutMs: 60_000 }), httpSource(url)];
    const store = memoryStore();
    const r = await restoreCheckpoint({ sources, root: manifest.root, store, concurrency: 4, hedgeMs: 500 });
    expect(r.fetched).toBe(manifest.chunks.length);
    const view = await openCheckpoint(store);
    for (const p of pairs.slice(0, 50)) expect(hex(await view.get(p.key))).toBe(hex(p.value!));
    // Asked first for every other chunk (the lanes rotate), it would get about one request per
    // chunk; once overtaken it is asked last, so it gets the first wave and, under load, the
    // odd hedge when the good mirror is slow too.
    expect(stall.requests.length).toBeGreaterThan(0);
    expect(stall.requests.length).toBeLessThan(manifest.chunks.length / 2);
  });

  it('still lets a slow but working mirror deliver when it is the only one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lightsnap-mirrors-'));
    const { manifest } = await createCheckpoint(samplePairs(300, 6), { store: fsStore(dir), version: 1, maxChunkBytes: 8192 });
    const { server, url } = await serveDirectory(dir);
    servers.push(server);
    const slow = createServer((req, res) => setTimeout(() => {
      fetch(url + (req.url ?? '').slice(1)).then(async (r) => res.writeHead(r.status).end(Buffer.from(await r.arrayBuffer())));
    }, 30));
    servers.push(slow);
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const slowUrl = `http://127.0.0.1:${(slow.address() as { port: number }).port}/`;
    const v = await verifyCheckpoint({ sources: [httpSource(slowUrl)], root: manifest.root, hedgeMs: 1 });
    expect(v.fetched).toBe(manifest.chunks.length);
    expect(v.badSources).toEqual([]);
  });
});
