// Format version 2 keeps the proofs of every 256 chunks in one pack file (docs/FORMAT.md,
// "Proof packs"): a transfer asks each mirror for each pack once, a bad pack condemns only its
// source, a restore writes the packs the manifest names, and version 1 still reads and writes.
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../src/store/memory.js';
import { storeSource } from '../src/net/store-source.js';
import { createCheckpoint } from '../src/checkpoint/create.js';
import { restoreCheckpoint, verifyCheckpoint } from '../src/checkpoint/transfer.js';
import { openCheckpoint } from '../src/checkpoint/query.js';
import { Restorer } from '../src/checkpoint/restorer.js';
import { encodeManifest, parseManifest } from '../src/format/manifest.js';
import { ManifestInvalid, UnsupportedFormatVersion } from '../src/errors.js';
import { hex, manifestFiles, oracleSha256, proofBytes } from './helpers.js';
import { samplePairs, spySource } from './checkpoint-fixtures.js';

async function made(formatVersion?: number) {
  const store = memoryStore();
  const pairs = samplePairs(3000, 7);
  const created = await createCheckpoint(pairs, { store, version: 3, maxChunkBytes: 1024, formatVersion });
  return { store, pairs, manifest: created.manifest, root: created.manifest.root, source: storeSource(store, 'origin') };
}

