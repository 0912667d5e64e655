import { describe, expect, it } from 'vitest';
import { memoryStore } from '../src/store/memory.js';
import { Checkpointer, Creator } from '../src/checkpoint/creator.js';
import { CheckpointNotFound, InvalidArgument, UnsupportedFormatVersion } from '../src/errors.js';
import { checkpointSettingsAt } from '../src/checkpoint/settings.js';
import { defaultChunking } from '../src/checkpoint/splitter.js';
import { parseManifest } from '../src/format/manifest.js';
import { verifyCheckpoint } from '../src/checkpoint/transfer.js';
import { storeSource } from '../src/net/store-source.js';
import { samplePairs } from './checkpoint-fixtures.js';
import { manifestFiles } from './helpers.js';
import { applyChangesets } from '../src/checkpoint/apply.js';
import { encodeChangeset } from '../src/format/changeset.js';

const enc = new TextEncoder();

/** The state at version v: 800 keys, and key i changes at version i. */
function stateAt(version: number) {
  const pairs = samplePairs(800, 4);
  for (let i = 0; i <= version && i < pairs.length; i++) pairs[i] = { key: pairs[i].key, value: enc.encode(`v${version}`) };
  return { pairs };
}

describe('the Creator and the Checkpointer', () => {
  it('keeps several versions that share chunk files, and deletes only what no version uses', async () => {
    const store = memoryStore();
    const creator = new Creator(store, { maxChunkBytes: 4096, minChunkBytes: 512, avgChunkBytes: 1024 });
    await creator.createCheckpoint(1, stateAt(1));
    await creator.createCheckpoint(2, { pairs: stateAt(1).pairs });
    expect(await creator.getCheckpoints()).toEqual([1, 2]);
    const m1 = await creator.getCheckpoint(1);
    const m2 = await creator.getCheckpoint(2);
    expect(m2.chunks.map((c) => c.digest)).toEqual(m1.chunks.map((c) => c.digest));
    await creator.deleteCheckpoint(1);
    for (const c of m2.chunks) expect(await store.get(`chunks/${c.digest}`)).toBeDefined();
    await expect(creator.getCheckpoint(1)).rejects.toThrow(CheckpointNotFound);
    expect(parseManifest((await store.get('manifest.json'))!).version).toBe(2);
    await creator.deleteCheckpoint(2);
    expect(await store.keys('')).toEqual([]);
  });

  it('deleting a checkpoint a changeset was applied to also deletes the index files the apply kept', async () => {
    const store = memoryStore();
    const creator = new Creator(store, { maxChunkBytes: 4096, minChunkBytes: 512, avgChunkBytes: 1024 });
    await creator.createCheckpoint(1, stateAt(1));
    const changes = [{ key: enc.encode('added'), value: enc.encode('x') }];
    await applyChangesets(store, [{ metadata: encodeChangeset(2, changes).metadata, changes }]);
    expect(await creator.getCheckpoints()).toEqual([2]);
    expect((await store.keys('leafhashes/')).length).toBeGreaterThan(0);
    expect(await store.keys('nodes/')).toHaveLength(1);
    await creator.createCheckpoint(3, stateAt(3));
    await creator.deleteCheckpoint(2);
    const left = new Set(manifestFiles(await creator.getCheckpoint(3)));
    for (const key of await store.keys('')) {
      if (key.startsWith('manifest')) continue;
      expect(left.has(key) || (key.startsWith('leafhashes/') && left.has(`chunks/${key.slice('leafhashes/'.length)}`)), key).toBe(true);
    }
    expect(await store.keys('nodes/')).toEqual([]);
    await creator.deleteCheckpoint(3);
    expect(await store.keys('')).toEqual([]);
  });

  it('takes a checkpoint every `interval` versions and keeps `numKept`', async () => {
    const store = memoryStore();
    const creator = new Creator(store, { maxChunkBytes: 4096, minChunkBytes: 512, avgChunkBytes: 1024 });
    const taken: number[] = [];
    const cp = new Checkpointer({ creator, interval: 5, numKept: 2, state: stateAt, onCheckpoint: (c) => taken.push(c.manifest.version) });
    for (let v = 1; v <= 21; v++) await cp.notifyNewVersion(v);
    expect(taken).toEqual([5, 10, 15, 20]);
    expect(await creator.getCheckpoints()).toEqual([15, 20]);
    const kept = new Set<string>();
    for (const v of [15, 20]) for (const file of manifestFiles(await creator.getCheckpoint(v))) kept.add(file);
    expect(new Set([...await store.keys('chunks/'), ...await store.keys('proofs/')])).toEqual(kept);
    const latest = parseManifest((await store.get('manifest.json'))!);
    expect(latest.version).toBe(20);
    await verifyCheckpoint({ sources: [storeSource(store)], root: latest.root });
    expect(() => new Checkpointer({ creator, interval: 0, numKept: 1, state: stateAt })).toThrow(InvalidArgument);
  });

  it('creates each checkpoint with the settings of an upgrade plan in force at its height', async () => {
    const store = memoryStore();
    const creator = new Creator(store, { maxChunkBytes: 4096, minChunkBytes: 512, avgChunkBytes: 1024 });
    const plan = [{ height: 10, checkpoint: { maxChunkBytes: 2048 } }, { height: 20 }, { height: 30, checkpoint: { maxChunkBytes: 8192, formatVersion: 1 } }];
    const cp = new Checkpointer({ creator, interval: 5, numKept: 10, state: stateAt, settingsAt: (v) => checkpointSettingsAt(plan, v) });
    for (let v = 1; v <= 35; v++) await cp.notifyNewVersion(v);
    const limits = await Promise.all([5, 10, 15, 20, 25, 30, 35].map(async (v) => (await creator.getCheckpoint(v)).chunking));
    expect(limits.map((c) => c.maxChunkBytes)).toEqual([4096, 2048, 2048, 2048, 2048, 8192, 8192]);
    expect(limits[1]).toEqual(defaultChunking(2048));
    // Format version 2 (packed proofs) by default; the plan pins version 1 from height 30.
    const formats = await Promise.all([5, 25, 30, 35].map(async (v) => (await creator.getCheckpoint(v)).formatVersion));
    expect(formats).toEqual([2, 2, 1, 1]);
    for (const v of [10, 35]) {
      const m = await creator.getCheckpoint(v);
      expect(Math.max(...m.chunks.map((c) => c.size))).toBeLessThanOrEqual(m.chunking.maxChunkBytes);
    }
    // Every checkpoint verifies, whichever settings made it.
    const latest = parseManifest((await store.get('manifest.json'))!);
    await verifyCheckpoint({ sources: [storeSource(store)], root: latest.root });
    const bad = new Checkpointer({ creator, interval: 1, numKept: 1, state: stateAt, settingsAt: () => ({ formatVersion: 3 }) });
    await expect(bad.notifyNewVersion(40)).rejects.toThrow(UnsupportedFormatVersion);
    await expect(bad.notifyNewVersion(41)).rejects.toThrow('cannot write manifest formatVersion 3 (this lightsnap writes 1, 2)');
  });

  it('verify picks the reading rules by the manifest\'s format version: an unknown one is named', async () => {
    const store = memoryStore();
    const creator = new Creator(store);
    await creator.createCheckpoint(1, stateAt(1));
    const m = JSON.parse(new TextDecoder().decode((await store.get('manifest.json'))!));
    await store.put([['manifest.json', enc.encode(JSON.stringify({ ...m, formatVersion: 3 }) + '\n')]]);
    const err = await verifyCheckpoint({ sources: [storeSource(store)], root: m.root }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedFormatVersion);
    expect((err as Error).message).toContain('formatVersion 3 is not supported');
  });
});
