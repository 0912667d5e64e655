// The upgrade supervisor (after Vega Visor and cosmovisor): runs the current version's
// processes, watches the upgrade sources, and at the upgrade height stops the version, backs up,
// runs the pre-upgrade hook, switches `current` and starts the new version. Every upgrade step
// is journalled before it is taken, so a supervisor killed at any instant and started again
// finishes the switch exactly once, and stops the processes its predecessor left first, so two
// versions never run at once.
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { VisorConfig } from './config.js';
import { HomeBusy, UpgradeAborted, UpgradeSourceFailed, VisorConfigInvalid, ArtifactRefused } from '../errors.js';
import {
  CONFIG_FILE, currentFolder, folderFor, loadConfig, loadRunConfig, switchCurrent, upgradeIsDone,
} from './home.js';
import { installRelease } from './artifacts.js';
import { isAlive, processesOfHome, startTime, stopOrphan, stopStragglers, type ChildOutput } from './process.js';
import { detectUpgrade } from './sources.js';
import { HomeState, STEPS, type Journal, type ProcessId, type KnownUpgrade, type Step, type UpgradeRecord } from './state.js';
import { backUp, runHook } from './steps.js';
import { realTimers, type Timers } from './timers.js';
import { VersionRun, type RunHost } from './version-run.js';

export interface VisorEvent {
  type: string;
  message: string;
  [field: string]: unknown;
}

export interface SupervisorOptions {
  timers?: Timers;
  /** Where the processes' stdout and stderr go (default: this process's). */
  out?: ChildOutput;
  onEvent?(event: VisorEvent): void;
}

type Outcome = { kind: 'shutdown' } | { kind: 'upgrade'; upgrade: KnownUpgrade } | { kind: 'failed'; error: Error };

const stepIndex = (s: Step) => STEPS.indexOf(s);
const ownStart = startTime(process.pid);

export class Supervisor implements RunHost {
  readonly timers: Timers;
  readonly out: ChildOutput;
  private cfg!: VisorConfig;
  private configStamp = '';
  private readonly state: HomeState;
  private journal: Journal = { pending: null, done: [] };
  private shuttingDown = false;
  private readonly shutdownCtl = new AbortController();
  private wakeUp: (() => void) | undefined;
  private current: VersionRun | undefined;
  private next: KnownUpgrade | null = null;
  /** Releases not to try again until the config changes: release → why. */
  private readonly refused = new Map<string, string>();
  private hook: ProcessId | null = null;
  private statusWrites: Promise<void> = Promise.resolve();
  private lastPollError = '';

  readonly home: string;

  constructor(home: string, private readonly opts: SupervisorOptions = {}) {
    // Absolute: it is also the VISOR_HOME marker by which left-over processes are found.
    this.home = resolve(home);
    this.timers = opts.timers ?? realTimers;
    this.out = opts.out ?? { stdout: process.stdout, stderr: process.stderr };
    this.state = new HomeState(home);
  }

  config(): VisorConfig {
    return this.cfg;
  }

  emit(type: string, message: string, fields: Record<string, unknown> = {}): void {
    this.opts.onEvent?.({ type, message, ...fields });
  }

  changed(): void {
    void this.writeStatus();
    this.wakeUp?.();
  }

  /** Asks for a clean stop: the processes are stopped, run() resolves. An upgrade under way finishes its step first. */
  shutdown(): void {
    this.shuttingDown = true;
    this.shutdownCtl.abort();
    this.wakeUp?.();
  }

  /** Runs until shutdown(); rejects with ProcessGaveUp or UpgradeSourceFailed when it had to give up. */
  async run(): Promise<void> {
    this.cfg = await loadConfig(this.home);
    this.configStamp = await this.stamp();
    await this.claimHome();
    try {
      this.journal = await this.state.readJournal();
      if (this.journal.pending) {
        this.emit('resuming', `finishing the interrupted upgrade to ${this.journal.pending.release} (was at step ${this.journal.pending.step})`);
        await this.finishUpgrade(this.journal.pending);
      }
      while (!this.shuttingDown) {
        const folder = await currentFolder(this.home);
        const runConfig = await loadRunConfig(this.home, folder);
        if (!runConfig) throw new VisorConfigInvalid(`${join(this.home, folder)} has no run-config.json`);
        const run = new VersionRun(this, folder, runConfig);
        this.current = run;
        run.start();
        const outcome = await this.watch(run);
        if (outcome.kind === 'upgrade') {
          await this.upgrade(outcome.upgrade, run);
          continue;
        }
        await run.stop();
        if (outcome.kind === 'failed') throw outcome.error;
      }
    } catch (err) {
      await this.current?.stop();
      throw err;
    } finally {
      await this.writeStatus(false);
    }
  }