describe('proof packs (format version 2)', () => {
  it('pack k holds the proofs of chunks 256k… in order, named by its SHA-256, and nothing else is written', async () => {
    const { store, manifest } = await made();
    expect(manifest.formatVersion).toBe(2);
    expect(manifest.chunks.length).toBeGreaterThan(512); // three packs, the last one partial
    expect(manifest.proofPacks).toHaveLength(Math.ceil(manifest.chunks.length / 256));
    for (const [k, digest] of manifest.proofPacks!.entries()) {
      const pack = (await store.get(`proofs/${digest}`))!;
      expect(hex(await oracleSha256(pack))).toBe(digest);
      const members = manifest.chunks.slice(256 * k, 256 * k + 256);
      expect(pack.length).toBe(members.reduce((s, c) => s + c.proofSize, 0));
    }
    // Each proof (the slice) still has the digest its chunk entry names.
    for (const i of [0, 255, 256, manifest.chunks.length - 1]) {
      expect(hex(await oracleSha256(await proofBytes((p) => store.get(p), manifest, i)))).toBe(manifest.chunks[i].proof);
    }
    expect(new Set([...await store.keys('chunks/'), ...await store.keys('proofs/')])).toEqual(new Set(manifestFiles(manifest)));
  });

  it('a transfer fetches each pack once per mirror; a bad pack condemns only its mirror, naming the chunk', async () => {
    const { source, root, manifest, pairs } = await made();
    const spy = spySource(source, 'good');
    await verifyCheckpoint({ sources: [spy], root, concurrency: 8 });
    const packRequests = spy.log.filter((p) => p.startsWith('proofs/'));
    expect(packRequests.sort()).toEqual(manifest.proofPacks!.map((d) => `proofs/${d}`).sort());

    const flip = (path: string, bytes: Uint8Array) => {
      if (path !== `proofs/${manifest.proofPacks![1]}`) return bytes;
      const out = bytes.slice();
      out[100] ^= 1;
      return out;
    };
    const liar = spySource(source, 'liar', flip);
    const store = memoryStore();
    const r = await restoreCheckpoint({ sources: [liar, spySource(source, 'good')], root, store, concurrency: 4 });
    const bad = r.badSources.filter((b) => b.source === 'liar');
    expect(bad.length).toBeGreaterThan(0);
    // The bad pack was fetched from the liar once, not once per chunk it holds.
    expect(liar.log.filter((p) => p === `proofs/${manifest.proofPacks![1]}`)).toHaveLength(1);
    for (const b of bad) {
      expect(b.code).toBe('ChunkCorrupted');
      expect(b.chunk).toBeGreaterThanOrEqual(256);
      expect(b.chunk).toBeLessThan(512);
      expect(b.message).toMatch(/proof pack .* does not match its digest/);
    }
    // The restored store is the checkpoint directory itself: same files, same bytes, queryable.
    for (const file of manifestFiles(manifest)) expect(hex((await store.get(file))!)).toBe(hex((await (source.fetch(file, { maxBytes: 1 << 26 })))));
    const q = await openCheckpoint(store);
    expect(hex((await q.get(pairs[2999].key))!)).toBe(hex(pairs[2999].value!));
  });

  it('a truncated, extended, emptied or swapped pack is refused by its digest, naming a chunk it holds', async () => {
    const { source, root, manifest } = await made();
    const [p0, p1] = manifest.proofPacks!;
    const other = await source.fetch(`proofs/${p0}`, { maxBytes: 1 << 26 });
    const damages: Array<(b: Uint8Array) => Uint8Array> = [
      (b) => b.subarray(0, b.length - 1),
      (b) => { const out = new Uint8Array(b.length + 1); out.set(b); return out; },
      () => new Uint8Array(0),
      () => other,
      (b) => { const out = b.slice(); out[out.length - 1] ^= 0x80; return out; },
    ];
    for (const damage of damages) {
      const liar = spySource(source, 'liar', (path, bytes) => path === `proofs/${p1}` ? damage(bytes) : bytes);
      const r = await verifyCheckpoint({ sources: [liar, source], root });
      expect(r.badSources.length).toBeGreaterThan(0);
      for (const b of r.badSources) {
        expect([b.source, b.code]).toEqual(['liar', 'ChunkCorrupted']);
        expect(b.chunk).toBeGreaterThanOrEqual(256);
        expect(b.chunk).toBeLessThan(512);
      }
      // Alone, the liar fails the transfer with that error.
      const err = await verifyCheckpoint({ sources: [liar], root }).catch((e: unknown) => e);
      expect((err as { code?: string }).code).toBe('ChunkCorrupted');
    }
  });

  it('hands each proof over in a buffer of its own, so a store that clones whole buffers keeps only the proof', async () => {
    const { source, root } = await made();
    const inner = memoryStore();
    const recordBuffers: number[] = [];
    const store = { ...inner, async put(entries: ReadonlyArray<readonly [string, Uint8Array]>) {
      for (const [k, v] of entries) if (k.startsWith('restore/done/') && v.length > 0) recordBuffers.push(v.buffer.byteLength - v.length);
      return inner.put(entries);
    } };
    await restoreCheckpoint({ sources: [source], root, store });
    expect(recordBuffers.length).toBeGreaterThan(0);
    expect(new Set(recordBuffers)).toEqual(new Set([0]));
  });

  it('a Restorer fed chunk by chunk keeps proofs in its progress records, resumes, then writes the packs', async () => {
    const { source, root, manifest } = await made();
    const bytes = await source.fetch('manifest.json', { maxBytes: 1 << 26 });
    const store = memoryStore();
    const read = (p: string) => source.fetch(p, { maxBytes: 1 << 26 });
    let restorer = new Restorer({ store });
    await restorer.startRestore(bytes, root);
    for (let i = 0; i < 300; i++) await restorer.restoreChunk(i, await read(`chunks/${manifest.chunks[i].digest}`), await proofBytes(read, manifest, i));
    expect(await store.keys('proofs/')).toEqual([]); // nothing packed before the end
    restorer = new Restorer({ store }); // a restart: the recorded proofs survive it
    await restorer.startRestore(bytes, root);
    expect(restorer.pendingChunks()[0]).toBe(300);
    for (const i of restorer.pendingChunks()) {
      await restorer.restoreChunk(i, await read(`chunks/${manifest.chunks[i].digest}`), await proofBytes(read, manifest, i));
    }
    expect((await store.keys('proofs/')).sort()).toEqual(manifest.proofPacks!.map((d) => `proofs/${d}`).sort());
    expect(await store.keys('restore/')).toEqual([]);
    await verifyCheckpoint({ sources: [storeSource(store)], root });
  });

  it('a manifest whose pack digest is not that of its chunks\' proofs cannot finish a restore', async () => {
    const { source, root, manifest } = await made();
    const m = parseManifest(await source.fetch('manifest.json', { maxBytes: 1 << 26 }));
    m.proofPacks![0] = '0'.repeat(64);
    const store = memoryStore();
    const restorer = new Restorer({ store });
    const read = (p: string) => source.fetch(p, { maxBytes: 1 << 26 });
    await restorer.startRestore(encodeManifest(m), root);
    let err: unknown;
    for (const i of manifest.chunks.keys()) {
      err = await restorer.restoreChunk(i, await read(`chunks/${manifest.chunks[i].digest}`), await proofBytes(read, manifest, i)).catch((e) => e);
    }
    expect(err).toBeInstanceOf(ManifestInvalid);
    expect((err as Error).message).toContain('proofPacks[0] is not the digest of the proofs of chunks 0…255');
    expect(await store.get('manifest.json')).toBeUndefined();
  });

  it('format version 1 (one file per proof) is still written on request, verified and restored', async () => {
    const { store, source, root, manifest } = await made(1);
    expect(manifest.formatVersion).toBe(1);
    expect(manifest.proofPacks).toBeUndefined();
    expect((await store.keys('proofs/')).length).toBe(new Set(manifest.chunks.map((c) => c.proof)).size);
    const into = memoryStore();
    await restoreCheckpoint({ sources: [source], root, store: into });
    expect(new Set([...await into.keys('chunks/'), ...await into.keys('proofs/')])).toEqual(new Set(manifestFiles(manifest)));
    await expect(createCheckpoint([], { store: memoryStore(), version: 1, formatVersion: 3 })).rejects.toThrow(UnsupportedFormatVersion);
  });
});
