// The supervisor killed (SIGKILL) mid-upgrade and started again finishes the switch exactly
// once, never runs two versions at once and never switches back. One deterministic case (killed
// inside the pre-upgrade hook) and a seeded campaign killing at random instants:
// `npm run crash:visor` runs it for VISOR_CRASH_SECONDS; npm test runs a short slice.
import { describe, expect, it, afterEach } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive } from '../src/upgrade/process.js';
import { HomeState } from '../src/upgrade/state.js';
import { FAKE_HOOK, makeHome, readLog, waitFor, type LogEntry } from './visor-helpers.js';

const live: ChildProcess[] = [];
afterEach(() => {
  for (const c of live.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** `lightsnap visor run HOME` as its own process (node with tsx's hook, so SIGKILL hits the supervisor itself). */
function supervise(home: string): ChildProcess & { exited: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'visor', 'run', home, '--json'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr = (stderr + d).slice(-20_000); });
  live.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return Object.assign(child, { exited, output: () => stderr });
}

async function upgradeHome(hook: string[]) {
  return makeHome({
    upgradeInfoFolder: 'data', backup: { dataFolder: 'data' },
    preUpgrade: { path: process.execPath, args: [FAKE_HOOK, ...hook] },
    stopSignalTimeoutSeconds: 1,
  }, { genesis: [['--halt', 'v2:500', '--halt-after', '150'], []], v2: [[], []] });
}

/** What must hold once the last supervisor has finished: one switch, no overlap, no way back, nothing left running. */
async function checkInvariants(home: string, log: string): Promise<LogEntry[]> {
  const entries = await readLog(log);
  expect(entries.filter((e) => e.event === 'overlap')).toEqual([]);
  const firstV2 = entries.findIndex((e) => e.event === 'start' && e.version === 'v2');
  expect(firstV2).toBeGreaterThanOrEqual(0);
  expect(entries.slice(firstV2).filter((e) => e.event === 'start' && e.version === 'genesis')).toEqual([]);
  expect(await readlink(join(home, 'current'))).toBe('v2');
  const journal = await new HomeState(home).readJournal();
  expect(journal.pending).toBeNull();
  expect(journal.done.map((d) => `${d.release}@${d.height}:${d.from}->${d.to}`)).toEqual(['v2@500:genesis->v2']);
  expect(existsSync(join(home, 'backups', 'data-backup-v2-500'))).toBe(true);
  for (const e of entries.filter((x) => x.event === 'start')) expect(isAlive(e.pid, e.start), `pid ${e.pid} (${e.version}) left running`).toBe(false);
  return entries;
}

/** Runs a last supervisor until v2 runs, then stops it with SIGTERM (which must end in exit 0). */
async function finish(home: string, log: string): Promise<void> {
  const last = supervise(home);
  await waitFor(async () => {
    const journal = await new HomeState(home).readJournal().catch(() => undefined);
    const status = await new HomeState(home).readStatus().catch(() => undefined);
    if (!journal || !status || journal.done.length !== 1 || status.supervisorPid !== last.pid || status.current !== 'v2') return false;
    const pids = status.processes.map((p) => p.pid);
    return status.processes.every((p) => p.pid && isAlive(p.pid, p.started))
      && (await readLog(log)).filter((e) => e.event === 'start' && pids.includes(e.pid)).length === 2;
  }, 'v2 running under the last supervisor', 60_000);
  last.kill('SIGTERM');
  expect(await last.exited, last.output()).toBe(0);
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('visor crash safety', () => {
  it('killed inside the pre-upgrade hook, a restarted supervisor finishes the switch once', async () => {
    const { home, log } = await upgradeHome(['--hang-once']);
    const first = supervise(home);
    await waitFor(() => existsSync(join(home, 'hook-started')), 'the hook to start', 60_000);
    const hungHook = await waitFor(async () => (await new HomeState(home).readStatus())?.hook?.started, 'the hook in the status');
    first.kill('SIGKILL');
    await first.exited;
    expect((await new HomeState(home).readJournal()).pending?.step).toBe('pre-upgrade');
    expect(await readlink(join(home, 'current'))).toBe('genesis');
    await finish(home, log);
    await checkInvariants(home, log);
    // The hook the killed supervisor left hanging was stopped by the next one.
    const hook = (await new HomeState(home).readStatus())!;
    expect(hook.hook).toBeNull();
    expect(isAlive(Number(readFileSync(join(home, 'hook-started'), 'utf8')), hungHook)).toBe(false);
  });

  const seconds = Number(process.env.VISOR_CRASH_SECONDS ?? 0);
  const seed = Number(process.env.VISOR_CRASH_SEED ?? (seconds ? Date.now() % 1e9 : 20261126));
  it(`killed at random instants (seed ${seed}${seconds ? `, ${seconds} s` : ', short slice'})`, async () => {
    console.log(`crash:visor seed ${seed} (VISOR_CRASH_SEED=${seed} to replay)`);
    const random = mulberry32(seed);
    const deadline = Date.now() + seconds * 1000;
    let rounds = 0;
    do {
      const { home, log } = await upgradeHome(['0']);
      const kills = 1 + Math.floor(random() * 3);
      for (let k = 0; k < kills; k++) {
        const s = supervise(home);
        // Startup (tsx) takes about a second; the halt comes 150 ms after genesis starts.
        await new Promise((r) => setTimeout(r, random() * 2500));
        s.kill('SIGKILL');
        await s.exited;
      }
      await finish(home, log);
      await checkInvariants(home, log);
      rounds++;
    } while (Date.now() < deadline);
    console.log(`crash:visor: ${rounds} round(s) passed (seed ${seed})`);
  }, Math.max(120_000, seconds * 1000 + 120_000));
});
