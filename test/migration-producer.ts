// The old side as its own process, for the end-to-end tests: declares a migration in DIR,
// writes the genesis at the start height, then records one height of random changes every
// INTERVAL ms until the end height (the same plan the test recomputes for its reference).
// usage: node --import tsx test/migration-producer.ts DIR START DURATION INTERVAL_MS KEYS PER_HEIGHT SEED [PENDING_BYTES]
// Run again after a kill, it notifies every height again from the start, as a restarted node does.
import { fsStore } from '../src/store/fs.js';
import { Migrator } from '../src/migrate/migrator.js';
import { migrationPlan } from './migration-fixtures.js';

const [dir, start, duration, interval, keys, perHeight, seed, pendingBytes] = process.argv.slice(2);
const startHeight = Number(start);
const plan = migrationPlan(Number(keys), Number(duration), Number(perHeight), Number(seed));
const migrator = new Migrator(fsStore(dir), {
  chunking: { maxChunkBytes: 4096, minChunkBytes: 512, avgChunkBytes: 1024 }, pendingBytes: pendingBytes === undefined ? undefined : Number(pendingBytes),
});
await migrator.declare({ startHeight, duration: Number(duration), timestamp: `seed ${seed}` });
await migrator.notifyHeight(startHeight, [], { pairs: plan.genesis });
process.stdout.write(`height ${startHeight}\n`);
for (let i = 0; i < plan.heights.length; i++) {
  await new Promise((resolve) => setTimeout(resolve, Number(interval)));
  await migrator.notifyHeight(startHeight + 1 + i, plan.heights[i]);
  process.stdout.write(`height ${startHeight + 1 + i}\n`);
}
