// Shared set-up of the supervisor tests: a home folder with fake node versions, the fake
// programs' log, an in-process supervisor with its events, and a small HTTP server on 127.0.0.1.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { initHome } from '../src/upgrade/home.js';
import { Supervisor, type VisorEvent } from '../src/upgrade/supervisor.js';
import type { Timers } from '../src/upgrade/timers.js';

export const FAKE_NODE = join(import.meta.dirname, 'fixtures', 'visor', 'fake-node.mjs');
export const FAKE_HOOK = join(import.meta.dirname, 'fixtures', 'visor', 'fake-hook.mjs');

/** Delays short enough for a test suite (seconds). */
export const FAST = {
  restartsDelaySeconds: 0.02, maxRestartsDelaySeconds: 0.06, stopSignalTimeoutSeconds: 0.3, pollIntervalSeconds: 0.03,
};

export interface Home {
  home: string;
  log: string;
}

/** A home with `config` merged over FAST, and one folder per version running fake-node with the given args. */
export async function makeHome(config: Record<string, unknown>, versions: Record<string, string[][]>): Promise<Home> {
  const home = await mkdtemp(join(tmpdir(), 'lightsnap-visor-'));
  await initHome(home);
  await writeFile(join(home, 'config.json'), JSON.stringify({ ...FAST, ...config }));
  const log = join(home, 'fake.log');
  for (const [folder, processes] of Object.entries(versions)) await writeVersion(home, folder, processes, log);
  return { home, log };
}

export function runConfig(folder: string, processes: string[][], log: string): string {
  return JSON.stringify({
    name: folder,
    processes: processes.map((args, i) => ({
      name: i === 0 ? 'node' : `node${i + 1}`, binary: { path: process.execPath, args: [FAKE_NODE, ...args] }, env: { FAKE_LOG: log },
    })),
  });
}

export async function writeVersion(home: string, folder: string, processes: string[][], log: string): Promise<void> {
  await mkdir(join(home, folder), { recursive: true });
  await writeFile(join(home, folder, 'run-config.json'), runConfig(folder, processes, log));
}

/** A line of the fake programs' log; `start` is the process's start time (isAlive tells a reused pid by it). */
export interface LogEntry { event: string; version: string; pid: number; start: string | null; t: number; with?: number[] }

export async function readLog(log: string): Promise<LogEntry[]> {
  if (!existsSync(log)) return [];
  return (await readFile(log, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** Polls `check` every 10 ms until it returns a truthy value (the test's own timeout bounds it). */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sink = () => new Writable({ write(_c, _e, cb) { cb(); } });

export interface Running {
  supervisor: Supervisor;
  events: VisorEvent[];
  /** Settles with run()'s outcome: undefined on a clean stop, or the error. */
  done: Promise<unknown>;
  stop(): Promise<unknown>;
}

export function startSupervisor(home: string, timers?: Timers): Running {
  const events: VisorEvent[] = [];
  const supervisor = new Supervisor(home, { timers, out: { stdout: sink(), stderr: sink() }, onEvent: (e) => events.push(e) });
  const done = supervisor.run().then(() => undefined, (err: unknown) => err);
  return { supervisor, events, done, stop: () => { supervisor.shutdown(); return done; } };
}

export interface TestServer {
  url: string;
  requests: number;
  close(): Promise<void>;
}

export async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const state = { requests: 0 };
  const server: Server = createServer((req, res) => {
    state.requests++;
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() { return state.requests; },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

export function json(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}
