// The new side of a migration in Chromium: the manager follows into IndexedDB through the same
// Store and Source interfaces as in Node, is interrupted, resumes, and switches.
import { describe, expect, it } from 'vitest';
import { idbStore } from '../src/store/idb.js';
import { memoryStore } from '../src/store/memory.js';
import { storeSource } from '../src/net/store-source.js';
import { Migrator } from '../src/migrate/migrator.js';
import { MigrationManager, CURRENT_FILE } from '../src/migrate/manager.js';
import { refRoot } from './jmt-reference.js';
import { hex } from './helpers.js';
import { migrationPlan } from './migration-fixtures.js';

describe('following a migration into IndexedDB', () => {
  it('restores the genesis, applies every height, resumes after an interruption and switches', async () => {
    const plan = migrationPlan(400, 5, 40, 17);
    const origin = memoryStore();
    const migrator = new Migrator(origin, { chunking: { maxChunkBytes: 2048, minChunkBytes: 256, avgChunkBytes: 512 } });
    await migrator.declare({ startHeight: 20, duration: 5, timestamp: 'browser' });
    await migrator.notifyHeight(20, [], { pairs: plan.genesis });
    for (let i = 0; i < 3; i++) await migrator.notifyHeight(21 + i, plan.heights[i]);

    const db = `lightsnap-migrate-${Date.now()}`;
    const first = new MigrationManager({ store: idbStore(db), intervalMs: 1, maxIntervalMs: 5 });
    await first.start([storeSource(origin, 'origin')]);
    expect(await first.sync()).toBe(23);
    expect(await idbStore(db).get(CURRENT_FILE)).toBeUndefined();

    for (let i = 3; i < 5; i++) await migrator.notifyHeight(21 + i, plan.heights[i]);
    const applied: number[] = [];
    const second = new MigrationManager({
      store: idbStore(db), intervalMs: 1, maxIntervalMs: 5,
      onEvent: (e) => { if (e.type === 'applied') applied.push(e.height); },
    });
    await second.start([storeSource(origin, 'origin')]);
    expect(second.migratedVersion()).toBe(23);
    const pointer = await second.run();
    expect(applied).toEqual([24, 25]);
    expect(pointer.root).toBe(hex(refRoot([...plan.genesis, ...plan.heights.flat()])));
    const current = JSON.parse(new TextDecoder().decode((await idbStore(db).get(CURRENT_FILE))!));
    expect(current).toEqual(pointer);
  });
});
