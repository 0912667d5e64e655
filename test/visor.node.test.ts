// The upgrade supervisor with fake node programs (test/fixtures/visor) and HTTP sources on
// 127.0.0.1. Delays are configured short (FAST), never slept through in full.
import { describe, expect, it, afterEach } from 'vitest';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive, startTime } from '../src/upgrade/process.js';
import { initHome, switchCurrent } from '../src/upgrade/home.js';
import { HomeState } from '../src/upgrade/state.js';
import { ProcessGaveUp } from '../src/errors.js';
import {
  FAKE_HOOK, FAKE_NODE, json, makeHome, readLog, runConfig, serve, startSupervisor, waitFor, type Running, type TestServer,
} from './visor-helpers.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function track(r: Running): Running {
  cleanups.push(() => r.stop());
  return r;
}

function trackServer(s: TestServer): TestServer {
  cleanups.push(() => s.close());
  return s;
}

const starts = async (log: string, version?: string) => (await readLog(log)).filter((e) => e.event === 'start' && (!version || e.version === version));
const current = (home: string) => readlink(join(home, 'current'));

describe('visor init', () => {
  it('creates config, genesis and current; a second init keeps an edited home as it is', async () => {
    const { home } = await makeHome({ maxNumberOfRestarts: 7 }, { v2: [[]] });
    await writeFile(join(home, 'genesis', 'run-config.json'), runConfig('genesis', [['--edited']], 'x'));
    await switchCurrent(home, 'v2');
    const before = await Promise.all(['config.json', 'genesis/run-config.json'].map((f) => readFile(join(home, f), 'utf8')));
    const again = await initHome(home);
    expect(again.created).toEqual([]);
    expect(again.kept.sort()).toEqual(['config.json', 'current', 'genesis/run-config.json']);
    expect(await Promise.all(['config.json', 'genesis/run-config.json'].map((f) => readFile(join(home, f), 'utf8')))).toEqual(before);
    expect(await current(home)).toBe('v2');
    expect(JSON.parse(before[0]).maxNumberOfRestarts).toBe(7);
  });
});

describe('visor run: keeping processes alive', () => {
  it('restarts a crashing process after growing, capped delays, then gives up with a report', async () => {
    const { home, log } = await makeHome({ maxNumberOfRestarts: 3 }, { genesis: [['--crash', '3']] });
    const r = track(startSupervisor(home));
    const err = await r.done;
    expect(err).toBeInstanceOf(ProcessGaveUp);
    const message = (err as Error).message;
    expect(message).toContain('process node');
    expect(message).toContain('exit 3');
    expect(message).toMatch(/fake node genesis: boom \d+/);
    expect(await starts(log)).toHaveLength(4); // the first run and 3 restarts
    const restarts = r.events.filter((e) => e.type === 'restarting');
    // restartsDelaySeconds 0.02 doubled per restart, capped at maxRestartsDelaySeconds 0.06.
    expect(restarts.map((e) => e.delayMs)).toEqual([20, 40, 60]);
    // Each restart came no sooner than its delay after the exit before it.
    const log2 = await starts(log);
    const exits = r.events.filter((e) => e.type === 'exited');
    expect(exits).toHaveLength(4);
    for (let i = 0; i < 3; i++) expect(log2[i + 1].t - log2[i].t).toBeGreaterThanOrEqual(restarts[i].delayMs as number);
  });

  it('a program that cannot start counts as an exit, and the report says why', async () => {
    const { home } = await makeHome({ maxNumberOfRestarts: 1 }, {});
    await writeFile(join(home, 'genesis', 'run-config.json'), JSON.stringify({ processes: [{ name: 'ghost', binary: { path: './no-such-binary' } }] }));
    const err = await track(startSupervisor(home)).done;
    expect(err).toBeInstanceOf(ProcessGaveUp);
    expect((err as Error).message).toContain('process ghost');
    expect((err as Error).message).toContain('could not start, could not start');
    expect((err as Error).message).toContain('ENOENT');
  });

  it('a process that ignores SIGTERM is killed after stopSignalTimeoutSeconds on shutdown', async () => {
    const { home, log } = await makeHome({}, { genesis: [['--ignore-term'], []] });
    const r = track(startSupervisor(home));
    await waitFor(async () => (await starts(log)).length === 2, 'both processes');
    const started = await starts(log);
    const t0 = Date.now();
    expect(await r.stop()).toBeUndefined();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    for (const e of started) expect(isAlive(e.pid, e.start)).toBe(false);
    const stopped = r.events.filter((e) => e.type === 'stopped');
    expect(stopped.find((e) => e.process === 'node')?.signal).toBe('SIGKILL');
    expect(stopped.find((e) => e.process === 'node2')?.code).toBe(0);
    expect((await readLog(log)).filter((e) => e.event === 'term')).toHaveLength(2);
    const status = await new HomeState(home).readStatus();
    expect(status?.running).toBe(false);
  });

  it('reloads config.json when it changes, and keeps the old one when the edit is broken', async () => {
    const { home, log } = await makeHome({ maxNumberOfRestarts: 0 }, { genesis: [[]] });
    const r = track(startSupervisor(home));
    await waitFor(async () => (await starts(log)).length === 1, 'start');
    await writeFile(join(home, 'config.json'), '{"maxNumberOfRestarts": "many"}');
    // (A read between the truncation and the write may report an empty file first.)
    await waitFor(() => r.events.some((e) => e.type === 'config-invalid' && String(e.message).includes('maxNumberOfRestarts')), 'config-invalid');
    await writeFile(join(home, 'config.json'), JSON.stringify({ maxNumberOfRestarts: 2, restartsDelaySeconds: 0.01, pollIntervalSeconds: 0.03 }));
    await waitFor(() => r.events.some((e) => e.type === 'config-reloaded'), 'config-reloaded');
    // The reloaded limit applies: the process may now be restarted twice.
    process.kill((await starts(log))[0].pid, 'SIGKILL');
    await waitFor(async () => (await starts(log)).length === 2, 'restart');
    expect(r.events.find((e) => e.type === 'restarting')?.message).toContain('restart 1 of 2');
  });
});

