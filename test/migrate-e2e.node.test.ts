// End to end in separate processes: a producer records a height every few hundred ms, the
// follower (`lightsnap migrate follow`) follows it over HTTP and is SIGKILLed at random
// instants and restarted. `npm test` runs a short slice; `npm run crash:migrate` the campaign
// (MIGRATE_CRASH_KILLS kills over MIGRATE_CRASH_HEIGHTS heights, each up to MIGRATE_CRASH_KILL_MS into
// a run; MIGRATE_CRASH_BATCH_HEIGHTS sets --batch-heights). A restarted follower is
// behind, so it applies heights in batches: kills land inside batches too.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import { serveDirectory } from '../src/net/serve.js';
import { refRoot } from './jmt-reference.js';
import { hex, rng } from './helpers.js';
import { migrationPlan } from './migration-fixtures.js';

const KILLS = Number(process.env.MIGRATE_CRASH_KILLS ?? 4);
const HEIGHTS = Number(process.env.MIGRATE_CRASH_HEIGHTS ?? 8);
const KEYS = 3000;
const PER_HEIGHT = 80;
const SEED = Number(process.env.MIGRATE_CRASH_SEED ?? 3);
/** The follower's --batch-heights (default: its own, 32): smaller batches put kills between switches too. */
const BATCH = process.env.MIGRATE_CRASH_BATCH_HEIGHTS;
/** A kill comes up to this many ms after a run's first output: longer lets runs switch before they die. */
const KILL_MS = Number(process.env.MIGRATE_CRASH_KILL_MS ?? 400);
const START = 1000;

const work = mkdtempSync(join(tmpdir(), 'lightsnap-migrate-e2e-'));
const servers: Server[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  servers.forEach((s) => { s.closeAllConnections(); s.close(); });
  children.forEach((c) => c.kill('SIGKILL'));
});

// node itself with tsx's hook, not the tsx wrapper (a SIGKILL on the wrapper leaves its child running).
const node = (args: string[]) => {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return child;
};

/** What the follower had stored when a run began: genesis chunks, applied height, journalled pieces. */
function snapshot(into: string): { chunks: Set<string>; genesisDone: boolean; version: number; pieces: Set<string> } {
  const migrations = join(into, 'migrations');
  const id = existsSync(migrations) ? readdirSync(migrations)[0] : undefined;
  const base = id ? join(migrations, id) : '';
  const list = (dir: string) => existsSync(dir) ? readdirSync(dir).filter((f) => !f.endsWith('.partial')) : [];
  const manifest = id ? join(base, 'state', 'manifest.json') : '';
  const genesisDone = Boolean(id) && existsSync(manifest);
  const pieces = new Set<string>();
  for (const h of id ? list(join(base, 'pieces')) : []) for (const d of list(join(base, 'pieces', h))) pieces.add(`${h}/${d}`);
  return {
    chunks: new Set(id ? list(join(base, 'state', 'chunks')) : []), genesisDone,
    version: genesisDone ? JSON.parse(readFileSync(manifest, 'utf8')).version : -1, pieces,
  };
}

