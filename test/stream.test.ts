import { describe, expect, it } from 'vitest';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { memoryStore } from '../src/store/memory.js';
import { storeSource } from '../src/net/store-source.js';
import {
  createStreamCheckpoint, readStreamCheckpoint, streamChunkProof, verifyStreamChunk,
} from '../src/stream/stream-checkpoint.js';
import { encodeStreamManifest, parseStreamManifest, STREAM_MANIFEST, type StreamManifest } from '../src/format/stream-manifest.js';
import { fixedChunks } from '../src/chunk/fixed.js';
import type { Source } from '../src/net/source.js';
import { CosmosSnapshotVerifier, decodeCosmosSnapshot } from '../src/stream/cosmos-snapshot.js';
import { CheckpointNotFound, ChunkCorrupted, InvalidArgument, ManifestInvalid, RootMismatch, SourceUnavailable } from '../src/errors.js';
import { fromHex } from '../src/hex.js';
import { concat, hex, rng } from './helpers.js';
import { spySource } from './checkpoint-fixtures.js';

/** CometBFT's simple Merkle root, written from SPECS.md §3.1 (the oracle). */
function refMerkle(items: Uint8Array[]): Uint8Array {
  if (items.length === 0) return nobleSha256(new Uint8Array(0));
  if (items.length === 1) return nobleSha256(concat(new Uint8Array([0]), items[0]));
  let k = 1;
  while (k * 2 < items.length) k *= 2;
  return nobleSha256(concat(new Uint8Array([1]), refMerkle(items.slice(0, k)), refMerkle(items.slice(k))));
}

async function* pieces(data: Uint8Array, size: number) {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function readAll(it: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of it) parts.push(p);
  return concat(...parts);
}

const cdc = { kind: 'fastcdc' as const, minSize: 2048, avgSize: 8192, maxSize: 32768 };

describe('stream checkpoints', () => {
  it('round-trip a stream, FastCDC or fixed-size, with the reference Merkle root over chunk digests', async () => {
    const data = rng(1).bytes(600_000);
    for (const chunker of [cdc, { kind: 'fixed' as const, size: 50_000 }]) {
      const store = memoryStore();
      const m = await createStreamCheckpoint(pieces(data, 7777), { store, chunker });
      expect(m.root).toBe(hex(refMerkle(m.chunks.map((c) => fromHex(c.digest)))));
      expect(m.size).toBe(data.length);
      const back = await readAll(readStreamCheckpoint([storeSource(store)], m.root));
      expect(hex(back) === hex(data)).toBe(true);
      m.chunks.forEach((c, i) => expect(c.size).toBeLessThanOrEqual(chunker.kind === 'fixed' ? 50_000 : 32768));
    }
  });

  it('proves each chunk on its own with an inclusion proof', async () => {
    const store = memoryStore();
    const m = await createStreamCheckpoint(pieces(rng(2).bytes(200_000), 4096), { store, chunker: cdc });
    const root = fromHex(m.root);
    for (const [i, c] of m.chunks.entries()) {
      const chunk = (await store.get(`chunks/${c.digest}`))!;
      const proof = streamChunkProof(m, i);
      expect(verifyStreamChunk(root, chunk, proof)).toBe(true);
      const other = (await store.get(`chunks/${m.chunks[(i + 1) % m.chunks.length].digest}`))!;
      expect(verifyStreamChunk(root, other, proof)).toBe(false);
    }
  });

  it('an inserted byte changes only the chunks around it', async () => {
    const data = rng(3).bytes(500_000);
    const edited = new Uint8Array(data.length + 1);
    edited.set(data.subarray(0, 250_000));
    edited[250_000] = 42;
    edited.set(data.subarray(250_000), 250_001);
    const a = await createStreamCheckpoint(pieces(data, 65536), { store: memoryStore(), chunker: cdc });
    const b = await createStreamCheckpoint(pieces(edited, 65536), { store: memoryStore(), chunker: cdc });
    const before = new Set(a.chunks.map((c) => c.digest));
    expect(b.chunks.filter((c) => !before.has(c.digest)).length).toBeLessThanOrEqual(2);
  });

  it('refuses a wrong root, a corrupted chunk (using the next mirror), and a doctored manifest', async () => {
    const store = memoryStore();
    const m = await createStreamCheckpoint(pieces(rng(4).bytes(100_000), 9000), { store, chunker: cdc });
    await expect(readAll(readStreamCheckpoint([storeSource(store)], 'ab'.repeat(32)))).rejects.toThrow(RootMismatch);
    const victim = `chunks/${m.chunks[2].digest}`;
    const bad = spySource(storeSource(store), 'bad', (p, b) => p === victim ? b.map((x) => x ^ 1) : b);
    const err = await readAll(readStreamCheckpoint([bad], m.root)).catch((e) => e);
    expect(err).toBeInstanceOf(ChunkCorrupted);
    expect(err.chunk).toBe(2);
    const events: string[] = [];
    await readAll(readStreamCheckpoint([bad, storeSource(store, 'good')], m.root, { onProgress: (e) => { if (e.state === 'bad') events.push(`${e.chunk}@${e.source}`); } }));
    expect(events).toEqual(['2@bad']);
    const manifest = new TextDecoder().decode((await store.get(STREAM_MANIFEST))!);
    expect(() => parseStreamManifest(new TextEncoder().encode(manifest.replace('"size":100000', '"size":100001')))).toThrow(ManifestInvalid);
    expect(() => parseStreamManifest(new TextEncoder().encode(manifest.replace('{', '{ ')))).toThrow(/canonical/);
  });
});

