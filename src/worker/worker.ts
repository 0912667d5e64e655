// The lightsnap worker: one module that runs as a Web Worker (module type) and under
// node:worker_threads. It loads the core once, exposes the API below through comlink, and
// then posts the ready message: comlink drops calls that arrive before `expose` runs, so the
// pool sends none until it has seen it (TOOLCHAIN.md, P4).
//
// As a Web Worker it starts by itself. Under worker_threads the thread's bootstrap imports it
// and calls `startWorker(parentPort)` (see ./node.ts), so this module never imports a Node
// built-in and stays the same file for both.
import { expose, type Endpoint } from 'comlink';
import nodeEndpoint, { type NodeEndpoint } from 'comlink/dist/esm/node-adapter.mjs';
import { initSync } from '../core/load.js';
import type { BackendKind } from '../core/backend.js';
import { sha256 } from '../hash/sha256.js';
import { verifyChunk, type ChunkInput } from '../checkpoint/verify.js';
import { installErrorTransfer } from './error-transfer.js';
import { READY_KEY } from './protocol.js';

export const workerApi = {
  /** Checks a chunk's digests and range proof against the root; throws the typed error. */
  verifyChunk(input: ChunkInput): void {
    verifyChunk(input);
  },
  /** SHA-256 off the main thread (the pool transfers `data` here). */
  sha256(data: Uint8Array): Uint8Array {
    return sha256(data);
  },
};

export type WorkerApi = typeof workerApi;

/** Serves the worker API on `port` (worker_threads' parentPort), or on the Web Worker's scope. */
export function startWorker(port?: NodeEndpoint): BackendKind {
  installErrorTransfer();
  const kind = initSync();
  const endpoint: Endpoint = port ? nodeEndpoint(port) : (globalThis as unknown as Endpoint);
  expose(workerApi, endpoint);
  endpoint.postMessage({ [READY_KEY]: kind });
  return kind;
}

declare const WorkerGlobalScope: (abstract new () => unknown) | undefined;
if (typeof WorkerGlobalScope === 'function' && globalThis instanceof WorkerGlobalScope) startWorker();
