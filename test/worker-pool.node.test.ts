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
});