const enc = (m: StreamManifest) => encodeStreamManifest(m);

/** A source that fails every fetch with `err`. */
const failing = (name: string, err: () => unknown): Source & { calls: number } => {
  const s = { name, calls: 0, async fetch() { s.calls++; throw err(); } };
  return s;
};

describe('stream checkpoints on the shared mirror loop', () => {
  it('a missing stream.json is CheckpointNotFound, a missing chunk ChunkNotFound', async () => {
    const err = await readAll(readStreamCheckpoint([storeSource(memoryStore())], 'ab'.repeat(32))).catch((e) => e);
    expect(err).toBeInstanceOf(CheckpointNotFound);
    const store = memoryStore();
    const m = await createStreamCheckpoint(pieces(rng(8).bytes(30_000), 1000), { store, chunker: { kind: 'fixed', size: 10_000 } });
    await store.delete([`chunks/${m.chunks[1].digest}`]);
    const missing = await readAll(readStreamCheckpoint([storeSource(store)], m.root)).catch((e) => e);
    expect(missing).toMatchObject({ code: 'ChunkNotFound', chunk: 1, source: 'store' });
  });

  it('takes stream.json from any mirror: a later one when the first has none, a bad one or another root', async () => {
    const store = memoryStore();
    const data = rng(9).bytes(80_000);
    const m = await createStreamCheckpoint(pieces(data, 5000), { store, chunker: cdc });
    const other = memoryStore();
    await createStreamCheckpoint(pieces(rng(10).bytes(1000), 1000), { store: other, chunker: cdc });
    const garbled = spySource(storeSource(store), 'garbled', (p, b) => p === STREAM_MANIFEST ? b.subarray(1) : b);
    for (const first of [storeSource(memoryStore(), 'empty'), garbled, storeSource(other, 'other')]) {
      const back = await readAll(readStreamCheckpoint([first, storeSource(store, 'good')], m.root));
      expect(hex(back) === hex(data), first.name).toBe(true);
    }
    // When none qualifies, the first source's own failure is what the caller sees.
    const err = await readAll(readStreamCheckpoint([storeSource(other, 'other'), garbled], m.root)).catch((e) => e);
    expect(err).toBeInstanceOf(RootMismatch);
    expect(err.source).toBe('other');
  });

  it('an untyped error or an abort ends the read at once; a typed source failure moves to the next mirror', async () => {
    const store = memoryStore();
    const m = await createStreamCheckpoint(pieces(rng(11).bytes(20_000), 5000), { store, chunker: cdc });
    const buggy = failing('buggy', () => new TypeError('boom'));
    await expect(readAll(readStreamCheckpoint([buggy, storeSource(store)], m.root))).rejects.toThrow(TypeError);
    expect(buggy.calls).toBe(1);
    const down = failing('down', () => new SourceUnavailable('connection refused'));
    const back = await readAll(readStreamCheckpoint([down, storeSource(store)], m.root));
    expect(back.length).toBe(20_000);
    const ctl = new AbortController();
    ctl.abort(new Error('stop'));
    await expect(readAll(readStreamCheckpoint([storeSource(store)], m.root, { signal: ctl.signal }))).rejects.toThrow('stop');
  });

  it('refuses a manifest whose root is not the Merkle root of its digests, even if it is the trusted one', async () => {
    const store = memoryStore();
    const m = await createStreamCheckpoint(pieces(rng(12).bytes(20_000), 5000), { store, chunker: cdc });
    const lie = { ...m, root: 'cd'.repeat(32) };
    await store.put([[STREAM_MANIFEST, enc(lie)]]);
    const err = await readAll(readStreamCheckpoint([storeSource(store)], lie.root)).catch((e) => e);
    expect(err).toBeInstanceOf(ManifestInvalid);
    expect(err.message).toMatch(/not the Merkle root/);
  });

  it('parseStreamManifest refuses malformed fields and chunk sizes the chunker cannot give, never crashing', () => {
    const digest = 'ab'.repeat(32);
    const good: StreamManifest = {
      format: 'lightsnap/stream', formatVersion: 1, size: 25, root: digest, chunker: { kind: 'fixed', size: 10 },
      chunks: [{ digest, size: 10 }, { digest, size: 10 }, { digest, size: 5 }],
    };
    expect(parseStreamManifest(enc(good))).toEqual(good);
    const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v) + '\n');
    const bad: Array<[unknown, RegExp]> = [
      [{ ...good, chunker: null }, /chunker must be an object/],
      [{ ...good, chunker: { kind: 'rabin' } }, /chunker.kind/],
      [{ ...good, chunker: { kind: 'fixed', size: 0 } }, /chunker.size/],
      [{ ...good, chunks: [{ digest, size: 10 }, { digest, size: 9 }, { digest, size: 6 }] }, /size must be an integer from 10 to 10/],
      [{ ...good, size: 26 }, /chunks hold 25/],
      [{ ...good, chunks: [null] }, /chunks\[0\] must be an object/],
      [{ ...good, chunks: {} }, /chunks must be an array/],
      [{ ...good, root: 'AB'.repeat(32) }, /root must be 64 lowercase hex/],
      [{ ...good, chunker: { kind: 'fastcdc', minSize: 4096, avgSize: 1024, maxSize: 65536 } }, /minSize ≤ avgSize/],
      [[good], /must be an object/],
    ];
    for (const [value, why] of bad) {
      let err: unknown;
      try { parseStreamManifest(json(value)); } catch (e) { err = e; }
      expect(err, String(why)).toBeInstanceOf(ManifestInvalid);
      expect((err as Error).message).toMatch(why);
    }
    const cdcManifest = { ...good, chunker: { kind: 'fastcdc' as const, minSize: 64, avgSize: 256, maxSize: 1024 },
      size: 1064, chunks: [{ digest, size: 63 }, { digest, size: 1001 }] };
    expect(() => parseStreamManifest(enc(cdcManifest))).toThrow(/chunk 0/);
  });
});

