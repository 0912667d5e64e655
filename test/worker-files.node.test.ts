// A Node worker pool reads a local checkpoint's chunk files on the worker that verifies them
// (Verifier.verifyChunkFile; the proofs are still fetched by the calling thread, from their own
// files or packs). The oracle for every verdict is the main-thread path: dirSource reading the
// same files and the in-thread verifyChunk (localVerifier), which must give the same error —
// class, code, chunk, source and message — for every damaged file, in both manifest formats.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCheckpoint } from '../src/checkpoint/create.js';
import { verifyCheckpoint, type TransferResult } from '../src/checkpoint/transfer.js';
import { localVerifier, type Verifier } from '../src/checkpoint/verify.js';
import { fsStore } from '../src/store/fs.js';
import { dirSource } from '../src/net/dir-source.js';
import type { Source } from '../src/net/source.js';
import { parseManifest, type Manifest } from '../src/format/manifest.js';
import { proofLocation } from '../src/format/proof-pack.js';
import { InvalidArgument, LightsnapError } from '../src/errors.js';
import { createWorkerPool, spawnNodeWorker, type WorkerPool } from '../src/worker/node.js';
import { workerApi } from '../src/worker/worker.js';
import { samplePairs } from './checkpoint-fixtures.js';

const work = mkdtempSync(join(tmpdir(), 'lightsnap-worker-files-'));
let pool: WorkerPool;

beforeAll(() => {
  pool = createWorkerPool({ size: 2 });
});
afterAll(async () => {
  await pool?.close();
  rmSync(work, { recursive: true, force: true });
});

/** dirSource(dir), recording the paths this thread fetched. */
function logged(dir: string): Source & { log: string[] } {
  const inner = dirSource(dir);
  const log: string[] = [];
  return { name: inner.name, dir: inner.dir, log, fetch: (path, opts) => (log.push(path), inner.fetch(path, opts)) };
}

/** A copy of checkpoint `good` with `damage` done to chunk `index`'s file and to the file its proof is in. */
function damaged(good: string, manifest: Manifest, name: string, index: number, damage: (chunkFile: string, proofFile: string, proofAt: number) => void): string {
  const dir = join(work, name);
  cpSync(good, dir, { recursive: true });
  const at = proofLocation(manifest, index);
  damage(join(dir, 'chunks', manifest.chunks[index].digest), join(dir, ...at.path.split('/')), at.offset);
  return dir;
}

const flip = (file: string, at: number) => {
  const bytes = readFileSync(file);
  bytes[at] ^= 1;
  writeFileSync(file, bytes);
};

async function outcome(root: string, sources: Source[], verifier: Verifier, concurrency = 4): Promise<{ result?: TransferResult; error?: Record<string, unknown> }> {
  try {
    return { result: await verifyCheckpoint({ sources, root, verifier, concurrency }) };
  } catch (err) {
    expect(err).toBeInstanceOf(LightsnapError);
    const e = err as LightsnapError & { chunk?: number; source?: string };
    return { error: { class: e.constructor.name, code: e.code, chunk: e.chunk, source: e.source, message: e.message } };
  }
}