  /** Refuses a home another live supervisor runs; stops what a killed one left running. */
  private async claimHome(): Promise<void> {
    const prev = await this.state.readStatus().catch(() => undefined);
    if (!prev) return this.stopUnrecorded();
    if (prev.running && prev.supervisorPid !== process.pid && isAlive(prev.supervisorPid, prev.supervisorStarted ?? null)) {
      throw new HomeBusy(`a supervisor (pid ${prev.supervisorPid}) is already running on ${this.home}`);
    }
    const left = [...prev.processes, ...(prev.hook ? [prev.hook] : [])]
      .filter((p): p is ProcessId => Number.isSafeInteger(p.pid) && p.pid! > 0);
    for (const { pid, started } of left) {
      if (!isAlive(pid, started ?? null)) continue;
      this.emit('orphan', `stopping pid ${pid}, left running by a supervisor that did not stop cleanly`, { pid });
      await stopOrphan(pid, started ?? null, this.cfg.stopSignalTimeoutSeconds * 1000, this.timers);
    }
    await this.stopUnrecorded();
  }

  /** Stops processes started for this home that no status recorded (killed between spawn and record). */
  private async stopUnrecorded(): Promise<void> {
    const stray = processesOfHome(this.home);
    if (!stray.length) return;
    this.emit('orphan', `stopping pids ${stray.map((p) => p.pid).join(', ')}, started for this home by a supervisor that was killed`, { pids: stray.map((p) => p.pid) });
    await stopStragglers(stray, this.cfg.stopSignalTimeoutSeconds * 1000, this.timers);
  }

  /** Polls the sources until an upgrade is due, a process gave up, the sources failed, or shutdown. */
  private async watch(run: VersionRun): Promise<Outcome> {
    let failures = 0;
    let answered = false;
    for (;;) {
      if (this.shuttingDown) return { kind: 'shutdown' };
      await this.reloadConfig();
      try {
        const { upgrade, polled } = await detectUpgrade(this.cfg, this.home, (u) => upgradeIsDone(this.journal, this.cfg, u, run.folder), this.shutdownCtl.signal);
        if (polled) {
          answered = true;
          failures = 0;
        }
        this.lastPollError = '';
        this.setNext(upgrade ?? null);
        if (upgrade && (await this.prepare(upgrade)) && upgrade.ready && !this.shuttingDown) return { kind: 'upgrade', upgrade };
      } catch (err) {
        if (!(err instanceof UpgradeSourceFailed) || this.shuttingDown) throw err;
        failures++;
        if (err.message !== this.lastPollError) this.emit('poll-failed', err.message, { failures });
        this.lastPollError = err.message;
        if (answered && failures > this.cfg.maxFailedPolls) return { kind: 'failed', error: err };
      }
      // Checked after a look at the sources: a node that exits because it halted for an upgrade is not a failure.
      if (run.failure) {
        this.emit('gave-up', run.failure.message);
        return { kind: 'failed', error: run.failure };
      }
      await this.sleepOrWake(this.cfg.pollIntervalSeconds * 1000);
    }
  }

  private sleepOrWake(ms: number): Promise<void> {
    const ctl = new AbortController();
    this.wakeUp = () => ctl.abort();
    return this.timers.sleep(ms, ctl.signal).finally(() => { this.wakeUp = undefined; });
  }

  private setNext(u: KnownUpgrade | null): void {
    if (JSON.stringify(u) === JSON.stringify(this.next)) return;
    this.next = u;
    if (u) this.emit('upgrade-known', `upgrade to ${u.release} at height ${u.height} (from ${u.source})${u.ready ? ': due now' : ''}`, { upgrade: u });
    void this.writeStatus();
  }

  /** Makes sure the release's folder is there (installing it if configured); false when it is not (yet). */
  private async prepare(u: KnownUpgrade): Promise<boolean> {
    if (this.refused.has(u.release)) return false;
    const folder = folderFor(this.cfg, u.release);
    try {
      if (await loadRunConfig(this.home, folder)) return true;
      if (!this.cfg.autoInstall.enabled) {
        if (u.ready) this.refuse(u.release, `${join(this.home, folder)} has no run-config.json and autoInstall is off`, false);
        return false;
      }
      this.emit('installing', `installing ${u.release} into ${folder}`, { release: u.release });
      await installRelease(this.home, folder, u.release, this.cfg.autoInstall, this.shutdownCtl.signal);
      if (!(await loadRunConfig(this.home, folder))) throw new ArtifactRefused(`release ${u.release}: installed files have no run-config.json`);
      this.emit('installed', `installed ${u.release} into ${folder}`, { release: u.release });
      return true;
    } catch (err) {
      if (!(err instanceof ArtifactRefused || err instanceof VisorConfigInvalid) || this.shuttingDown) throw err;
      this.refuse(u.release, err.message, true);
      return false;
    }
  }

