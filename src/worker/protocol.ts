// lightsnap's own messages beside comlink's. The pool first posts `{ [CORE_KEY]: CoreHandle }`:
// the core its thread loaded, so the worker runs the same one and its bundle carries no core
// bytes (src/core/handoff.ts). The worker then posts `{ [READY_KEY]: coreKind }` once comlink
// listens, and the pool sends no call before it (comlink drops earlier messages).
export const CORE_KEY = 'lightsnapWorkerCore';
export const READY_KEY = 'lightsnapWorkerReady';
