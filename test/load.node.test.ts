// A short slice of `npm run load`: lightsnap serve under 64 connections for two seconds on
// chunks and the manifest answers every request (no error, no non-2xx), and a request still
// gets through while 200 idle connections are held open. Figures are in RELIABILITY.md.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import autocannon from 'autocannon';
import { createCheckpoint } from '../src/checkpoint/create.js';
import { fsStore } from '../src/store/fs.js';
import { serveDirectory } from '../src/net/serve.js';
import { samplePairs } from './checkpoint-fixtures.js';

const servers: Server[] = [];
afterAll(() => servers.forEach((s) => { s.closeAllConnections(); s.close(); }));

describe('lightsnap serve under load', () => {
  it('answers 64 connections with no error, and a request while idle connections are held open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lightsnap-load-'));
    const { manifest } = await createCheckpoint(samplePairs(3000, 2), { store: fsStore(dir), version: 1, maxChunkBytes: 16384 });
    const { server, url } = await serveDirectory(dir);
    servers.push(server);
    const paths = ['manifest.json', ...manifest.chunks.map((c) => `chunks/${c.digest}`)];
    let i = 0;
    const result = await autocannon({
      url: url.replace(/\/$/, ''), connections: 64, duration: 2,
      requests: [{ setupRequest: (req: { path: string }) => ({ ...req, path: `/${paths[i++ % paths.length]}` }) }],
    });
    expect(result.requests.total).toBeGreaterThan(0);
    expect(result.errors + result.timeouts + result.non2xx).toBe(0);
    const port = Number(new URL(url).port);
    const idle: Socket[] = await Promise.all(Array.from({ length: 200 }, () => new Promise<Socket>((resolve) => {
      const s = connect(port, '127.0.0.1', () => resolve(s));
    })));
    try {
      expect((await fetch(`${url}manifest.json`)).status).toBe(200);
    } finally {
      for (const s of idle) s.destroy();
    }
  });
});
