// `lightsnap/worker` in Node: a pool of node:worker_threads running ./worker.ts through
// comlink's Node adapter.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { createPool, type WorkerPool, type WorkerPoolOptions } from './pool.js';

export { type WorkerPool, type WorkerPoolOptions, type WorkerLike, type PoolStats } from './pool.js';
export { WorkerFailed, PoolClosed } from '../errors.js';

export interface NodeWorkerOptions {
  /** The worker module (default: lightsnap's, beside this file). */
  module?: URL | string;
  /**
   * A module imported first whose `register()` installs loader hooks, e.g. `tsx/esm/api` to
   * run the TypeScript sources (Node 20 cannot start a .ts worker by itself).
   */
  loader?: URL | string;
}

/** Starts one worker thread running the lightsnap worker module, with the file reader of ../net/dir-source. */
export function spawnNodeWorker(options: NodeWorkerOptions = {}): Worker {
  // From the TypeScript sources (tsx, vitest) the worker is ./worker.ts and needs tsx's hooks;
  // from the built package it is ./worker.js.
  const fromSources = import.meta.url.endsWith('.ts');
  const ext = fromSources ? '.ts' : '.js';
  const module = String(options.module ?? new URL(`./worker${ext}`, import.meta.url));
  const reader = String(new URL(`../net/dir-source${ext}`, import.meta.url));
  const loader = options.loader ?? (fromSources && !options.module ? 'tsx/esm/api' : undefined);
  const imports = `Promise.all([import('node:worker_threads'), import(${JSON.stringify(module)}), import(${JSON.stringify(reader)})])`;
  const load = loader ? `import(${JSON.stringify(String(loader))}).then((l) => l.register()).then(() => ${imports})` : imports;
  // Only dynamic import() here: eval'd code is CommonJS or ESM depending on the parent's
  // --input-type. A failed import is an unhandled rejection, which ends the thread with an
  // 'error' event the pool sees.
  return new Worker(`${load}.then(([{ parentPort }, m, files]) => m.startWorker(parentPort, { readFile: files.readDirFile }));`, { eval: true });
}

/**
 * A pool of `size` worker threads (default: os.availableParallelism()). Its workers read local
 * checkpoint files themselves (`verifyChunkFile`) unless `createWorker` builds other workers.
 */
export function createWorkerPool(options: WorkerPoolOptions & NodeWorkerOptions = {}): WorkerPool {
  return createPool(options, { size: availableParallelism(), createWorker: () => spawnNodeWorker(options), readsFiles: !options.createWorker });
}