/** A CometBFT /status server whose height the test sets; `seen` lists the height of each answer. */
async function heightServer(): Promise<{ url: string; height: number; seen: number[] }> {
  const state = { url: '', height: 0, seen: [] as number[] };
  const s = trackServer(await serve((_req, res) => {
    state.seen.push(state.height);
    json(res, { jsonrpc: '2.0', id: -1, result: { sync_info: { latest_block_height: String(state.height) } } });
  }));
  state.url = s.url;
  return state;
}

describe('visor run: upgrades', () => {
  it('switches at exactly the planned height, once, and resets the restart count', async () => {
    const heights = await heightServer();
    heights.height = 98;
    const plan = [{ release: 'v2', height: 100 }, { release: 'v3', height: 1000 }];
    const { home, log } = await makeHome({ heightUrl: `${heights.url}/status`, plan },
      { genesis: [[]], v2: [[]] });
    const r = track(startSupervisor(home));
    await waitFor(async () => (await starts(log, 'genesis')).length === 1, 'genesis start');
    for (const h of [98, 99]) {
      heights.height = h;
      const n = heights.seen.length;
      await waitFor(() => heights.seen.length > n + 3, `polls at ${h}`);
      expect(await current(home)).toBe('genesis');
    }
    heights.height = 100;
    await waitFor(() => r.events.some((e) => e.type === 'upgraded'), 'upgrade');
    expect(r.events.find((e) => e.type === 'upgrade-step' && e.step === 'stopping')).toBeDefined();
    expect(await current(home)).toBe('v2');
    await waitFor(async () => (await starts(log, 'v2')).length === 1, 'v2 start');
    // Heights go on past the upgrade (the source is still polled for v3): nothing more happens.
    heights.height = 101;
    const n = heights.seen.length;
    await waitFor(() => heights.seen.length > n + 5 || r.events.filter((e) => e.type === 'upgraded').length > 1, 'polls after');
    expect(r.events.filter((e) => e.type === 'upgraded')).toHaveLength(1);
    expect(await starts(log, 'genesis')).toHaveLength(1);
    expect(await starts(log, 'v2')).toHaveLength(1);
    expect((await readLog(log)).some((e) => e.event === 'overlap')).toBe(false);
    const journal = await new HomeState(home).readJournal();
    expect(journal.pending).toBeNull();
    expect(journal.done.map((d) => [d.release, d.height, d.from, d.to])).toEqual([['v2', 100, 'genesis', 'v2']]);
    const status = await new HomeState(home).readStatus();
    expect(status?.current).toBe('v2');
    expect(status?.processes[0].restarts).toBe(0);
  });

  it('follows Visor\'s status answer: known when accepted, switched when readyToUpgrade', async () => {
    let answer: unknown = { acceptedReleaseInfo: { vegaReleaseTag: 'v0.74.1', upgradeBlockHeight: 50 }, readyToUpgrade: false };
    const status = trackServer(await serve((_req, res) => json(res, answer)));
    const { home } = await makeHome({ statusUrl: `${status.url}/upgrade-status`, upgradeFolders: { 'v0.74.1': 'core-74' } },
      { genesis: [[]], 'core-74': [[]] });
    const r = track(startSupervisor(home));
    await waitFor(() => r.events.some((e) => e.type === 'upgrade-known'), 'known');
    const n = status.requests;
    await waitFor(() => status.requests > n + 3, 'more polls');
    expect(await current(home)).toBe('genesis');
    answer = { acceptedReleaseInfo: { vegaReleaseTag: 'v0.74.1', upgradeBlockHeight: 50 }, readyToUpgrade: true };
    await waitFor(() => r.events.some((e) => e.type === 'upgraded'), 'upgrade');
    expect(await current(home)).toBe('core-74');
  });

  it('hostile status answers are typed errors and never switch', async () => {
    const answers: Array<[unknown, string]> = [
      [{ acceptedReleaseInfo: { vegaReleaseTag: '../../etc', upgradeBlockHeight: 5 }, readyToUpgrade: true }, 'vegaReleaseTag'],
      [{ acceptedReleaseInfo: { vegaReleaseTag: 'v2', upgradeBlockHeight: -1 }, readyToUpgrade: true }, 'upgradeBlockHeight'],
      [{ acceptedReleaseInfo: { vegaReleaseTag: 'v2', upgradeBlockHeight: 5 }, readyToUpgrade: 'yes' }, 'readyToUpgrade'],
      [[1, 2], 'not an object'],
      ['x'.repeat(70_000), 'more than 65536 bytes'],
    ];
    let i = 0;
    const status = trackServer(await serve((_req, res) => json(res, answers[Math.min(i, answers.length - 1)][0])));
    const { home } = await makeHome({ statusUrl: status.url }, { genesis: [[]], v2: [[]], etc: [[]] });
    const r = track(startSupervisor(home));
    for (; i < answers.length; i++) {
      await waitFor(() => r.events.some((e) => e.type === 'poll-failed' && String(e.message).includes(answers[i][1])), answers[i][1]);
    }
    expect(await current(home)).toBe('genesis');
    expect(r.events.some((e) => e.type === 'upgraded')).toBe(false);
  });

  it('learns from cosmovisor\'s upgrade-info.json when the node halts, even with no restarts allowed', async () => {
    const { home, log } = await makeHome({ upgradeInfoFolder: 'data', maxNumberOfRestarts: 0, backup: { dataFolder: 'data' } },
      { genesis: [['--halt', 'v2:300', '--halt-after', '50']], v2: [[]] });
    const r = track(startSupervisor(home));
    await waitFor(() => r.events.some((e) => e.type === 'upgraded'), 'upgrade');
    expect(await current(home)).toBe('v2');
    await waitFor(async () => (await starts(log, 'v2')).length === 1, 'v2 start');
    // The data folder was backed up before the switch, named by release and height.
    const info = JSON.parse(await readFile(join(home, 'backups', 'data-backup-v2-300', 'upgrade-info.json'), 'utf8'));
    expect(info).toEqual({ name: 'v2', height: 300, info: '' });
    expect(r.events.some((e) => e.type === 'gave-up')).toBe(false);
  });
});

