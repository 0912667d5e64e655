import { describe, expect, it } from 'vitest';
import { createWorkerPool } from '../src/worker/index.js';
import { createPool } from '../src/worker/pool.js';
import { poolContract } from './worker-pool-contract.js';

const moduleWorker = (url: URL) => () => new Worker(url, { type: 'module' });

describe('the worker pool on Web Workers', () => {
  poolContract({
    createPool: (options) => createPool(options, { size: 2 }),
    good: moduleWorker(new URL('../src/worker/worker.ts', import.meta.url)),
    unloadable: moduleWorker(new URL('./fixtures/no-such-worker.js', import.meta.url)),
    crashing: moduleWorker(new URL('./fixtures/crashing-worker.ts', import.meta.url)),
  });

  it('defaults to one worker per hardware thread', async () => {
    const pool = createWorkerPool();
    expect(pool.size).toBe(navigator.hardwareConcurrency);
    await pool.close();
  });
});
