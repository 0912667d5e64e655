// --workers N: where the CLI verifies chunks. 0 verifies in the main thread.
import { localVerifier, type Verifier } from '../checkpoint/verify.js';

export async function verifierFor(workers: number | undefined): Promise<{ verifier: Verifier; concurrency: number; close(): Promise<void> }> {
  const n = workers ?? 0;
  return { verifier: localVerifier, concurrency: Math.max(4, n), close: async () => {} };
}