describe('visor run: artifacts', () => {
  const runConfigV2 = (log: string) => runConfig('v2', [[]], log);
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');

  async function artifactHome(checksum: string | undefined, extra: Record<string, unknown> = {}) {
    const heights = await heightServer();
    heights.height = 10;
    const files = new Map<string, string>();
    const server = trackServer(await serve((req, res) => {
      const body = files.get(req.url ?? '');
      if (body === undefined) { res.writeHead(404).end(); return; }
      res.writeHead(200).end(body);
    }));
    const h = await makeHome({
      heightUrl: `${heights.url}/status`, plan: [{ release: 'v2', height: 10 }],
      autoInstall: { enabled: true, urlTemplate: `${server.url}/releases/{release}/{file}`, checksums: checksum ? { v2: { 'run-config.json': checksum } } : {}, ...extra },
    }, { genesis: [[]] });
    files.set('/releases/v2/run-config.json', runConfigV2(h.log));
    return { ...h, body: files.get('/releases/v2/run-config.json')! };
  }

  it('installs a release without checksums when allowMissingChecksum is set, then switches', async () => {
    const { home, log, body } = await artifactHome(undefined, { allowMissingChecksum: true });
    const r = track(startSupervisor(home));
    await waitFor(() => r.events.some((e) => e.type === 'upgraded'), 'upgrade');
    expect(await readFile(join(home, 'v2', 'run-config.json'), 'utf8')).toBe(body);
    await waitFor(async () => (await starts(log, 'v2')).length === 1, 'v2 start');
  });

  it('refuses a corrupted artifact before the switch; the old version keeps running', async () => {
    const { home, log } = await artifactHome('0'.repeat(64));
    const r = track(startSupervisor(home));
    await waitFor(async () => (await starts(log, 'genesis')).length === 1, 'genesis start');
    await waitFor(() => r.events.some((e) => e.type === 'upgrade-refused'), 'refusal');
    const refusal = r.events.find((e) => e.type === 'upgrade-refused')!;
    expect(refusal.message).toContain('run-config.json');
    expect(refusal.message).toContain('0'.repeat(64));
    expect(existsSync(join(home, 'v2'))).toBe(false);
    expect(await current(home)).toBe('genesis');
    const first = await starts(log, 'genesis');
    expect(first).toHaveLength(1);
    expect(isAlive(first[0].pid, first[0].start)).toBe(true);
    expect((await readLog(log)).filter((e) => e.event === 'term')).toHaveLength(0);
  });

  it('refuses a release without checksums unless allowMissingChecksum', async () => {
    const { home, log } = await artifactHome(undefined);
    const r = track(startSupervisor(home));
    await waitFor(async () => (await starts(log, 'genesis')).length === 1, 'genesis start');
    await waitFor(() => r.events.some((e) => e.type === 'upgrade-refused'), 'refusal');
    expect(r.events.find((e) => e.type === 'upgrade-refused')!.message).toContain('no SHA-256');
    expect(await current(home)).toBe('genesis');
    const [genesis] = await starts(log, 'genesis');
    expect(isAlive(genesis.pid, genesis.start)).toBe(true);
  });

  it('installs when the checksum matches (after a corrected config is reloaded)', async () => {
    const { home, log, body } = await artifactHome('f'.repeat(64));
    const r = track(startSupervisor(home));
    await waitFor(() => r.events.some((e) => e.type === 'upgrade-refused'), 'refusal');
    const config = JSON.parse(await readFile(join(home, 'config.json'), 'utf8'));
    config.autoInstall.checksums.v2['run-config.json'] = sha(body);
    await writeFile(join(home, 'config.json'), JSON.stringify(config));
    await waitFor(() => r.events.some((e) => e.type === 'upgraded'), 'upgrade');
    await waitFor(async () => (await starts(log, 'v2')).length === 1, 'v2 start');
  });
});

