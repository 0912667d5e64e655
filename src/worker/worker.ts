// The lightsnap worker: one module that runs as a Web Worker (module type) and under
// node:worker_threads. It takes over the core the pool's thread loaded (./protocol.ts), exposes
// the API below through comlink, and then posts the ready message: comlink drops calls that
// arrive before `expose` runs, so the pool sends none until it has seen it (TOOLCHAIN.md, P4).
// It calls the core it was handed, never `backend()`, so no core bytes enter a worker bundle.
//
// As a Web Worker it starts by itself. Under worker_threads the thread's bootstrap imports it
// and calls `startWorker(parentPort, { readFile })` (see ./node.ts), handing in the file reader
// of src/net/dir-source.ts, so this module never imports a Node built-in and stays the same
// file for both.
import { expose, transfer, type Endpoint } from 'comlink';
import nodeEndpoint, { type NodeEndpoint } from 'comlink/dist/esm/node-adapter.mjs';
import type { Backend } from '../core/backend.js';
import { backendFromHandle, type CoreHandle } from '../core/handoff.js';
import { assertBytes, assertInteger, assertObject, assertString } from '../assert.js';
import { verifyChunkOn, type ChunkFileInput, type ChunkInput, type MovedChunk } from '../checkpoint/verify.js';
import { InvalidArgument } from '../errors.js';
import { installErrorTransfer } from './error-transfer.js';
import { CORE_KEY, READY_KEY } from './protocol.js';

let core: Backend;

/** Reads a file of a local checkpoint directory with at most `maxBytes` (`readDirFile`; Node only). */
export type FileReader = (dir: string, path: string, maxBytes: number) => Uint8Array;

let readFile: FileReader | undefined;

export const workerApi = {
  /**
   * Checks a chunk's digests and range proof against the root; throws the typed error. Hands
   * the bytes back (moved, not copied): the pool sent them moved, and a caller that gave them
   * up stores these.
   */
  verifyChunk(input: ChunkInput): MovedChunk {
    verifyChunkOn(core, input);
    const { chunk, proof } = input;
    return transfer({ chunk, proof }, [chunk.buffer, proof.buffer]);
  },
  /** Reads the chunk file and verifies it here; its bytes never cross to the caller's thread. */
  verifyChunkFile(input: ChunkFileInput): void {
    if (!readFile) throw new InvalidArgument('this worker reads no files: verifyChunkFile runs on Node worker threads started by lightsnap');
    assertObject(input, 'input');
    assertObject(input.entry, 'input.entry');
    assertString(input.dir, 'input.dir');
    assertString(input.chunkPath, 'input.chunkPath');
    assertInteger(input.entry.size, 'input.entry.size', 0, Number.MAX_SAFE_INTEGER);
    verifyChunkOn(core, { ...input, chunk: readFile(input.dir, input.chunkPath, input.entry.size) });
  },
  /** SHA-256 off the main thread (the pool transfers `data` here). */
  sha256(data: Uint8Array): Uint8Array {
    assertBytes(data, 'data');
    return core.sha256(data);
  },
};

export type WorkerApi = typeof workerApi;

/**
 * Serves the worker API on `port` (worker_threads' parentPort), or on the Web Worker's scope,
 * once the pool has handed over the core. `readFile` enables `verifyChunkFile`.
 */
export function startWorker(port?: NodeEndpoint, options: { readFile?: FileReader } = {}): void {
  installErrorTransfer();
  readFile = options.readFile;
  const endpoint: Endpoint = port ? nodeEndpoint(port) : (globalThis as unknown as Endpoint);
  const onMessage = (event: MessageEvent): void => {
    const handle = (event.data as Record<string, CoreHandle> | null)?.[CORE_KEY];
    if (!handle) return;
    endpoint.removeEventListener('message', onMessage as EventListener);
    backendFromHandle(handle).then((b) => {
      core = b;
      expose(workerApi, endpoint);
      endpoint.postMessage({ [READY_KEY]: b.kind });
    }, (err) => {
      // Thrown outside the promise, so the pool sees the worker fail rather than wait.
      setTimeout(() => { throw err; });
    });
  };
  endpoint.addEventListener('message', onMessage as EventListener);
}

declare const WorkerGlobalScope: (abstract new () => unknown) | undefined;
if (typeof WorkerGlobalScope === 'function' && globalThis instanceof WorkerGlobalScope) startWorker();
