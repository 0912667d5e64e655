import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { memoryStore } from '../src/store/memory.js';
import { storeSource } from '../src/net/store-source.js';
import { prefixedStore } from '../src/store/prefixed.js';
import { Migrator } from '../src/migrate/migrator.js';
import { MigrationManager, CURRENT_FILE, type MigrationEvent } from '../src/migrate/manager.js';
import { decodeDeclaration, declarationId, encodeDeclaration, type MigrationDeclaration } from '../src/migrate/declaration.js';
import { encodeMigration, parseMigration } from '../src/migrate/metadata.js';
import { encodeChangesetMetadata, parseChangesetMetadata } from '../src/format/changeset.js';
import { parseManifest } from '../src/format/manifest.js';
import { createCheckpoint } from '../src/checkpoint/create.js';
import { LightsnapError } from '../src/errors.js';
import type { Store } from '../src/store/store.js';
import type { Source } from '../src/net/source.js';
import { refRoot } from './jmt-reference.js';
import { hex, rng } from './helpers.js';
import { spySource } from './checkpoint-fixtures.js';
import { migrationPlan } from './migration-fixtures.js';

const decl: MigrationDeclaration = { startHeight: 100, duration: 6, timestamp: '2026-11-26T12:00:00Z' };

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(LightsnapError);
    return (err as LightsnapError).code;
  }
  throw new Error('expected a rejection');
}

/** The old side, driven through the start height and `heights` more blocks. */
async function produce(plan = migrationPlan(300, 6, 40), heights = plan.heights.length) {
  const store = memoryStore();
  const migrator = new Migrator(store, { chunking: { maxChunkBytes: 2048, minChunkBytes: 256, avgChunkBytes: 512 } });
  await migrator.declare(decl);
  await migrator.notifyHeight(decl.startHeight, [], { pairs: plan.genesis });
  for (let i = 0; i < heights; i++) await migrator.notifyHeight(decl.startHeight + 1 + i, plan.heights[i]);
  return { store, migrator, plan };
}

describe('migration declaration', () => {
  it('has Kwil-style canonical little-endian bytes and an id that is their SHA-256', () => {
    const bytes = encodeDeclaration(decl);
    const ts = new TextEncoder().encode(decl.timestamp);
    const expected = new Uint8Array(22 + ts.length);
    const v = new DataView(expected.buffer);
    v.setUint16(0, 1, true);
    v.setBigUint64(2, 100n, true);
    v.setBigUint64(10, 6n, true);
    v.setUint32(18, ts.length, true);
    expected.set(ts, 22);
    expect(hex(bytes)).toBe(hex(expected));
    expect(declarationId(decl)).toBe(hex(sha256(expected)));
    expect(decodeDeclaration(bytes)).toEqual(decl);
    expect(declarationId({ ...decl, timestamp: decl.timestamp + ' ' })).not.toBe(declarationId(decl));
  });

  it('refuses other versions, bad lengths and out-of-range fields by name', () => {
    const bytes = encodeDeclaration(decl);
    const other = bytes.slice();
    other[0] = 2;
    expect(() => decodeDeclaration(other)).toThrow(/declaration version 2 is not supported/);
    expect(() => decodeDeclaration(bytes.subarray(0, bytes.length - 1))).toThrow(/timestamp length/);
    expect(() => encodeDeclaration({ ...decl, startHeight: 0 })).toThrow(/startHeight/);
    expect(() => encodeDeclaration({ ...decl, duration: -1 })).toThrow(/duration/);
    expect(() => encodeDeclaration({ ...decl, timestamp: 'x'.repeat(257) })).toThrow(/timestamp/);
  });
});

describe('migration.json', () => {
  it('is canonical and self-consistent', async () => {
    const { migrator } = await produce(undefined, 2);
    const m = await migrator.getMigrationMetadata();
    if (m.status === 'NoActiveMigration') throw new Error('no migration');
    const bytes = encodeMigration(m);
    expect(parseMigration(bytes)).toEqual(m);
    const spaced = new TextEncoder().encode(JSON.stringify(m, null, 1) + '\n');
    expect(() => parseMigration(spaced)).toThrow(/canonical/);
    const tamper = (patch: object) => new TextEncoder().encode(JSON.stringify({ ...m, ...patch }) + '\n');
    expect(() => parseMigration(tamper({ id: 'ab'.repeat(32) }))).toThrow(/id is not the SHA-256/);
    expect(() => parseMigration(tamper({ status: 'Completed' }))).toThrow(/Completed migration/);
    expect(() => parseMigration(tamper({ formatVersion: 9 }))).toThrow(/formatVersion 9 is not supported/);
    expect(() => parseMigration(tamper({ lastChangeset: 107 }))).toThrow(/lastChangeset/);
  });
});