describe('visor run: the pre-upgrade hook (cosmovisor exit codes)', () => {
  async function withHook(codes: number[], maxRetries = 0) {
    const heights = await heightServer();
    heights.height = 7;
    const h = await makeHome({
      heightUrl: `${heights.url}/status`, plan: [{ release: 'v2', height: 7 }],
      preUpgrade: { path: process.execPath, args: [FAKE_HOOK, ...codes.map(String)], maxRetries },
    }, { genesis: [[]], v2: [[]] });
    const r = track(startSupervisor(h.home));
    await waitFor(() => r.events.some((e) => e.type === 'upgraded' || e.type === 'upgrade-aborted'), 'upgrade outcome');
    const runs = (await readFile(join(h.home, 'hook-runs'), 'utf8')).split('\n').filter(Boolean);
    return { ...h, r, runs, outcome: r.events.find((e) => e.type === 'upgraded' || e.type === 'upgrade-aborted')! };
  }

  it.each([[0], [1]])('exit %i: the upgrade goes on', async (code) => {
    const { home, outcome, runs } = await withHook([code]);
    expect(outcome.type).toBe('upgraded');
    expect(runs).toEqual(['v2 7']);
    expect(await current(home)).toBe('v2');
  });

  it('exit 30: aborted before the switch, the old version runs again', async () => {
    const { home, log, outcome, runs, r } = await withHook([30]);
    expect(outcome.type).toBe('upgrade-aborted');
    expect(runs).toHaveLength(1);
    expect(await current(home)).toBe('genesis');
    // The old version runs again (its first process may have been stopped before it could log).
    const again = await waitFor(() => r.events.filter((e) => e.type === 'started').at(1), 'genesis again');
    expect(again.version).toBe('genesis');
    await waitFor(async () => (await starts(log, 'genesis')).some((e) => e.pid === again.pid), 'its start');
    expect(await starts(log, 'v2')).toHaveLength(0);
    expect((await new HomeState(home).readJournal()).pending).toBeNull();
  });

  it('exit 31: retried up to maxRetries, then goes on when the hook succeeds', async () => {
    const { home, outcome, runs } = await withHook([31, 31, 0], 2);
    expect(outcome.type).toBe('upgraded');
    expect(runs).toHaveLength(3);
    expect(await current(home)).toBe('v2');
  });

  it('exit 31 past maxRetries aborts', async () => {
    const { home, outcome, runs } = await withHook([31], 1);
    expect(outcome.type).toBe('upgrade-aborted');
    expect(String(outcome.reason)).toContain('31, 31');
    expect(runs).toHaveLength(2);
    expect(await current(home)).toBe('genesis');
  });

  it('another exit code aborts too (a crashing hook is not a success)', async () => {
    const { home, outcome } = await withHook([2]);
    expect(outcome.type).toBe('upgrade-aborted');
    expect(await current(home)).toBe('genesis');
  });
});