describe('fixedChunks', () => {
  it('cuts any split of the input into the same size-byte chunks (the last shorter), each its own buffer', async () => {
    const data = rng(13).bytes(100_003);
    const expected = [];
    for (let i = 0; i < data.length; i += 4096) expected.push(hex(data.subarray(i, i + 4096)));
    for (const split of [1, 1000, 4096, 5000, 200_000]) {
      const got: Uint8Array[] = [];
      for await (const c of fixedChunks(pieces(data, split), 4096)) got.push(c);
      expect(got.map(hex)).toEqual(expected);
      expect(new Set(got.map((c) => c.buffer)).size).toBe(got.length);
    }
    const none: Uint8Array[] = [];
    for await (const c of fixedChunks(pieces(new Uint8Array(0), 1), 10)) none.push(c);
    expect(none).toEqual([]);
  });

  it('refuses a bad size or a source that is not bytes with InvalidArgument', async () => {
    const drain = async (it: AsyncIterable<Uint8Array>) => { for await (const _ of it); };
    await expect(drain(fixedChunks(pieces(new Uint8Array(10), 5), 0))).rejects.toThrow(InvalidArgument);
    await expect(drain(fixedChunks(pieces(new Uint8Array(10), 5), (64 << 20) + 1))).rejects.toThrow(InvalidArgument);
    await expect(drain(fixedChunks(['abc' as unknown as Uint8Array], 5))).rejects.toThrow(InvalidArgument);
    await expect(drain(fixedChunks(42 as unknown as Iterable<Uint8Array>, 5))).rejects.toThrow(InvalidArgument);
    await expect(createStreamCheckpoint(pieces(new Uint8Array(10), 5), { store: memoryStore(), chunker: { kind: 'rabin' } as never }))
      .rejects.toThrow(InvalidArgument);
  });
});

