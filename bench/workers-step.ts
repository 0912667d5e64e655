// One measurement of the `workers` suite, in its own process: verifies the checkpoint in DIR
// against ROOT in the main thread (WORKERS = 0) or on a pool of WORKERS threads that is started
// and warmed up first, so the figure is verification, not thread start-up (which from the
// TypeScript sources includes tsx compiling the core in each thread). Prints one JSON line.
//   tsx bench/workers-step.ts DIR ROOT WORKERS
import { verifyCheckpoint } from '../src/checkpoint/transfer.js';
import { localVerifier } from '../src/checkpoint/verify.js';
import { dirSource } from '../src/net/dir-source.js';
import { createWorkerPool } from '../src/worker/node.js';

const [dir, root, workersArg] = process.argv.slice(2);
const workers = Number(workersArg);
const pool = workers > 0 ? createWorkerPool({ size: workers }) : undefined;
if (pool) await Promise.all(Array.from({ length: workers }, () => pool.sha256(new Uint8Array(1))));
const t0 = performance.now();
const r = await verifyCheckpoint({ sources: [dirSource(dir)], root, verifier: pool ?? localVerifier, concurrency: Math.max(4, 2 * workers) });
const seconds = (performance.now() - t0) / 1000;
await pool?.close();
console.log(JSON.stringify({ seconds, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), bytes: r.manifest.chunks.reduce((s, x) => s + x.size, 0) }));