describe('Migrator (old side)', () => {
  it('stores nothing during activation, the genesis at the start height, then each height until Completed', async () => {
    const plan = migrationPlan(200, 6, 30);
    const store = memoryStore();
    const migrator = new Migrator(store);
    expect(await migrator.notifyHeight(5, [])).toBe('NoActiveMigration');
    expect(await code(migrator.getGenesisSnapshotChunk(0))).toBe('NoActiveMigration');
    await migrator.declare(decl);
    for (const h of [97, 98, 99]) expect(await migrator.notifyHeight(h, plan.heights[0])).toBe('ActivationPeriod');
    expect(await store.keys('')).toEqual(['migration.json']);
    expect(await code(migrator.notifyHeight(100, []))).toBe('InvalidArgument'); // the state is needed
    expect(await migrator.notifyHeight(100, [], { pairs: plan.genesis })).toBe('InProgress');
    const all = [...plan.genesis];
    let m = await migrator.getMigrationMetadata();
    expect(m.status !== 'NoActiveMigration' && m.genesis!.root).toBe(hex(refRoot(all)));
    expect(await code(migrator.notifyHeight(102, plan.heights[1]))).toBe('HeightOutOfOrder');
    for (let i = 0; i < 6; i++) {
      const status = await migrator.notifyHeight(101 + i, plan.heights[i]);
      expect(status).toBe(i === 5 ? 'Completed' : 'InProgress');
      all.push(...plan.heights[i]);
      const meta = await migrator.getChangesetMetadata(101 + i);
      expect(meta.root).toBe(hex(refRoot(all)));
      expect(meta.changes).toBe(plan.heights[i].length);
    }
    m = await migrator.getMigrationMetadata();
    expect(m.status).toBe('Completed');
    expect(m.status !== 'NoActiveMigration' && m.lastChangeset).toBe(106);
    // A replayed block is fine with the same changes and refused with others; later heights are ignored.
    expect(await migrator.notifyHeight(103, plan.heights[2])).toBe('Completed');
    expect(await code(migrator.notifyHeight(103, plan.heights[3]))).toBe('HeightOutOfOrder');
    expect(await migrator.notifyHeight(107, plan.heights[0])).toBe('Completed');
    // Kwil's read API and its errors.
    expect(await code(migrator.getChangesetMetadata(100))).toBe('ChangesetNotFound');
    expect(await code(migrator.getChangesetMetadata(107))).toBe('ChangesetNotFound');
    const meta = await migrator.getChangesetMetadata(104);
    const piece = await migrator.getChangeset(104, 0);
    expect(hex(sha256(piece))).toBe(meta.pieces[0].digest);
    expect(await code(migrator.getChangeset(104, meta.pieces.length))).toBe('NoMoreChunksToRead');
    expect((await migrator.getGenesisSnapshotChunk(0)).length).toBeGreaterThan(0);
    expect(await code(migrator.getGenesisSnapshotChunk(1 << 20))).toBe('NoMoreChunksToRead');
    expect(await code(new Migrator(store).declare({ ...decl, timestamp: 'another' }))).toBe('MigrationMismatch');
  });

  it('holds heights between writes of work/; a restart applies the recorded ones again from their changesets, with the same roots', async () => {
    const plan = migrationPlan(400, 6, 30, 11);
    const chunking = { maxChunkBytes: 2048, minChunkBytes: 256, avgChunkBytes: 512 };
    for (const pendingBytes of [undefined, 0, 125_000]) {
      const store = memoryStore();
      let migrator = new Migrator(store, { chunking, pendingBytes });
      await migrator.declare(decl);
      await migrator.notifyHeight(100, [], { pairs: plan.genesis });
      const all = [...plan.genesis];
      const workVersion = async () => parseManifest((await store.get('work/manifest.json'))!).version;
      const versions: number[] = [];
      for (let i = 0; i < 6; i++) {
        // A restart before heights 103 and 105: whatever was held is gone.
        if (i === 2 || i === 4) migrator = new Migrator(store, { chunking, pendingBytes });
        await migrator.notifyHeight(101 + i, plan.heights[i]);
        all.push(...plan.heights[i]);
        expect((await migrator.getChangesetMetadata(101 + i)).root, `height ${101 + i}`).toBe(hex(refRoot(all)));
        versions.push(await workVersion());
      }
      // work/ is never ahead of what is recorded; it is written every height with pendingBytes 0,
      // only at the end by default, now and then in between.
      versions.forEach((v, i) => expect(v).toBeLessThanOrEqual(101 + i));
      const between = versions.slice(0, -1);
      if (pendingBytes === 0) expect(between).toEqual([101, 102, 103, 104, 105]);
      else if (pendingBytes === undefined) expect(between).toEqual([100, 100, 100, 100, 100]);
      else expect(between.some((v) => v > 100) && between.some((v, i) => v < 101 + i)).toBe(true);
      // Completed: work/ holds the end height, byte for byte a checkpoint of the final state.
      expect(await workVersion()).toBe(106);
      const fresh = memoryStore();
      const final = new Map(all.map((p) => [hex(p.key), p]));
      const rebuilt = await createCheckpoint([...final.values()].filter((p) => p.value !== null), { store: fresh, version: 106, chunking });
      expect(hex((await store.get('work/manifest.json'))!)).toBe(hex(rebuilt.manifestBytes));
    }
  });

  it('refuses to build on a start height it never saw', async () => {
    const migrator = new Migrator(memoryStore());
    await migrator.declare(decl);
    expect(await code(migrator.notifyHeight(101, []))).toBe('HeightOutOfOrder');
  });
});

