// A pool of lightsnap workers. At most `size` calls run at once, one per worker; further
// callers wait for a slot (backpressure), so the bytes in flight stay bounded by
// size × the largest argument. Each call's bytes are copied into a buffer of its own and
// *transferred* (a structured clone would copy the whole underlying ArrayBuffer of a view);
// the caller keeps its bytes, which is also what lets a call be retried. verifyMovedChunk
// instead moves the caller's own buffers to the worker and back, with no copy (a restore's
// freshly fetched chunk): those bytes cannot be retried.
//
// A worker that fails to load, crashes, exits or never reports ready is detected (every call
// races the worker's failure), discarded and replaced, and the call is retried once on a fresh
// worker; a second failure (or the first, once moved bytes went with the worker) rejects with
// WorkerFailed. No call waits forever on a dead worker.
import { releaseProxy, transfer, wrap, type Endpoint, type Remote } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { assertBytes, assertInteger, assertObject } from '../assert.js';
import { InvalidArgument, PoolClosed, WorkerFailed } from '../errors.js';
import { installErrorTransfer } from './error-transfer.js';
import { CORE_KEY, READY_KEY } from './protocol.js';
import { coreHandle } from '../core/load.js';
import type { CoreHandle } from '../core/handoff.js';
import type { WorkerApi } from './worker.js';
import type { ChunkFileInput, ChunkInput, MovedChunk, Verifier } from '../checkpoint/verify.js';

/** What the pool needs of a browser `Worker` (created with `{ type: 'module' }`). */
export interface WebWorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: string, listener: (event: any) => void): void;
  removeEventListener(type: string, listener: (event: any) => void): void;
  terminate(): void;
}

/** What the pool needs of a `node:worker_threads` Worker. */
export interface NodeWorkerLike {
  postMessage(message: unknown, transferList?: readonly any[]): void;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  terminate(): unknown;
}

export type WorkerLike = WebWorkerLike | NodeWorkerLike;

export interface WorkerPoolOptions {
  /** Number of workers (default: the cores available). */
  size?: number;
  /** Builds one worker running lightsnap's worker module (default: the module shipped beside this one). */
  createWorker?: () => WorkerLike;
  /** Milliseconds a new worker may take to load before it counts as failed (default 30 000). */
  startTimeoutMs?: number;
}

export interface PoolStats {
  /** Workers alive (started lazily, up to `size`). */
  workers: number;
  /** Calls running on a worker. */
  busy: number;
  /** Calls waiting for a free worker. */
  queued: number;
}

/** A Verifier (for restoreCheckpoint, verifyCheckpoint, Restorer) that runs on workers. */
export interface WorkerPool extends Verifier {
  readonly size: number;
  /**
   * Verifies a chunk on a worker; rejects with the same typed error (ChunkCorrupted,
   * ChunkProofVerificationFailed, with chunk and source) as the in-thread verifyChunk.
   */
  verifyChunk(input: ChunkInput): Promise<void>;
  /** verifyChunk moving the caller's buffers to the worker and back (see Verifier). */
  verifyMovedChunk(input: ChunkInput): Promise<MovedChunk>;
  /**
   * Node pools whose workers lightsnap starts: reads the chunk file on a worker and verifies it
   * there (see Verifier); the same typed errors as `dirSource` and verifyChunk.
   */
  verifyChunkFile?(input: ChunkFileInput): Promise<void>;
  /** SHA-256 of `data` on a worker. */
  sha256(data: Uint8Array): Promise<Uint8Array>;
  stats(): PoolStats;
  /** Starts the workers not started yet (otherwise each starts with a call), idle until called. */
  warmUp(): void;
  /** Terminates the workers; pending and later calls reject with PoolClosed. */
  close(): Promise<void>;
}

/** A worker died under a call; internal, becomes a retry or WorkerFailed. */
class WorkerDied extends Error {}

interface Thread {
  api: Remote<WorkerApi>;
  /** Resolves once the worker has posted its ready message. */
  ready: Promise<void>;
  /** Rejects with WorkerDied when the worker fails at any time; never resolves. */
  dead: Promise<never>;
  isDead(): boolean;
  kill(): Promise<void>;
}

function isNodeWorker(w: WorkerLike): w is NodeWorkerLike {
  return typeof (w as NodeWorkerLike).on === 'function';
}

