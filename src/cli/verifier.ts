// --workers N: where the CLI verifies chunks. 0 (the default) verifies in the main thread; N > 0
// uses a pool of N worker threads, with two chunks in flight per worker so fetching overlaps
// verification while memory stays at a few chunks per worker.
import { localVerifier, type Verifier } from '../checkpoint/verify.js';
import { createWorkerPool } from '../worker/node.js';

export async function verifierFor(workers: number | undefined): Promise<{ verifier: Verifier; concurrency: number; close(): Promise<void> }> {
  const n = workers ?? 0;
  if (n === 0) return { verifier: localVerifier, concurrency: 4, close: async () => {} };
  const pool = createWorkerPool({ size: n });
  return { verifier: pool, concurrency: 2 * n, close: () => pool.close() };
}
