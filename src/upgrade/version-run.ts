// The processes of one version, kept alive within limits: a process that exits when it was not
// asked to is restarted after a delay that doubles at each restart (capped), until it has been
// restarted maxNumberOfRestarts times; its next exit makes the run give up with a report.
import type { RunConfig, ProcessSpec, VisorConfig } from './config.js';
import { ProcessGaveUp } from '../errors.js';
import { Child, type ChildOutput } from './process.js';
import type { ExitRecord, ProcessStatus } from './state.js';
import type { Timers } from './timers.js';

/** How many exits are kept per process for the status and the report. */
const EXITS_KEPT = 5;

/** Delay before restart number `n` (1-based): restartsDelaySeconds doubled each time, capped. */
export function restartDelayMs(n: number, config: Pick<VisorConfig, 'restartsDelaySeconds' | 'maxRestartsDelaySeconds'>): number {
  const seconds = Math.min(config.restartsDelaySeconds * 2 ** Math.min(n - 1, 52), config.maxRestartsDelaySeconds);
  return Math.round(seconds * 1000);
}

export function describeExit(e: ExitRecord): string {
  return e.signal ? `signal ${e.signal}` : e.code === null ? 'could not start' : `exit ${e.code}`;
}

export interface RunHost {
  readonly home: string;
  readonly timers: Timers;
  readonly out: ChildOutput;
  config(): VisorConfig;
  emit(type: string, message: string, fields?: Record<string, unknown>): void;
  /** Something changed: write the status, look at the sources again. */
  changed(): void;
}

export class VersionRun {
  readonly processes: ProcessStatus[];
  /** Set when a process used up its restarts. */
  failure: ProcessGaveUp | undefined;
  private readonly children = new Map<string, Child>();
  private readonly keepers: Promise<void>[] = [];
  private stopping = false;
  private readonly abort = new AbortController();

  constructor(private readonly host: RunHost, readonly folder: string, readonly runConfig: RunConfig) {
    this.processes = runConfig.processes.map((p) => ({ name: p.name, pid: null, started: null, state: 'stopped', restarts: 0, lastExits: [] }));
  }

  start(): void {
    for (const [i, spec] of this.runConfig.processes.entries()) this.keepers.push(this.keep(spec, this.processes[i]));
  }

  /** Stops every process (SIGTERM, SIGKILL after stopSignalTimeoutSeconds) and cancels pending restarts. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    const timeoutMs = this.host.config().stopSignalTimeoutSeconds * 1000;
    await Promise.all([...this.children.values()].map((c) => c.stop(timeoutMs, this.host.timers)));
    await Promise.all(this.keepers);
  }

  private async keep(spec: ProcessSpec, status: ProcessStatus): Promise<void> {
    const { host } = this;
    const tail: string[][] = [];
    while (!this.stopping) {
      const child = new Child(spec, `${host.home}/${this.folder}`, {
        VISOR_HOME: host.home, VISOR_VERSION: this.folder,
      }, host.out);
      this.children.set(spec.name, child);
      Object.assign(status, { pid: child.pid ?? null, started: child.started, state: 'running' });
      host.emit('started', `${spec.name} started (pid ${child.pid ?? 'none'}) from ${this.folder}`, { process: spec.name, pid: child.pid ?? null, version: this.folder });
      host.changed();
      const exit = await child.exited;
      Object.assign(status, { pid: null, started: null });
      status.lastExits = [...status.lastExits, exit].slice(-EXITS_KEPT);
      tail.push(child.stderrTail());
      if (this.stopping) {
        status.state = 'stopped';
        host.emit('stopped', `${spec.name} stopped (${describeExit(exit)})`, { process: spec.name, ...exit });
        host.changed();
        return;
      }
      const config = host.config();
      host.emit('exited', `${spec.name} exited unexpectedly (${describeExit(exit)})`, { process: spec.name, ...exit });
      if (status.restarts >= config.maxNumberOfRestarts) {
        status.state = 'gave-up';
        // Reported by the supervisor, which first checks whether the exit was a halt for an upgrade.
        this.failure = new ProcessGaveUp(report(spec.name, status, tail.at(-1) ?? [], config.maxNumberOfRestarts));
        host.changed();
        return;
      }
      status.restarts++;
      status.state = 'restarting';
      const delayMs = restartDelayMs(status.restarts, config);
      host.emit('restarting', `${spec.name}: restart ${status.restarts} of ${config.maxNumberOfRestarts} in ${delayMs} ms`,
        { process: spec.name, restart: status.restarts, delayMs });
      host.changed();
      await host.timers.sleep(delayMs, this.abort.signal);
    }
    status.state = 'stopped';
  }
}

function report(name: string, status: ProcessStatus, stderr: string[], max: number): string {
  const exits = status.lastExits.map(describeExit).join(', ');
  const lines = stderr.length ? `\nits last stderr lines:\n${stderr.map((l) => `  | ${l}`).join('\n')}` : '\nit wrote nothing on stderr';
  return `process ${name} exited ${status.lastExits.length > 1 ? 'again ' : ''}after ${max} restart${max === 1 ? '' : 's'}; last exits: ${exits}${lines}`;
}