/** Protobuf writer for the test's snapshots. */
function varint(n: bigint | number): number[] {
  let x = BigInt(n);
  const out: number[] = [];
  do { let b = Number(x & 0x7fn); x >>= 7n; if (x) b |= 0x80; out.push(b); } while (x);
  return out;
}
const field = (num: number, bytes: Uint8Array) => [...varint((num << 3) | 2), ...varint(bytes.length), ...bytes];

function snapshotBytes(chunks: Uint8Array[], opts: { height?: number; hashes?: Uint8Array[]; whole?: Uint8Array } = {}): Uint8Array {
  const all = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let i = 0;
  for (const c of chunks) { all.set(c, i); i += c.length; }
  const metadata = (opts.hashes ?? chunks.map((c) => nobleSha256(c))).flatMap((h) => field(1, h));
  return new Uint8Array([
    ...varint(1 << 3), ...varint(opts.height ?? 100), ...varint(2 << 3), ...varint(3), ...varint(3 << 3), ...varint(chunks.length),
    ...field(4, opts.whole ?? nobleSha256(all)), ...field(5, new Uint8Array(metadata)),
  ]);
}

describe('Cosmos SDK snapshot chunks', () => {
  const chunks = [rng(5).bytes(1000), rng(6).bytes(1000), rng(7).bytes(10)];

  it('accepts the chunks in order and checks the whole-stream hash', () => {
    const s = decodeCosmosSnapshot(snapshotBytes(chunks));
    expect(s).toMatchObject({ height: 100n, format: 3, chunks: 3 });
    const v = new CosmosSnapshotVerifier(s);
    for (const c of chunks) v.push(c);
    v.finish();
  });

  it('names the chunk to refetch, and catches a wrong count or a wrong whole hash', () => {
    const v = new CosmosSnapshotVerifier(decodeCosmosSnapshot(snapshotBytes(chunks)));
    v.push(chunks[0]);
    const err = (() => { try { v.push(chunks[2], 'peer-7'); } catch (e) { return e as ChunkCorrupted; } })();
    expect(err).toBeInstanceOf(ChunkCorrupted);
    expect(err).toMatchObject({ chunk: 1, source: 'peer-7' });
    expect(() => v.finish()).toThrow(/1 of 3 chunks/);
    const lying = new CosmosSnapshotVerifier(decodeCosmosSnapshot(snapshotBytes(chunks, { whole: new Uint8Array(32) })));
    for (const c of chunks) lying.push(c);
    expect(() => lying.finish()).toThrow(/together do not hash/);
  });

  it('refuses malformed snapshot metadata with a clear error, never a crash', () => {
    const good = snapshotBytes(chunks);
    expect(() => decodeCosmosSnapshot(snapshotBytes(chunks, { height: 0 }))).toThrow(/height 0/);
    expect(() => decodeCosmosSnapshot(snapshotBytes(chunks, { hashes: [nobleSha256(chunks[0])] }))).toThrow(/declares 3 chunks but lists 1/);
    for (let cut = 1; cut < good.length; cut += 3) {
      let err: unknown;
      try { decodeCosmosSnapshot(good.subarray(0, cut)); } catch (e) { err = e; }
      expect(err, `cut at ${cut}`).toBeInstanceOf(ManifestInvalid);
    }
    expect(() => decodeCosmosSnapshot(new Uint8Array([0x22, 0xff, 0xff, 0xff, 0xff, 0x0f]))).toThrow(/runs past the end/);
  });
});
