// One step of the migration benchmark, in its own process so its peak RSS and CPU are its own:
//   tsx bench/migrate-step.ts genesis DIR KEYS            declare a migration and write its genesis
//                                                         (32-byte keys, 100-byte values)
//   tsx bench/migrate-step.ts produce DIR HEIGHTS CHANGES INTERVAL_MS
//                                                         record HEIGHTS heights of CHANGES random changes,
//                                                         one every INTERVAL_MS (0: as fast as possible);
//                                                         one JSON line per height: { height, at }
//   tsx bench/migrate-step.ts restore DIR INTO            plain restore of DIR/genesis
//   tsx bench/migrate-step.ts start DIR INTO              MigrationManager.start (the genesis restore)
//   tsx bench/migrate-step.ts sync DIR INTO               start, then sync() until caught up
//   tsx bench/migrate-step.ts follow DIR INTO             start, then run() to the switch
//                                                         (sync, follow: one JSON line per applied height:
//                                                         { height, at })
// The last line is always { seconds, cpuSeconds, maxRssMB, ... }.
import { fsStore } from '../src/store/fs.js';
import { dirSource } from '../src/net/dir-source.js';
import { subSource } from '../src/net/sub-source.js';
import { restoreCheckpoint } from '../src/checkpoint/transfer.js';
import { Migrator } from '../src/migrate/migrator.js';
import { MigrationManager } from '../src/migrate/manager.js';
import { parseMigration } from '../src/migrate/metadata.js';
import { randomBytes } from './harness.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [step, dir, a, b, c] = process.argv.slice(2);
/** Genesis key i: 32 pseudo-random bytes, regenerated from i alone. */
const genesisKey = (i: number) => randomBytes(32, i + 1);
const START = 1000;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
let extra: Record<string, unknown> = {};

if (step === 'genesis') {
  const n = Number(a);
  // Streamed, as a node would supply its state: the genesis step's peak RSS is the Migrator's.
  const pairs = (function* () {
    for (let i = 0; i < n; i++) yield { key: genesisKey(i), value: randomBytes(100, i ^ 0x9e3779b9) };
  })();
  const migrator = new Migrator(fsStore(dir));
  await migrator.declare({ startHeight: START, duration: Number(b), timestamp: 'bench' });
  await migrator.notifyHeight(START, [], { pairs });
  extra = { keys: n };
} else if (step === 'produce') {
  const [heights, changes, interval] = [Number(a), Number(b), Number(c)];
  const migrator = new Migrator(fsStore(dir));
  const keys = JSON.parse(readFileSync(join(dir, 'genesis', 'manifest.json'), 'utf8')).leaves as number;
  const meta = await migrator.getMigrationMetadata();
  const from = meta.status === 'NoActiveMigration' ? 1 : (meta.lastChangeset ?? START) - START + 1;
  for (let h = from; h < from + heights; h++) {
    if (interval) await new Promise((r) => setTimeout(r, interval));
    // 60% overwrites of genesis keys, 30% new keys, 10% deletes of genesis keys.
    const r = randomBytes(changes * 8, h + 100);
    const view = new DataView(r.buffer);
    const batch = Array.from({ length: changes }, (_, i) => {
      const x = view.getUint32(i * 8, true);
      const kind = x % 10;
      if (kind < 6) return { key: genesisKey(x % keys), value: randomBytes(100, x) };
      if (kind < 9) return { key: randomBytes(32, x ^ 0x5bd1e995), value: randomBytes(100, x + 1) };
      return { key: genesisKey(x % keys), value: null };
    });
    await migrator.notifyHeight(START + h, batch);
    console.log(JSON.stringify({ height: START + h, at: Date.now() }));
  }
  extra = { heights, changes };
} else if (step === 'restore') {
  const m = parseMigration(readFileSync(join(dir, 'migration.json')));
  const r = await restoreCheckpoint({ sources: [subSource(dirSource(dir), 'genesis/')], root: m.genesis!.root, store: fsStore(a) });
  extra = { chunks: r.manifest.chunks.length, bytes: r.manifest.chunks.reduce((s, x) => s + x.size, 0) };
} else if (step === 'start' || step === 'sync' || step === 'follow') {
  const manager = new MigrationManager({
    store: fsStore(a), intervalMs: 20, maxIntervalMs: 200,
    onEvent: (e) => { if (e.type === 'applied') console.log(JSON.stringify({ height: e.height, at: Date.now() })); },
  });
  await manager.start([dirSource(dir)]);
  const started = performance.now();
  extra = { genesisSeconds: (started - t0) / 1000 };
  if (step === 'sync') await manager.sync();
  if (step === 'follow') extra.root = (await manager.run()).root;
  extra.followSeconds = (performance.now() - started) / 1000;
} else {
  console.error(`unknown step ${step}`);
  process.exit(2);
}
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({
  seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6,
  maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), ...extra,
}));