describe.each([1, 2])('verifying a local checkpoint (format version %i) with the chunk files read on the workers', (formatVersion) => {
  const good = join(work, `good-${formatVersion}`);
  let root: string;
  let manifest: Manifest;
  beforeAll(async () => {
    const created = await createCheckpoint(samplePairs(400, 7), { store: fsStore(good), version: 1, maxChunkBytes: 4096, formatVersion });
    root = created.manifest.root;
    manifest = parseManifest(readFileSync(join(good, 'manifest.json')));
    expect(manifest.formatVersion).toBe(formatVersion);
  });

  it('is offered by the default Node pool only, and reads nothing on the calling thread', async () => {
    expect(typeof pool.verifyChunkFile).toBe('function');
    const own = createWorkerPool({ size: 1, createWorker: () => spawnNodeWorker() });
    expect(own.verifyChunkFile).toBeUndefined(); // its workers might not be lightsnap's: no file reads
    await own.close();
    const source = logged(good);
    const r = await verifyCheckpoint({ sources: [source], root, verifier: pool, concurrency: 4 });
    expect(r.fetched).toBe(manifest.chunks.length);
    expect(manifest.chunks.length).toBeGreaterThan(5);
    expect(source.log.filter((p) => p.startsWith('chunks/'))).toEqual([]); // proofs (files or packs) come through this thread
    expect(r).toEqual(await verifyCheckpoint({ sources: [dirSource(good)], root }));
  });

  const cases: Array<[string, (chunk: string, proof: string, proofAt: number) => void]> = [
    ['a missing chunk file', (chunk) => unlinkSync(chunk)],
    ['a missing proof file', (_, proof) => unlinkSync(proof)],
    ['a chunk file one byte over its size', (chunk) => appendFileSync(chunk, 'x')],
    ['a chunk file one byte short', (chunk) => truncateSync(chunk, readFileSync(chunk).length - 1)],
    ['a chunk with a flipped leaf byte', (chunk) => flip(chunk, readFileSync(chunk).length - 3)],
    ['a chunk with a flipped header byte', (chunk) => flip(chunk, 4)],
    ['a proof with a flipped byte', (_, proof, at) => flip(proof, at + 10)],
    ['a proof file one byte over', (_, proof) => appendFileSync(proof, 'x')],
    ['a chunk path that is a directory', (chunk) => { unlinkSync(chunk); mkdirSync(chunk); }],
  ];
  cases.forEach(([what, damage], i) => {
    it(`refuses ${what} with the main thread's typed error, naming the chunk and the source`, async () => {
      const index = (3 * i + 1) % manifest.chunks.length;
      const dir = damaged(good, manifest, `case-${formatVersion}-${i}`, index, damage);
      const want = await outcome(root, [dirSource(dir)], localVerifier);
      // A damaged pack (format 2) is refused at the first chunk that uses it, not necessarily this one.
      const packed = formatVersion === 2 && what.includes('proof');
      expect(want.error).toMatchObject({ chunk: packed ? expect.any(Number) : index, source: dir });
      expect(await outcome(root, [dirSource(dir)], pool)).toEqual(want);
      // With a good mirror after it, the damaged one is reported and the verify succeeds, as
      // in-thread. One lane: every chunk is asked of the damaged mirror first (lanes rotate sources).
      const mixed = await outcome(root, [dirSource(dir), dirSource(good)], pool, 1);
      expect(mixed).toEqual(await outcome(root, [dirSource(dir), dirSource(good)], localVerifier, 1));
      const bad = expect.objectContaining({ chunk: packed ? expect.any(Number) : index, source: dir, code: want.error!.code });
      expect(mixed.result?.badSources).toEqual(packed ? expect.arrayContaining([bad]) : [bad]);
    });
  });

  it('checks its arguments in the worker, and a worker without a file reader says so', async () => {
    const entry = manifest.chunks[0];
    const at = proofLocation(manifest, 0);
    const proof = readFileSync(join(good, ...at.path.split('/'))).subarray(at.offset, at.offset + at.size);
    const input = { root, index: 0, entry, dir: good, chunkPath: `chunks/${entry.digest}`, proof };
    await expect(pool.verifyChunkFile!(input)).resolves.toBeUndefined();
    await expect(pool.verifyChunkFile!({ ...input, dir: 5 as unknown as string })).rejects.toThrow(InvalidArgument);
    await expect(pool.verifyChunkFile!({ ...input, entry: { ...entry, size: -1 } })).rejects.toThrow(InvalidArgument);
    // This thread never started a worker: the module has no reader.
    expect(() => workerApi.verifyChunkFile(input)).toThrow(/reads no files/);
  });
});
