// `lightsnap/worker` in browsers (and any bundler target that is not Node): a pool of Web
// Workers running ./worker.ts. Bundlers (Vite, webpack 5, esbuild with the plugin) recognise
// `new Worker(new URL('./worker.js', import.meta.url))` and emit the worker; when yours does
// not, pass `createWorker`.
import { createPool, type WorkerPool, type WorkerPoolOptions } from './pool.js';

export { type WorkerPool, type WorkerPoolOptions, type WorkerLike, type PoolStats } from './pool.js';
export { WorkerFailed, PoolClosed } from '../errors.js';

/** A pool of `size` Web Workers (default: navigator.hardwareConcurrency). */
export function createWorkerPool(options: WorkerPoolOptions = {}): WorkerPool {
  return createPool(options, {
    size: globalThis.navigator?.hardwareConcurrency ?? 2,
    createWorker: () => new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'lightsnap' }),
  });
}
