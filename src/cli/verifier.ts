// --workers N: where the CLI verifies chunks. 0 verifies in the main thread; N > 0 on a pool of
// N worker threads, with 2 chunks in flight per worker so fetching overlaps verification.
import { localVerifier, type Verifier } from '../checkpoint/verify.js';

export async function verifierFor(workers: number | undefined): Promise<{ verifier: Verifier; concurrency: number; close(): Promise<void> }> {
  const n = workers ?? 0;
  if (n === 0) return { verifier: localVerifier, concurrency: 4, close: async () => {} };
  const { createWorkerPool } = await import('../worker/node.js');
  const pool = createWorkerPool({ size: n });
  return { verifier: pool, concurrency: 2 * n, close: () => pool.close() };
}
