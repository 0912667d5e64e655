import { describe, expect, it } from 'vitest';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { memoryStore } from '../src/store/memory.js';
import { storeSource } from '../src/net/store-source.js';
import {
  createStreamCheckpoint, readStreamCheckpoint, streamChunkProof, verifyStreamChunk, parseStreamManifest, STREAM_MANIFEST,
} from '../src/stream/stream-checkpoint.js';
import { CosmosSnapshotVerifier, decodeCosmosSnapshot } from '../src/stream/cosmos-snapshot.js';
import { ChunkCorrupted, ManifestInvalid, RootMismatch } from '../src/errors.js';
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
    await readAll(readStreamCheckpoint([bad, storeSource(store, 'good')], m.root, (e) => { if (e.state === 'bad') events.push(`${e.chunk}@${e.source}`); }));
    expect(events).toEqual(['2@bad']);
    const manifest = new TextDecoder().decode((await store.get(STREAM_MANIFEST))!);
    expect(() => parseStreamManifest(new TextEncoder().encode(manifest.replace('"size":100000', '"size":100001')))).toThrow(ManifestInvalid);
    expect(() => parseStreamManifest(new TextEncoder().encode(manifest.replace('{', '{ ')))).toThrow(/canonical/);
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
