// What every worker pool must do, in Node (worker_threads) and in Chromium (Web Workers): each
// side's test file supplies the workers.
import { expect, it, vi } from 'vitest';
import type { WorkerLike, WorkerPool, WorkerPoolOptions } from '../src/worker/pool.js';
import { InvalidArgument, PoolClosed, WorkerFailed } from '../src/errors.js';
import { hex, oracleSha256, proofBytes, rng } from './helpers.js';
import { sampleCheckpoint, samplePairs, spySource } from './checkpoint-fixtures.js';
import { verifyChunk, type ChunkInput } from '../src/checkpoint/verify.js';
import { parseManifest } from '../src/format/manifest.js';
import { restoreCheckpoint } from '../src/checkpoint/transfer.js';
import { openCheckpoint } from '../src/checkpoint/query.js';
import { memoryStore } from '../src/store/memory.js';

export interface PoolFixtures {
  createPool(options: WorkerPoolOptions): WorkerPool;
  /** A worker running lightsnap's worker module. */
  good(): WorkerLike;
  /** A worker whose module cannot be loaded. */
  unloadable(): WorkerLike;
  /** A worker that reports ready, then crashes on its first call. */
  crashing(): WorkerLike;
}

/** A factory that hands out the given workers in order, then good ones; counts its calls. */
function sequence(f: PoolFixtures, first: Array<() => WorkerLike>) {
  const made = { count: 0 };
  return {
    made,
    createWorker: () => (first[made.count++] ?? f.good)(),
  };
}

/** The error verifyChunk throws in this thread for `input`, or undefined. */
function localError(input: ChunkInput): unknown {
  try {
    verifyChunk(input);
    return undefined;
  } catch (err) {
    return err;
  }
}