function follower(store: Store, extra: Partial<ConstructorParameters<typeof MigrationManager>[0]> = {}) {
  const events: MigrationEvent[] = [];
  const manager = new MigrationManager({ store, intervalMs: 1, maxIntervalMs: 5, onEvent: (e) => events.push(e), ...extra });
  return { manager, events };
}

describe('MigrationManager (new side)', () => {
  it('follows to the reference root, leaves current untouched until one switch at the end height', async () => {
    const { store: origin, plan, migrator } = await produce(undefined, 3);
    const into = memoryStore();
    const before = new TextEncoder().encode('{"state":"old/","root":"x","version":1,"migration":"none"}\n');
    await into.put([[CURRENT_FILE, before]]);
    const { manager, events } = follower(into);
    await manager.start([storeSource(origin, 'origin')]);
    expect(manager.migratedVersion()).toBe(100);
    expect(await manager.sync()).toBe(103);
    expect(manager.migratedRoot()).toBe(hex(refRoot([...plan.genesis, ...plan.heights.slice(0, 3).flat()])));
    expect(hex((await into.get(CURRENT_FILE))!)).toBe(hex(before));
    for (let i = 3; i < 6; i++) await migrator.notifyHeight(101 + i, plan.heights[i]);
    const pointer = await manager.run();
    const final = hex(refRoot([...plan.genesis, ...plan.heights.flat()]));
    expect(pointer.root).toBe(final);
    expect(pointer.version).toBe(106);
    expect(JSON.parse(new TextDecoder().decode((await into.get(CURRENT_FILE))!))).toEqual(pointer);
    expect(JSON.parse(new TextDecoder().decode((await prefixedStore(into, pointer.state).get('manifest.json'))!)).root).toBe(final);
    expect(events.filter((e) => e.type === 'applied').map((e) => (e as { height: number }).height)).toEqual([101, 102, 103, 104, 105, 106]);
    expect(events.filter((e) => e.type === 'switched')).toHaveLength(1);
    // Running again changes nothing and fetches no height.
    const again = follower(into);
    await again.manager.start([storeSource(origin, 'origin')]);
    await again.manager.run();
    expect(again.events.filter((e) => e.type === 'applied' || e.type === 'switched')).toEqual([]);
    expect(again.events.some((e) => e.type === 'already-switched')).toBe(true);
  });

  it('switches explicitly once caught up (Cosmos), and refuses before', async () => {
    const { store: origin } = await produce(undefined, 2);
    const { manager } = follower(memoryStore());
    await manager.start([storeSource(origin, 'origin')]);
    expect(await code(manager.switchOver())).toBe('InvalidArgument');
    await manager.sync();
    expect((await manager.switchOver()).version).toBe(102);
  });

  it('resumes after interruptions anywhere without refetching a stored chunk or piece, nor applying twice', async () => {
    const { store: origin, plan } = await produce(migrationPlan(600, 6, 60, 11));
    const into = memoryStore();
    const spy = spySource(storeSource(origin, 'origin'), 'origin');
    const applied: number[] = [];
    const batches: number[] = [];
    const r = rng(5);
    for (let round = 0, done = false; !done; round++) {
      expect(round).toBeLessThan(200);
      const stored = new Set(await into.keys(''));
      const seen = spy.log.length;
      const controller = new AbortController();
      const { manager, events } = follower(into, { signal: controller.signal, concurrency: 2 });
      // Abort after a random number of storage writes and deletes: a different point every round.
      let writes = 0;
      const limit = 1 + r.int(120);
      const put = into.put.bind(into);
      const del = into.delete.bind(into);
      const killable = <A>(write: (a: A) => Promise<void>) => async (a: A) => {
        if (++writes > limit) controller.abort(new Error('killed'));
        controller.signal.throwIfAborted();
        return write(a);
      };
      into.put = killable(put);
      into.delete = killable(del);
      try {
        await manager.start([spy]);
        await manager.run();
        done = true;
      } catch (err) {
        if (!controller.signal.aborted) throw err;
      } finally {
        into.put = put;
        into.delete = del;
      }
      applied.push(...events.filter((e) => e.type === 'applied').map((e) => (e as { height: number }).height));
      batches.push(...events.filter((e) => e.type === 'applied').map((e) => (e as { batch: number }).batch));
      for (const path of spy.log.slice(seen)) {
        const m = /(?:chunks|pieces)\/([0-9a-f]{64})$/.exec(path);
        if (!m) continue;
        const kept = [...stored].some((k) => k.endsWith(m[1]) && !k.includes('/work/'));
        expect(kept, `${path} fetched again after it was stored`).toBe(false);
      }
    }
    expect(applied).toEqual([101, 102, 103, 104, 105, 106]);
    expect(Math.max(...batches), 'a kill-free stretch applied several heights in one batch').toBeGreaterThan(1);
    // A kill between a switch and the deletion of its heights' pieces leaves none behind for good.
    expect((await into.keys('')).filter((k) => k.includes('/pieces/'))).toEqual([]);
    const current = JSON.parse(new TextDecoder().decode((await into.get(CURRENT_FILE))!));
    expect(current.root).toBe(hex(refRoot([...plan.genesis, ...plan.heights.flat()])));
  });

  it('refetches a corrupt piece from the second mirror and names the first', async () => {
    const { store: origin, plan } = await produce(undefined, 6);
    const bad = spySource(storeSource(origin, 'mirror-1'), 'mirror-1', (path, bytes) => {
      if (!/^changesets\/103\/pieces\//.test(path)) return bytes;
      const out = bytes.slice();
      out[out.length - 1] ^= 1;
      return out;
    });
    const { manager, events } = follower(memoryStore());
    await manager.start([bad, storeSource(origin, 'mirror-2')]);
    const pointer = await manager.run();
    expect(pointer.root).toBe(hex(refRoot([...plan.genesis, ...plan.heights.flat()])));
    const refusals = events.filter((e) => e.type === 'bad');
    expect(refusals.length).toBeGreaterThan(0);
    for (const e of refusals) expect(e).toMatchObject({ height: 103, source: 'mirror-1', code: 'ChangesetPieceCorrupted' });
  });

  it('refuses a height whose result is not its declared root, naming it, and switches nothing', async () => {
    const { store: origin } = await produce(undefined, 6);
    const path = 'changesets/104/changeset.json';
    const meta = parseChangesetMetadata((await origin.get(path))!);
    await origin.put([[path, encodeChangesetMetadata({ ...meta, root: 'ab'.repeat(32) })]]);
    const into = memoryStore();
    const { manager } = follower(into);
    await manager.start([storeSource(origin, 'origin')]);
    let error: LightsnapError | undefined;
    await manager.run().catch((err) => { error = err; });
    expect(error?.code).toBe('ChangesetRootMismatch');
    expect(error?.message).toMatch(/height 104/);
    expect(manager.migratedVersion()).toBe(103);
    expect(await into.get(CURRENT_FILE)).toBeUndefined();
  });

  it('applies the heights it is behind by in batches: fewer switches, the same state byte for byte, each height reported after its switch', async () => {
    const { store: origin, plan } = await produce(migrationPlan(400, 6, 40, 13));
    /** Follows with `extra`, counting the writes of the state's manifest (one per switch). */
    const followWith = async (extra: Partial<ConstructorParameters<typeof MigrationManager>[0]>) => {
      const into = memoryStore();
      const switches: number[] = [];
      const put = into.put.bind(into);
      into.put = async (entries) => {
        for (const [key, bytes] of entries) if (/\/state\/manifest\.json$/.test(key)) switches.push(JSON.parse(new TextDecoder().decode(bytes)).version);
        return put(entries);
      };
      // Each 'applied' is reported once the state really is at that height: noted with the last switch then.
      const applied: Array<Extract<MigrationEvent, { type: 'applied' }> & { switchedTo: number }> = [];
      const { manager } = follower(into, { ...extra, onEvent: (e) => { if (e.type === 'applied') applied.push({ ...e, switchedTo: switches.at(-1)! }); } });
      await manager.start([storeSource(origin, 'origin')]);
      const pointer = await manager.run();
      return { into, switches, applied, pointer, manifest: hex((await prefixedStore(into, pointer.state).get('manifest.json'))!) };
    };
    const single = await followWith({ batchHeights: 1 });
    const fours = await followWith({ batchHeights: 4 });
    const batched = await followWith({});
    const bytesBound = await followWith({ batchBytes: 1 });
    expect(single.switches).toEqual([100, 101, 102, 103, 104, 105, 106]);
    expect(fours.switches).toEqual([100, 104, 106]);
    expect(batched.switches).toEqual([100, 106]);
    expect(bytesBound.switches).toEqual(single.switches); // every height's pieces pass 1 byte
    const roots = plan.heights.map((_, i) => hex(refRoot([...plan.genesis, ...plan.heights.slice(0, i + 1).flat()])));
    for (const run of [single, fours, batched, bytesBound]) {
      expect(run.manifest).toBe(single.manifest);
      expect(run.applied.map((e) => e.height)).toEqual([101, 102, 103, 104, 105, 106]);
      expect(run.applied.map((e) => e.root)).toEqual(roots);
      // The switch to the end of the height's batch came before its report.
      for (const e of run.applied) expect(e.switchedTo).toBe(run.switches.find((v) => v >= e.height));
      expect(run.pointer.root).toBe(roots.at(-1));
      // Nothing left in the journal once every height is applied.
      expect((await run.into.keys('')).filter((k) => k.includes('/pieces/'))).toEqual([]);
    }
    expect(batched.applied.map((e) => [e.batch, e.behind])).toEqual([[6, 5], [6, 4], [6, 3], [6, 2], [6, 1], [6, 0]]);
    expect(fours.applied.map((e) => e.batch)).toEqual([4, 4, 4, 4, 2, 2]);
    expect(batched.applied.every((e, i) => e.changes === plan.heights[i].length && e.fetched === e.pieces)).toBe(true);
  });

  it('killed between a batch\'s switch and dropping its pieces, the next run drops them and fetches nothing', async () => {
    const { store: origin, plan } = await produce(undefined, 6);
    const into = memoryStore();
    const controller = new AbortController();
    const del = into.delete.bind(into);
    into.delete = async (keys) => {
      if (keys.some((k) => k.includes('/pieces/'))) controller.abort(new Error('killed'));
      controller.signal.throwIfAborted();
      return del(keys);
    };
    const first = follower(into, { signal: controller.signal });
    await first.manager.start([storeSource(origin, 'origin')]);
    await expect(first.manager.run()).rejects.toThrow(/killed/);
    into.delete = del;
    expect(first.events.filter((e) => e.type === 'applied')).toEqual([]); // killed before reporting
    expect((await into.keys('')).filter((k) => k.includes('/pieces/')).length).toBeGreaterThan(0);
    const spy = spySource(storeSource(origin, 'origin'), 'origin');
    const again = follower(into);
    await again.manager.start([spy]);
    expect(again.manager.migratedVersion()).toBe(106);
    expect((await into.keys('')).filter((k) => k.includes('/pieces/'))).toEqual([]);
    expect((await again.manager.run()).root).toBe(hex(refRoot([...plan.genesis, ...plan.heights.flat()])));
    expect(spy.log.filter((p) => p.includes('changesets/'))).toEqual([]);
  });

  it('refuses a lying height inside a batch by name, keeping the heights before it applied and the later ones journalled', async () => {
    for (const [liar, kept] of [[101, 100], [104, 103], [106, 105]]) {
      const { store: origin } = await produce(undefined, 6);
      const path = `changesets/${liar}/changeset.json`;
      const meta = parseChangesetMetadata((await origin.get(path))!);
      await origin.put([[path, encodeChangesetMetadata({ ...meta, root: 'ab'.repeat(32) })]]);
      const into = memoryStore();
      const { manager, events } = follower(into);
      await manager.start([storeSource(origin, 'origin')]);
      let error: LightsnapError | undefined;
      await manager.run().catch((err) => { error = err; });
      expect(error?.code).toBe('ChangesetRootMismatch');
      expect(error?.message).toMatch(new RegExp(`height ${liar}\\b`));
      expect(manager.migratedVersion()).toBe(kept);
      const state = (await into.keys('')).find((k) => k.endsWith('/state/manifest.json'))!;
      expect(JSON.parse(new TextDecoder().decode((await into.get(state))!)).version).toBe(kept);
      expect(events.filter((e) => e.type === 'applied').map((e) => (e as { height: number }).height))
        .toEqual(Array.from({ length: kept - 100 }, (_, i) => 101 + i));
      const journalled = new Set((await into.keys('')).map((k) => /\/pieces\/(\d+)\//.exec(k)?.[1]).filter(Boolean).map(Number));
      expect([...journalled].sort()).toEqual(Array.from({ length: 106 - kept }, (_, i) => kept + 1 + i));
      expect(await into.get(CURRENT_FILE)).toBeUndefined();
    }
  });

  it('checks the expected final root when a batch ends at the end height', async () => {
    const { store: origin } = await produce(undefined, 6);
    const { manager } = follower(memoryStore(), { expectFinalRoot: 'ab'.repeat(32) });
    await manager.start([storeSource(origin, 'origin')]);
    let error: LightsnapError | undefined;
    await manager.run().catch((err) => { error = err; });
    expect(error?.code).toBe('ChangesetRootMismatch');
    expect(error?.message).toMatch(/expected abab.*height 106/);
    expect(manager.migratedVersion()).toBe(105);
  });

  it('refuses batch bounds that are not whole numbers in range', () => {
    for (const bad of [{ batchHeights: 0 }, { batchHeights: 1.5 }, { batchHeights: 4097 }, { batchBytes: 0 }, { batchBytes: Number.NaN }]) {
      expect(() => follower(memoryStore(), bad as never)).toThrow(/must be an integer from 1 to/);
    }
  });

  it('waits with backoff for a source that stops producing, and gives up at the deadline', async () => {
    const { store: origin } = await produce(undefined, 2);
    // A clock that advances 5 ms at each reading: the schedule does not depend on the machine.
    let t = 0;
    const { manager, events } = follower(memoryStore(), { intervalMs: 2, maxIntervalMs: 8, stallTimeoutMs: 60, now: () => (t += 5) });
    await manager.start([storeSource(origin, 'origin')]);
    let error: LightsnapError | undefined;
    await manager.run().catch((err) => { error = err; });
    expect(error?.code).toBe('MigrationStalled');
    expect(manager.migratedVersion()).toBe(102);
    const waits = events.filter((e) => e.type === 'waiting') as Array<{ height: number; nextPollMs: number; deadlineInMs?: number }>;
    for (const w of waits) expect(w.height).toBe(103);
    // Linear backoff from the interval to the ceiling, never past the deadline.
    expect(waits.map((w) => w.nextPollMs)).toEqual(waits.map((w, i) => Math.min(2 * (i + 1), 8, w.deadlineInMs!)));
    expect(waits.length).toBeGreaterThan(4);
    expect(waits.at(-1)!.deadlineInMs).toBeLessThanOrEqual(5);
  });

  it('refuses a genesis whose root is not the trusted one, and a source that changed migration', async () => {
    const { store: origin } = await produce(undefined, 1);
    const { manager } = follower(memoryStore(), { genesisRoot: 'cd'.repeat(32) });
    expect(await code(manager.start([storeSource(origin, 'origin')]))).toBe('RootMismatch');
    const into = memoryStore();
    await follower(into).manager.start([storeSource(origin, 'origin')]);
    const other = await produce(undefined, 1);
    const swapped: Source = storeSource(other.store, 'origin');
    // Same declaration, other genesis: the pinned genesis root no longer matches.
    const m = (await other.migrator.getMigrationMetadata()) as Exclude<Awaited<ReturnType<Migrator['getMigrationMetadata']>>, { status: 'NoActiveMigration' }>;
    await other.store.put([['migration.json', encodeMigration({ ...m, genesis: { ...m.genesis!, root: 'ef'.repeat(32) } })]]);
    expect(await code(follower(into).manager.start([swapped]))).toBe('MigrationMismatch');
  });
});