/** Subscribes to a worker's messages and failures, whichever kind of worker it is. */
function listen(w: WorkerLike, onMessage: (data: unknown) => void, onFailure: (why: string) => void): Endpoint {
  if (isNodeWorker(w)) {
    w.on('message', onMessage);
    w.on('error', (err: Error) => onFailure(`it threw ${err?.message ?? err}`));
    w.on('messageerror', () => onFailure('a message could not be deserialised'));
    w.on('exit', (code: number) => onFailure(`it exited with code ${code}`));
    return nodeEndpoint(w);
  }
  w.addEventListener('message', (e: MessageEvent) => onMessage(e.data));
  w.addEventListener('error', (e: ErrorEvent) => {
    e.preventDefault?.();
    onFailure(e.message ? `it threw ${e.message}` : 'it failed to load');
  });
  w.addEventListener('messageerror', () => onFailure('a message could not be deserialised'));
  return w as Endpoint;
}

/** Longest a starting thread is given to finish loading before it is terminated anyway. */
const STOP_GRACE_MS = 5000;

function startThread(w: WorkerLike, startTimeoutMs: number, core: CoreHandle): Thread {
  let dead = false;
  let fail!: (err: WorkerDied) => void;
  const deadPromise = new Promise<never>((_, reject) => { fail = reject; });
  deadPromise.catch(() => {});
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => { markReady = resolve; });
  let loaded = false;
  // Resolves when the thread has loaded, failed or exited: the worker itself said so.
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => { settle = resolve; });
  const timer = setTimeout(() => die(`it did not report ready within ${startTimeoutMs} ms`), startTimeoutMs);
  // Terminating a thread while it is still loading its modules can take the whole process down
  // (once, a vitest fork running these workers through tsx's loader hooks died with no message),
  // so a starting thread is terminated once it has loaded or failed, or after a grace period.
  async function stop(): Promise<void> {
    if (!loaded) {
      let grace: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([settled, new Promise((resolve) => { grace = setTimeout(resolve, STOP_GRACE_MS); })]);
      clearTimeout(grace);
    }
    await w.terminate();
  }
  function die(why: string): void {
    if (dead) return;
    dead = true;
    clearTimeout(timer);
    fail(new WorkerDied(`a worker failed: ${why}`));
    void stop();
  }
  const endpoint = listen(w, (data) => {
    if (data && typeof data === 'object' && READY_KEY in data) {
      clearTimeout(timer);
      loaded = true;
      settle();
      markReady();
    }
  }, (why) => {
    settle();
    die(why);
  });
  w.postMessage({ [CORE_KEY]: core }, []);
  const api = wrap<WorkerApi>(endpoint);
  return {
    api,
    ready,
    dead: deadPromise,
    isDead: () => dead,
    async kill() {
      dead = true;
      clearTimeout(timer);
      api[releaseProxy]();
      await stop();
    },
  };
}

/**
 * A copy of `bytes` in an ArrayBuffer of its own, which can be transferred. Not `bytes.slice()`:
 * on a Node Buffer that is a view, and transferring its buffer would detach the caller's bytes.
 */
function movable(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}

/** Checks a call's bytes before anything is copied or moved: a typed error, not a TypeError from the copy. */
function assertBytesOf(input: unknown, fields: readonly string[]): void {
  assertObject(input, 'input');
  for (const f of fields) assertBytes((input as Record<string, unknown>)[f], `input.${f}`);
}

/** `bytes` itself when it spans an ArrayBuffer of its own (it can be moved as it is), else a movable copy. */
function ownBuffer(bytes: Uint8Array, other?: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return whole && bytes.buffer !== other?.buffer ? bytes : movable(bytes);
}