describe('following a live migration over HTTP, killed at random instants', () => {
  it(`resumes after ${KILLS} SIGKILLs, refetches nothing stored, applies each height once and switches once`, async () => {
    const dir = join(work, 'old');
    const into = join(work, 'new');
    const requests: string[] = [];
    mkdirSync(dir);
    const { server, url } = await serveDirectory(dir, { onRequest: (i) => { if (i.status === 200) requests.push(i.path); } });
    servers.push(server);
    const producer = node(['test/migration-producer.ts', dir, String(START), String(HEIGHTS), '300', String(KEYS), String(PER_HEIGHT), String(SEED)]);
    let produced = '';
    producer.stdout!.on('data', (d) => { produced += String(d); });
    const producerDone = new Promise<number | null>((resolve) => producer.on('exit', resolve));
    while (!produced.includes(`height ${START}\n`)) await new Promise((r) => setTimeout(r, 20));

    const r = rng(SEED);
    const events: Array<Record<string, unknown>> = [];
    let kills = 0;
    let killedInBatch = 0;
    let appliedBeforeKill = 0;
    let finalOut = '';
    for (let run = 0; ; run++) {
      expect(run, 'runs').toBeLessThan(KILLS + 20);
      const before = snapshot(into);
      // A run killed with two or more heights journalled above the state's version was killed inside a batch.
      if (run > 0 && new Set([...before.pieces].map((p) => Number(p.split('/')[0])).filter((h) => h > before.version)).size >= 2) killedInBatch++;
      const seen = requests.length;
      const child = node(['src/cli/run.ts', 'migrate', 'follow', url, '--into', into, '--json', '--poll-ms', '50', '--max-poll-ms', '400', '--stall-timeout', '120',
        ...(BATCH ? ['--batch-heights', BATCH] : [])]);
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d) => { stdout += String(d); });
      child.stderr!.on('data', (d) => { stderr += String(d); });
      const killing = kills < KILLS;
      const code = await new Promise<number | null>((resolve) => {
        // Kill a random moment after this run has started doing something (whatever the load).
        const poll = setInterval(() => {
          if (killing && stderr.length > 0) {
            clearInterval(poll);
            setTimeout(() => child.kill('SIGKILL'), r.int(KILL_MS));
          }
        }, 5);
        child.on('exit', (c) => { clearInterval(poll); resolve(c); });
      });
      const runEvents = stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
      events.push(...runEvents);
      if (code === null) appliedBeforeKill += runEvents.filter((e) => e.type === 'applied').length;
      for (const path of requests.slice(seen)) {
        const g = /\/genesis\/chunks\/([0-9a-f]{64})$/.exec(path);
        if (g) expect(before.genesisDone || before.chunks.has(g[1]), `genesis chunk ${g[1]} fetched again after it was stored`).toBe(false);
        const c = /\/changesets\/(\d+)\/(changeset\.json|pieces\/([0-9a-f]{64}))$/.exec(path);
        if (c) {
          expect(Number(c[1]) <= before.version, `height ${c[1]} fetched again after it was applied`).toBe(false);
          if (c[3]) expect(before.pieces.has(`${c[1]}/${c[3]}`), `piece ${c[1]}/${c[3]} fetched again after it was stored`).toBe(false);
        }
      }
      if (code === null) {
        kills++;
        continue;
      }
      if (code !== 0) throw new Error(`follow run ${run} failed (exit ${code}): ${stderr.slice(-2000)}`);
      finalOut = stdout;
      break;
    }
    expect(await producerDone).toBe(0);
    expect(kills).toBe(KILLS);
    const plan = migrationPlan(KEYS, HEIGHTS, PER_HEIGHT, SEED);
    const expected = hex(refRoot([...plan.genesis, ...plan.heights.flat()]));
    expect(finalOut.trim().split('\n').at(-1)).toBe(expected);
    const current = JSON.parse(readFileSync(join(into, 'current.json'), 'utf8'));
    expect(current).toMatchObject({ root: expected, version: START + HEIGHTS });
    // Each height applied at most once (a kill between the apply and its event may hide one);
    // one switch at most, and the last run saw the switch done (by itself or an earlier run).
    const applied = events.filter((e) => e.type === 'applied').map((e) => e.height as number);
    expect(new Set(applied).size).toBe(applied.length);
    // The producer records faster than a restarted follower starts: heights pile up and are
    // applied in batches (each height of one reported with the batch's size).
    const batches = events.filter((e) => e.type === 'applied').map((e) => e.batch as number);
    console.log(`migrate e2e: ${kills} kills (${killedInBatch} with 2+ heights journalled above the state; ${appliedBeforeKill} heights applied by killed runs), ${applied.length} heights reported applied, batch sizes ${JSON.stringify(batches)}`);
    expect(Math.max(...batches)).toBeGreaterThan(1);
    expect(events.filter((e) => e.type === 'switched').length).toBeLessThanOrEqual(1);
    expect(events.at(-1)?.type).toMatch(/^(switched|already-switched)$/);
  }, 600_000);
});
