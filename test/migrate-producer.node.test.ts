// The old side of a migration (the Migrator) SIGKILLed at random instants and restarted, as a node
// is: it holds its heights in memory and writes its work state only now and then, so a restart
// applies the recorded heights again from their changesets. Whatever the kill, every recorded
// height's changeset states the reference roots, and the finished work state is the final state's
// checkpoint. `npm test` runs a short slice; `npm run crash:produce` the campaign.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fsStore } from '../src/store/fs.js';
import { prefixedStore } from '../src/store/prefixed.js';
import { dirSource } from '../src/net/dir-source.js';
import { collectGarbage } from '../src/checkpoint/apply.js';
import { verifyCheckpoint } from '../src/checkpoint/transfer.js';
import { parseChangesetMetadata } from '../src/format/changeset.js';
import { refRoot } from './jmt-reference.js';
import { hex, rng } from './helpers.js';
import { migrationPlan } from './migration-fixtures.js';

const KILLS = Number(process.env.PRODUCE_CRASH_KILLS ?? 3);
const HEIGHTS = 12;
const KEYS = 2000;
const PER_HEIGHT = 60;
const SEED = 5;
const START = 500;

const work = mkdtempSync(join(tmpdir(), 'lightsnap-produce-crash-'));
const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

/**
 * One run of the producer; with `killAfterMs`, SIGKILLed that long after it first reports a
 * height (the genesis: process start-up is not what is tested). Resolves with its exit code
 * (null when killed) and how long it worked.
 */
function produce(dir: string, pendingBytes: number, killAfterMs?: number): Promise<{ code: number | null; stderr: string; workedMs: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/migration-producer.ts', dir, String(START), String(HEIGHTS), '0',
    String(KEYS), String(PER_HEIGHT), String(SEED), String(pendingBytes)], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  let began = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  child.stderr!.on('data', (d) => { stderr += String(d); });
  child.stdout!.on('data', () => {
    if (began) return;
    began = Date.now();
    if (killAfterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  });
  return new Promise((resolve) => child.on('exit', (code) => {
    clearTimeout(timer);
    resolve({ code, stderr, workedMs: began ? Date.now() - began : 0 });
  }));
}

/** Every recorded height states the reference roots; the finished work state is the final state's checkpoint. */
async function expectFinished(dir: string, plan: ReturnType<typeof migrationPlan>) {
  const store = fsStore(dir);
  const all = [...plan.genesis];
  let prevRoot = hex(refRoot(all));
  for (let i = 0; i < HEIGHTS; i++) {
    all.push(...plan.heights[i]);
    const meta = parseChangesetMetadata((await store.get(`changesets/${START + 1 + i}/changeset.json`))!);
    expect(meta.prevRoot, `height ${START + 1 + i}`).toBe(prevRoot);
    expect(meta.root, `height ${START + 1 + i}`).toBe(prevRoot = hex(refRoot(all)));
  }
  expect(JSON.parse(readFileSync(join(dir, 'migration.json'), 'utf8'))).toMatchObject({ status: 'Completed', lastChangeset: START + HEIGHTS });
  await verifyCheckpoint({ sources: [dirSource(join(dir, 'work'))], root: prevRoot });
  expect(await collectGarbage(prefixedStore(store, 'work/'))).toBe(0);
}

describe('the migration producer, killed at random instants', () => {
  it(`records the reference roots and finishes with the final state after ${KILLS} SIGKILLs`, async () => {
    const plan = migrationPlan(KEYS, HEIGHTS, PER_HEIGHT, SEED);
    const r = rng(SEED);
    let kills = 0;
    let round = 0;
    let duration = 1500;
    // Rounds of kills on one directory until a run finishes; small budgets (and every other
    // round 0), so work/ is written and switched now and then between the kills.
    while (kills < KILLS) {
      const dir = join(work, `round-${round}`);
      const pendingBytes = round++ % 2 ? 0 : 60_000;
      for (;;) {
        const run = await produce(dir, pendingBytes, r.int(duration));
        if (run.code === null) {
          kills++;
          continue;
        }
        expect(run.code, run.stderr).toBe(0);
        duration = Math.max(200, run.workedMs);
        break;
      }
      await expectFinished(dir, plan);
    }
    console.log(`producer campaign: ${kills} kills in ${round} rounds, every round finished with the reference roots`);
  }, 1_800_000);
});