/** Builds a pool; the environment entry points (./index.ts, ./node.ts) supply the defaults. */
export function createPool(options: WorkerPoolOptions, defaults: { size: number; createWorker?: () => WorkerLike; readsFiles?: boolean }): WorkerPool {
  const size = options.size ?? Math.max(1, defaults.size);
  assertInteger(size, 'size', 1, 1024);
  const createWorker = options.createWorker ?? defaults.createWorker;
  if (!createWorker) throw new InvalidArgument('createWorker is required here: no default worker for this environment');
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  installErrorTransfer();

  const threads = new Set<Thread>();
  const idle: Thread[] = [];
  const waiting: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  let busy = 0;
  let closed = false;
  let rejectClosed!: (err: Error) => void;
  const closing = new Promise<never>((_, reject) => { rejectClosed = reject; });
  closing.catch(() => {});

  async function acquireSlot(): Promise<void> {
    if (closed) throw new PoolClosed();
    if (busy < size) {
      busy++;
      return;
    }
    await new Promise<void>((resolve, reject) => waiting.push({ resolve, reject }));
  }

  function releaseSlot(): void {
    const next = waiting.shift();
    if (next) next.resolve(); // the slot passes straight to the next caller
    else busy--;
  }

  function takeThread(core: CoreHandle): Thread {
    for (let t = idle.pop(); t; t = idle.pop()) {
      if (!t.isDead()) return t;
      threads.delete(t);
    }
    return startNew(core);
  }

  function startNew(core: CoreHandle): Thread {
    const t = startThread(createWorker!(), startTimeoutMs, core);
    threads.add(t);
    return t;
  }

  function discard(t: Thread): void {
    threads.delete(t);
    void t.kill();
  }

  /** Runs `task` on a worker; after a worker died under it, again on a fresh one if `retryable()`. */
  async function run<T>(task: (api: Remote<WorkerApi>) => Promise<T>, retryable = () => true): Promise<T> {
    await acquireSlot();
    try {
      // The workers run the core this thread loaded (CoreUnavailable here if none can be).
      const core = await coreHandle();
      let lastDeath: WorkerDied | undefined;
      for (let attempt = 0; attempt < 2; attempt++) {
        if (closed) throw new PoolClosed();
        const t = takeThread(core);
        try {
          const result = await Promise.race([t.ready.then(() => task(t.api)), t.dead, closing]);
          idle.push(t);
          return result;
        } catch (err) {
          if (!(err instanceof WorkerDied)) {
            if (!closed && !t.isDead()) idle.push(t);
            throw err;
          }
          discard(t);
          lastDeath = err;
          if (!retryable()) throw new WorkerFailed(`${err.message} with the chunk's bytes, moved to it: fetch them again`, { cause: err });
        }
      }
      throw new WorkerFailed(`${lastDeath!.message}, and again on a fresh worker`, { cause: lastDeath });
    } finally {
      releaseSlot();
    }
  }

  return {
    size,
    verifyChunk: async (input) => {
      assertBytesOf(input, ['chunk', 'proof']);
      return run(async (api) => {
      const chunk = movable(input.chunk);
      const proof = movable(input.proof);
      await api.verifyChunk(transfer({ ...input, chunk, proof }, [chunk.buffer, proof.buffer]));
      });
    },
    verifyMovedChunk: async (input) => {
      assertBytesOf(input, ['chunk', 'proof']);
      let moved = false;
      return run((api) => {
        const chunk = ownBuffer(input.chunk);
        const proof = ownBuffer(input.proof, chunk);
        moved = true;
        return api.verifyChunk(transfer({ ...input, chunk, proof }, [chunk.buffer, proof.buffer]));
      }, () => !moved);
    },
    // Only the proof is copied (small); a call whose worker died is retried like verifyChunk.
    ...(defaults.readsFiles ? {
      verifyChunkFile: async (input: ChunkFileInput) => {
        assertBytesOf(input, ['proof']);
        return run((api) => {
          const proof = movable(input.proof);
          return api.verifyChunkFile(transfer({ ...input, proof }, [proof.buffer]));
        });
      },
    } : {}),
    sha256: async (data) => {
      assertBytes(data, 'data');
      return run((api) => {
        const copy = movable(data);
        return api.sha256(transfer(copy, [copy.buffer]));
      });
    },
    stats: () => ({ workers: threads.size, busy, queued: waiting.length }),
    warmUp() {
      // A missing core or a worker that cannot be created or started is not reported here: the
      // calls find out (CoreUnavailable; a dead idle worker is discarded and replaced).
      coreHandle().then((core) => {
        while (!closed && threads.size < size) idle.push(startNew(core));
      }).catch(() => {});
    },
    async close() {
      if (closed) return;
      closed = true;
      rejectClosed(new PoolClosed());
      for (const w of waiting.splice(0)) w.reject(new PoolClosed());
      const all = [...threads];
      threads.clear();
      idle.length = 0;
      await Promise.all(all.map((t) => t.kill()));
    },
  };
}