export function poolContract(f: PoolFixtures): void {
  it('verifies chunks as the in-thread verifyChunk does, with the same typed errors', async () => {
    const sample = await sampleCheckpoint(samplePairs(400), 2048);
    const manifest = parseManifest(sample.manifestBytes);
    expect(manifest.chunks.length).toBeGreaterThan(3);
    const pool = f.createPool({ size: 2, createWorker: f.good });
    try {
      const inputs = await Promise.all(manifest.chunks.map(async (entry, index) => ({
        root: sample.root, index, entry, source: 'https://mirror.example/',
        chunk: (await sample.store.get(`chunks/${entry.digest}`))!,
        proof: await proofBytes((p) => sample.store.get(p), manifest, index),
      })));
      await Promise.all(inputs.map((input) => pool.verifyChunk(input)));
      const flipped = inputs[1].chunk.slice();
      flipped[7] ^= 1;
      const otherRoot = (sample.root[0] === '0' ? '1' : '0') + sample.root.slice(1);
      for (const bad of [{ ...inputs[1], chunk: flipped }, { ...inputs[2], root: otherRoot }, { ...inputs[3], proof: inputs[2].proof }]) {
        const want = localError(bad) as Error & { code: string };
        expect(want).toBeDefined();
        const got = await pool.verifyChunk(bad).then(() => undefined, (e: unknown) => e);
        expect(got).toBeInstanceOf(want.constructor);
        expect(got).toMatchObject({ code: want.code, chunk: bad.index, source: 'https://mirror.example/', message: want.message });
      }
      expect(inputs[1].chunk.byteLength).toBe(manifest.chunks[1].size); // the caller's bytes stay usable
      // Wrong arguments are a typed error naming the field, before anything is copied or moved.
      for (const [bad, field] of [[{ ...inputs[0], proof: 'x' }, 'input.proof'], [{ ...inputs[0], chunk: [1, 2] }, 'input.chunk'], [null, 'input']] as const) {
        for (const call of [pool.verifyChunk, pool.verifyMovedChunk!]) {
          const err = await call(bad as never).then(() => undefined, (e: unknown) => e);
          expect(err).toBeInstanceOf(InvalidArgument);
          expect((err as Error).message).toContain(field);
        }
      }
      expect(await pool.sha256('x' as never).then(() => undefined, (e: unknown) => e)).toBeInstanceOf(InvalidArgument);
    } finally {
      await pool.close();
    }
  });

  it('verifies moved chunks with the same verdicts, handing back the same bytes without a copy', async () => {
    const sample = await sampleCheckpoint(samplePairs(200), 2048);
    const manifest = parseManifest(sample.manifestBytes);
    const pool = f.createPool({ size: 2, createWorker: f.good });
    try {
      const inputOf = async (index: number) => ({
        root: sample.root, index, entry: manifest.chunks[index], source: 'https://mirror.example/',
        chunk: (await sample.store.get(`chunks/${manifest.chunks[index].digest}`))!,
        proof: await proofBytes((p) => sample.store.get(p), manifest, index),
      });
      const input = await inputOf(0);
      const [chunkHex, proofHex] = [hex(input.chunk), hex(input.proof)];
      const back = await pool.verifyMovedChunk(input);
      expect([hex(back.chunk), hex(back.proof)]).toEqual([chunkHex, proofHex]);
      expect(input.chunk.byteLength).toBe(0); // moved: the caller's buffer went to the worker
      // A view into a larger buffer is copied, not moved: the rest of that buffer is the caller's.
      const other = await inputOf(1);
      const backing = new Uint8Array(other.chunk.length + 10);
      backing.set(other.chunk, 5);
      const viewed = { ...other, chunk: backing.subarray(5, 5 + other.chunk.length) };
      expect(hex((await pool.verifyMovedChunk(viewed)).chunk)).toBe(hex(other.chunk));
      expect(backing.byteLength).toBe(other.chunk.length + 10);
      const bad = await inputOf(1);
      bad.chunk[7] ^= 1;
      const want = localError(bad) as Error & { code: string };
      await expect(pool.verifyMovedChunk(bad)).rejects.toMatchObject({ code: want.code, message: want.message, chunk: 1 });
    } finally {
      await pool.close();
    }
  });

  it('does not retry a moved chunk whose worker died with its bytes; a restore then fetches it again', async () => {
    const sample = await sampleCheckpoint(samplePairs(300), 2048);
    const manifest = parseManifest(sample.manifestBytes);
    const entry = manifest.chunks[0];
    const chunk = (await sample.store.get(`chunks/${entry.digest}`))!;
    const proof = await proofBytes((p) => sample.store.get(p), manifest, 0);
    const once = sequence(f, [f.crashing]);
    const pool = f.createPool({ size: 1, createWorker: once.createWorker });
    try {
      // The fixture crashes on its first message, which races the call: if it died with the
      // bytes they are lost (WorkerFailed, no second worker); if before, the pool still had them.
      const chunkHex = hex(chunk);
      const outcome = await pool.verifyMovedChunk({ root: sample.root, index: 0, entry, chunk, proof }).catch((e: unknown) => e);
      if (outcome instanceof WorkerFailed) expect(once.made.count).toBe(1);
      else expect([once.made.count, hex((outcome as { chunk: Uint8Array }).chunk)]).toEqual([2, chunkHex]);
    } finally {
      await pool.close();
    }
    const again = sequence(f, [f.crashing]);
    const restoring = f.createPool({ size: 1, createWorker: again.createWorker });
    try {
      const source = spySource(sample.source, 'origin');
      const store = memoryStore();
      const result = await restoreCheckpoint({ sources: [source], root: sample.root, store, verifier: restoring, concurrency: 1 });
      expect(result.fetched).toBe(manifest.chunks.length);
      expect(again.made.count).toBe(2);
      const chunkFetches = source.log.filter((p) => p.startsWith('chunks/'));
      // Once more than the chunks when the bytes died with the worker (else the pool retried them).
      expect(chunkFetches.length - manifest.chunks.length).toBeGreaterThanOrEqual(0);
      expect(chunkFetches.length - manifest.chunks.length).toBeLessThanOrEqual(1);
      expect(new Set(chunkFetches).size).toBe(manifest.chunks.length);
      const { key, value } = sample.pairs[17];
      expect(hex(await (await openCheckpoint(store)).get(key))).toBe(hex(value!));
    } finally {
      await restoring.close();
    }
  });

  it('restores a checkpoint with the pool as verifier', async () => {
    const sample = await sampleCheckpoint(samplePairs(300), 2048);
    const pool = f.createPool({ size: 2, createWorker: f.good });
    try {
      const store = memoryStore();
      const result = await restoreCheckpoint({ sources: [sample.source], root: sample.root, store, verifier: pool });
      expect(result.fetched).toBe(result.manifest.chunks.length);
      const view = await openCheckpoint(store);
      const { key, value } = sample.pairs[123];
      expect(hex(await view.get(key))).toBe(hex(value!));
    } finally {
      await pool.close();
    }
  });

  it('hashes on workers exactly as WebCrypto does, leaving the caller\'s bytes intact', async () => {
    const pool = f.createPool({ size: 2, createWorker: f.good });
    try {
      const r = rng(7);
      const backing = r.bytes(300_000);
      const inputs = [new Uint8Array(0), r.bytes(1), r.bytes(64), r.bytes(100_003), backing.subarray(1000, 201_000)];
      const digests = await Promise.all(inputs.map((m) => pool.sha256(m)));
      for (let i = 0; i < inputs.length; i++) expect(hex(digests[i])).toBe(hex(await oracleSha256(inputs[i])));
      expect(backing.byteLength).toBe(300_000); // the view's buffer was not transferred away
      expect(pool.stats().workers).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('runs at most `size` calls at once and queues the rest', async () => {
    const pool = f.createPool({ size: 2, createWorker: f.good });
    try {
      const r = rng(11);
      const inputs = Array.from({ length: 7 }, () => r.bytes(2_000_000));
      let maxBusy = 0;
      const calls = inputs.map((m) => pool.sha256(m).then((d) => {
        maxBusy = Math.max(maxBusy, pool.stats().busy);
        expect(pool.stats().workers).toBeLessThanOrEqual(2);
        return d;
      }));
      expect(pool.stats()).toMatchObject({ busy: 2, queued: 5 });
      const digests = await Promise.all(calls);
      for (let i = 0; i < inputs.length; i++) expect(hex(digests[i])).toBe(hex(await oracleSha256(inputs[i])));
      expect(maxBusy).toBeLessThanOrEqual(2);
      expect(pool.stats()).toEqual({ workers: 2, busy: 0, queued: 0 });
    } finally {
      await pool.close();
    }
  });

  it('starts its workers on warmUp, before any call, and never more than `size`', async () => {
    const { made, createWorker } = sequence(f, []);
    const pool = f.createPool({ size: 2, createWorker });
    try {
      pool.warmUp();
      pool.warmUp();
      await vi.waitFor(() => expect(pool.stats().workers).toBe(2));
      expect(pool.stats()).toEqual({ workers: 2, busy: 0, queued: 0 });
      const inputs = [rng(21).bytes(3000), rng(22).bytes(70_000), rng(23).bytes(5)];
      const digests = await Promise.all(inputs.map((m) => pool.sha256(m)));
      for (let i = 0; i < inputs.length; i++) expect(hex(digests[i])).toBe(hex(await oracleSha256(inputs[i])));
      pool.warmUp();
      expect(made.count).toBe(2); // the calls ran on the warmed workers
    } finally {
      await pool.close();
    }
  });

  it('replaces a worker that dies under a call and retries the call once on a fresh one', async () => {
    const { made, createWorker } = sequence(f, [f.crashing]);
    const pool = f.createPool({ size: 1, createWorker });
    try {
      const data = rng(3).bytes(5000);
      expect(hex(await pool.sha256(data))).toBe(hex(await oracleSha256(data)));
      expect(made.count).toBe(2);
      expect(pool.stats().workers).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('replaces a worker that fails to load, whether started by a call or by warmUp', async () => {
    for (const warm of [false, true]) {
      const { made, createWorker } = sequence(f, [f.unloadable]);
      const pool = f.createPool({ size: 1, createWorker });
      try {
        if (warm) {
          pool.warmUp();
          await vi.waitFor(() => expect(made.count).toBe(1));
        }
        const data = rng(4).bytes(100);
        expect(hex(await pool.sha256(data))).toBe(hex(await oracleSha256(data)));
        expect(made.count).toBe(2);
      } finally {
        await pool.close();
      }
    }
  });

  it('fails a call with WorkerFailed, instead of hanging, when the retry dies too', async () => {
    for (const bad of [f.crashing, f.unloadable]) {
      const pool = f.createPool({ size: 1, createWorker: bad });
      try {
        const err = await pool.sha256(new Uint8Array(10)).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WorkerFailed);
        expect((err as WorkerFailed).code).toBe('WorkerFailed');
      } finally {
        await pool.close();
      }
    }
  });

  it('counts a worker that never reports ready as failed', async () => {
    const pool = f.createPool({ size: 1, createWorker: f.good, startTimeoutMs: 0 });
    try {
      await expect(pool.sha256(new Uint8Array(1))).rejects.toBeInstanceOf(WorkerFailed);
    } finally {
      await pool.close();
    }
  });

  it('rejects waiting and later calls with PoolClosed once closed', async () => {
    const pool = f.createPool({ size: 1, createWorker: f.good });
    const running = pool.sha256(new Uint8Array(1000));
    const queued = pool.sha256(new Uint8Array(1000));
    await pool.close();
    await expect(running).rejects.toBeInstanceOf(PoolClosed);
    await expect(queued).rejects.toBeInstanceOf(PoolClosed);
    await expect(pool.sha256(new Uint8Array(1))).rejects.toBeInstanceOf(PoolClosed);
    pool.warmUp();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pool.stats().workers).toBe(0); // a closed pool starts nothing
  });
}