describe('visor home sharing', () => {
  it('stops a process started for the home that no status recorded (supervisor killed between spawn and record)', async () => {
    const { home, log } = await makeHome({}, { genesis: [[]] });
    const stray = spawn(process.execPath, [FAKE_NODE], { detached: true, stdio: 'ignore', env: { ...process.env, VISOR_HOME: home, VISOR_VERSION: 'old', FAKE_LOG: log } });
    cleanups.push(async () => { try { process.kill(-stray.pid!, 'SIGKILL'); } catch { /* gone */ } });
    const old = await waitFor(async () => (await starts(log, 'old')).at(0), 'the stray process');
    const r = track(startSupervisor(home));
    await waitFor(async () => (await starts(log, 'genesis')).length === 1, 'genesis start');
    expect(isAlive(old.pid, old.start)).toBe(false);
    expect(r.events.some((e) => e.type === 'orphan' && String(e.message).includes(String(old.pid)))).toBe(true);
    expect((await readLog(log)).some((e) => e.event === 'overlap')).toBe(false);
  });

  it('two supervisors on one home: the second is refused', async () => {
    const { home, log } = await makeHome({}, { genesis: [[]] });
    track(startSupervisor(home));
    await waitFor(async () => (await starts(log)).length === 1, 'start');
    // Same process: simulate another supervisor's status record by a live foreign pid (our parent).
    const state = new HomeState(home);
    const live = (await state.readStatus())!;
    await state.writeStatus({ ...live, supervisorPid: process.ppid, supervisorStarted: startTime(process.ppid), running: true });
    const second = startSupervisor(home);
    cleanups.push(() => second.stop());
    expect(String(await second.done)).toContain('already running');
  });
});