  private refuse(release: string, reason: string, remember: boolean): void {
    if (remember) this.refused.set(release, reason);
    if (reason === this.lastPollError) return;
    this.lastPollError = reason;
    this.emit('upgrade-refused', `upgrade to ${release} refused, the current version keeps running: ${reason}`, { release, reason });
  }

  private async upgrade(u: KnownUpgrade, run: VersionRun): Promise<void> {
    const record: UpgradeRecord = { release: u.release, height: u.height, from: run.folder, to: folderFor(this.cfg, u.release) };
    await this.step(record, 'stopping');
    if (this.cfg.stopDelaySeconds > 0) await this.timers.sleep(this.cfg.stopDelaySeconds * 1000);
    await run.stop();
    await this.finishUpgrade({ ...record, step: 'stopping' });
  }

  /** The steps after the processes stopped; from a journal's step after a crash. */
  private async finishUpgrade(p: UpgradeRecord & { step: Step }): Promise<void> {
    const { step, ...record } = p;
    try {
      if (stepIndex(step) < stepIndex('switching')) {
        if (this.cfg.backup && stepIndex(step) <= stepIndex('backing-up')) {
          await this.step(record, 'backing-up');
          const dest = await backUp(this.home, this.cfg.backup, record);
          this.emit('backed-up', `backed ${this.cfg.backup.dataFolder} up to ${dest}`, { path: dest });
        }
        if (this.cfg.preUpgrade) {
          await this.step(record, 'pre-upgrade');
          const { attempts } = await runHook(this.cfg.preUpgrade, this.home, record.to, record, this.timers, this.out, (hook) => {
            this.hook = hook;
            void this.writeStatus();
          });
          this.emit('pre-upgrade', `pre-upgrade hook done (exit codes ${attempts.join(', ')})`, { attempts });
        }
        await this.step(record, 'switching');
      }
      if (step !== 'switched') {
        if ((await currentFolder(this.home)) !== record.to) await switchCurrent(this.home, record.to);
        await this.step(record, 'switched');
      }
      this.journal = { pending: null, done: [...this.journal.done, { ...record, at: new Date().toISOString() }] };
      await this.state.writeJournal(this.journal);
      this.next = null;
      this.emit('upgraded', `switched from ${record.from} to ${record.to} (${record.release} at height ${record.height})`, { ...record });
    } catch (err) {
      if (!(err instanceof UpgradeAborted)) throw err;
      // Aborted before the switch: `current` still names the old version, which starts again.
      this.journal = { ...this.journal, pending: null };
      await this.state.writeJournal(this.journal);
      this.refused.set(record.release, err.message);
      this.emit('upgrade-aborted', `upgrade to ${record.release} aborted, ${record.from} starts again: ${err.message}`, { ...record, reason: err.message });
    }
  }

  private async step(record: UpgradeRecord, step: Step): Promise<void> {
    this.journal = { ...this.journal, pending: { ...record, step } };
    await this.state.writeJournal(this.journal);
    this.emit('upgrade-step', `upgrade to ${record.release}: ${step}`, { release: record.release, step });
  }

  private async stamp(): Promise<string> {
    const s = await stat(join(this.home, CONFIG_FILE)).catch(() => undefined);
    return s ? `${s.mtimeMs}:${s.size}:${s.ino}` : '';
  }

  /** Re-reads config.json when it changed; a broken edit is reported and the old config kept. */
  private async reloadConfig(): Promise<void> {
    const stamp = await this.stamp();
    if (stamp === this.configStamp) return;
    this.configStamp = stamp;
    try {
      this.cfg = await loadConfig(this.home);
      this.refused.clear();
      this.emit('config-reloaded', `${CONFIG_FILE} reloaded`);
    } catch (err) {
      if (!(err instanceof VisorConfigInvalid)) throw err;
      this.emit('config-invalid', `${err.message} (keeping the previous config)`);
    }
  }

  private writeStatus(running = true): Promise<void> {
    const snapshot = async () => {
      await this.state.writeStatus({
        supervisorPid: process.pid,
        supervisorStarted: ownStart,
        running,
        current: this.current?.folder ?? '',
        processes: this.current?.processes.map((p) => ({ ...p, lastExits: [...p.lastExits] })) ?? [],
        hook: this.hook,
        nextUpgrade: this.next,
        updatedAt: new Date().toISOString(),
      });
    };
    // One write at a time, in order, so the file always ends with the newest snapshot.
    this.statusWrites = this.statusWrites.then(snapshot, snapshot);
    return this.statusWrites;
  }
}
