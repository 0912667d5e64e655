// One supervised program. Each runs in its own process group (detached), so stopping it stops
// whatever it started too (a wrapper's child, a shell's pipeline), and a supervisor that was
// killed can still stop the whole group later from its recorded pid.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Writable } from 'node:stream';
import type { ProcessSpec } from './config.js';
import type { ExitRecord } from './state.js';
import type { Timers } from './timers.js';

/** stderr lines kept for the report when a process gives up, and their longest length. */
const TAIL_LINES = 20;
const TAIL_LINE_CHARS = 500;

/** Program path: absolute; relative to the version folder when it exists there; else looked up on PATH. */
export function resolveBinary(folder: string, path: string): string {
  if (isAbsolute(path)) return path;
  const local = join(folder, path);
  return path.includes('/') || existsSync(local) ? local : path;
}

export interface ChildOutput {
  stdout: Writable;
  stderr: Writable;
}

export class Child {
  readonly exited: Promise<ExitRecord>;
  readonly pid: number | undefined;
  /** startTime(pid), taken at once. */
  readonly started: string | null;
  private readonly tail: string[] = [];
  private partial = '';
  private done = false;

  constructor(spec: ProcessSpec, folder: string, env: Record<string, string>, out: ChildOutput) {
    const child = spawn(resolveBinary(folder, spec.binary.path), spec.binary.args, {
      cwd: spec.cwd ? (isAbsolute(spec.cwd) ? spec.cwd : join(folder, spec.cwd)) : folder,
      env: { ...process.env, ...env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.pid = child.pid;
    this.started = child.pid === undefined ? null : startTime(child.pid);
    child.stdout.pipe(out.stdout, { end: false });
    child.stderr.on('data', (chunk: Buffer) => {
      out.stderr.write(chunk);
      this.remember(chunk.toString('utf8'));
    });
    this.exited = new Promise((resolve) => {
      child.once('error', (err) => {
        // Spawning failed (no such program): no 'exit' follows.
        this.remember(`${err.message}\n`);
        if (child.pid === undefined) resolve({ code: null, signal: null });
      });
      child.once('exit', (code, signal) => resolve({ code, signal }));
    }).then((exit) => {
      this.done = true;
      if (this.partial) this.keep(this.partial);
      // Anything the program left in its group goes with it.
      if (this.pid !== undefined) signalGroup(this.pid, 'SIGKILL');
      return exit as ExitRecord;
    });
  }

  get running(): boolean {
    return !this.done;
  }

  /** The last lines the program wrote on stderr. */
  stderrTail(): string[] {
    return [...this.tail, ...(this.partial ? [this.partial.slice(0, TAIL_LINE_CHARS)] : [])];
  }

  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves with the exit. */
  async stop(timeoutMs: number, timers: Timers): Promise<ExitRecord> {
    if (this.pid === undefined || this.done) return this.exited;
    signalGroup(this.pid, 'SIGTERM');
    const abort = new AbortController();
    const first = await Promise.race([this.exited, timers.sleep(timeoutMs, abort.signal).then(() => undefined)]);
    abort.abort();
    if (first) return first;
    signalGroup(this.pid, 'SIGKILL');
    return this.exited;
  }

  private remember(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = (lines.pop() ?? '').slice(-TAIL_LINE_CHARS * 4);
    for (const line of lines) this.keep(line);
  }

  private keep(line: string): void {
    this.tail.push(line.slice(0, TAIL_LINE_CHARS));
    if (this.tail.length > TAIL_LINES) this.tail.shift();
  }
}

export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch { /* the group is gone */ }
}

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The fields of /proc/PID/stat after the command name (state first); undefined without /proc. */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * When a process started (clock ticks since boot, /proc field 22), or null where there is no
 * /proc: with its pid, it names the process even after the pid is reused (pids wrap quickly on a
 * busy machine).
 */
export function startTime(pid: number): string | null {
  return procStat(pid)?.[19] ?? null;
}

/** Whether the process `pid` exists, is not a zombie and (given `started`) is the one that started then. */
export function isAlive(pid: number, started: string | null = null): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  if (!stat) return true; // no /proc: kill(0) is the best answer
  return stat[0] !== 'Z' && (started === null || stat[19] === started);
}

/**
 * Stops a process group that is not our child (left by a supervisor that was killed): SIGTERM,
 * SIGKILL after the timeout; resolves when its leader is gone.
 */
export async function stopOrphan(pid: number, started: string | null, timeoutMs: number, timers: Timers): Promise<void> {
  // A recorded pid reused by another process has another start time (and is seldom a group leader).
  const alive = () => groupExists(pid) && isAlive(pid, started);
  if (!alive()) return;
  signalGroup(pid, 'SIGTERM');
  const deadline = timers.now() + timeoutMs;
  while (alive() && timers.now() < deadline) await timers.sleep(20);
  signalGroup(pid, 'SIGKILL');
  for (let i = 0; i < 500 && alive(); i++) await timers.sleep(10);
}

/**
 * Processes whose environment says they were started for `home` (VISOR_HOME, set for every
 * process and hook, inherited by what they start): a supervisor killed between starting a
 * process and recording its pid leaves one no status names. Empty without /proc.
 */
export function processesOfHome(home: string): ProcessIdOf[] {
  const marker = `VISOR_HOME=${home}\0`;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return [];
  }
  const found: ProcessIdOf[] = [];
  for (const name of pids) {
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${pid}/environ`, 'latin1');
      if (env.startsWith(marker) || env.includes(`\0${marker}`)) found.push({ pid, started: startTime(pid) });
    } catch { /* gone, or not ours to read */ }
  }
  return found.filter((p) => isAlive(p.pid, p.started));
}

interface ProcessIdOf { pid: number; started: string | null }

/** Stops processes that are not our children (each, and its group): SIGTERM, SIGKILL after the timeout. */
export async function stopStragglers(procs: ProcessIdOf[], timeoutMs: number, timers: Timers): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    for (const p of procs) {
      if (!isAlive(p.pid, p.started)) continue;
      signalGroup(p.pid, sig);
      try { process.kill(p.pid, sig); } catch { /* gone */ }
    }
  };
  const anyAlive = () => procs.some((p) => isAlive(p.pid, p.started));
  signal('SIGTERM');
  const deadline = timers.now() + timeoutMs;
  while (anyAlive() && timers.now() < deadline) await timers.sleep(20);
  signal('SIGKILL');
  for (let i = 0; i < 500 && anyAlive(); i++) await timers.sleep(10);
}
