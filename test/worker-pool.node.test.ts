import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createWorkerPool, spawnNodeWorker } from '../src/worker/node.js';
import { poolContract } from './worker-pool-contract.js';

// Node 20 cannot start .ts workers: the thread registers tsx first (TOOLCHAIN.md §6).
const ts = (path: string) => () => spawnNodeWorker({ module: new URL(path, import.meta.url), loader: 'tsx/esm/api' });

describe('the worker pool on node:worker_threads', () => {
  poolContract({
    createPool: (options) => createWorkerPool(options),
    good: ts('../src/worker/worker.ts'),
    unloadable: ts('./fixtures/no-such-worker.ts'),
    crashing: ts('./fixtures/crashing-worker.ts'),
  });

  it('defaults to one worker per available core', async () => {
    const pool = createWorkerPool();
    expect(pool.size).toBe(availableParallelism());
    await pool.close();
  });

  // Buffer.prototype.slice is a view: a "copy" made with it transferred the caller's own
  // ArrayBuffer to the worker and detached the bytes the caller still held.
  it('leaves the caller\'s Node Buffers intact (sha256 and verifyChunk copy before moving)', async () => {
    const pool = createWorkerPool({ size: 1 });
    try {
      const data = Buffer.from('abc'.repeat(1000));
      const want = createHash('sha256').update(data).digest();
      expect(Buffer.from(await pool.sha256(data))).toEqual(want);
      expect(data.buffer.byteLength).toBeGreaterThan(0);
      expect(data.toString()).toBe('abc'.repeat(1000));
      const entry = { digest: '00'.repeat(32), size: 8, leaves: 0, lo: '00'.repeat(32), hi: 'ff'.repeat(32), proof: '00'.repeat(32), proofSize: 1 };
      const chunk = Buffer.alloc(8);
      const proof = Buffer.alloc(1);
      await pool.verifyChunk({ root: '00'.repeat(32), index: 0, entry, chunk, proof }).catch(() => undefined);
      expect(chunk.length).toBe(8);
      expect(proof.length).toBe(1);
      expect(chunk.buffer.byteLength).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });
});
