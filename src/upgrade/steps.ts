// The two optional steps between stopping the old version and switching: a backup of the data
// folder and the pre-upgrade hook (cosmovisor's, `tools/cosmovisor/process.go` doPreUpgrade).
import { spawn } from 'node:child_process';
import { cp, mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { syncDir } from '../store/fs.js';
import type { PreUpgradeHook, VisorConfig } from './config.js';
import { UpgradeAborted } from '../errors.js';
import { exists } from './home.js';
import { resolveBinary, signalGroup, startTime, type ChildOutput } from './process.js';
import type { ProcessId, UpgradeRecord } from './state.js';
import type { Timers } from './timers.js';

/** Where the backup for an upgrade goes: named by release and height, so a rerun finds it done. */
export function backupPath(home: string, backup: NonNullable<VisorConfig['backup']>, u: UpgradeRecord): string {
  return join(home, backup.backupFolder, `${basename(backup.dataFolder)}-backup-${u.release}-${u.height}`);
}

/** Copies the data folder (to a temporary name, renamed when complete); a finished backup is kept. */
export async function backUp(home: string, backup: NonNullable<VisorConfig['backup']>, u: UpgradeRecord): Promise<string> {
  const dest = backupPath(home, backup, u);
  if (await exists(dest)) return dest;
  const src = join(home, backup.dataFolder);
  if (!(await exists(src))) throw new UpgradeAborted(`backup: the data folder ${src} does not exist`);
  const temp = `${dest}.partial`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(join(home, backup.backupFolder), { recursive: true });
  try {
    await cp(src, temp, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw new UpgradeAborted(`backup of ${src} failed: ${(err as Error).message}`);
  }
  await rename(temp, dest);
  await syncDir(join(home, backup.backupFolder));
  return dest;
}

/** The hook's exit codes (cosmovisor): 0 done and 1 "no such command" go on; 30 aborts; 31 retries. */
export const HOOK_EXIT = { ok: 0, notImplemented: 1, abort: 30, retry: 31 } as const;

export interface HookRun {
  /** Exit code of each attempt (null: killed by a signal or the timeout). */
  attempts: Array<number | null>;
}

/**
 * Runs the pre-upgrade hook with the new release's folder as its base, `VISOR_RELEASE`,
 * `VISOR_HEIGHT`, `VISOR_HOME` in its environment. Exit 0 or 1: the upgrade goes on. 31: run
 * again, at most maxRetries more times. 30, retries used up, any other exit, a signal or the
 * timeout: UpgradeAborted (cosmovisor goes on after other codes; a crashing hook stopping the
 * upgrade is the safer reading).
 */
export async function runHook(
  hook: PreUpgradeHook, home: string, folder: string, u: UpgradeRecord, timers: Timers, out: ChildOutput,
  onStart: (hook: ProcessId | null) => void,
): Promise<HookRun> {
  const attempts: HookRun['attempts'] = [];
  for (;;) {
    const code = await runOnce(hook, home, folder, u, timers, out, onStart);
    attempts.push(code);
    if (code === HOOK_EXIT.ok || code === HOOK_EXIT.notImplemented) return { attempts };
    const tried = `pre-upgrade hook exit codes so far: ${attempts.map(String).join(', ')}`;
    if (code === HOOK_EXIT.retry) {
      if (attempts.length > hook.maxRetries) throw new UpgradeAborted(`pre-upgrade hook asked to retry after ${hook.maxRetries} retries (${tried})`);
      continue;
    }
    if (code === HOOK_EXIT.abort) throw new UpgradeAborted(`pre-upgrade hook aborted the upgrade to ${u.release} (exit 30; ${tried})`);
    throw new UpgradeAborted(`pre-upgrade hook failed (${code === null ? 'killed or timed out' : `exit ${code}`}; ${tried})`);
  }
}

async function runOnce(
  hook: PreUpgradeHook, home: string, folder: string, u: UpgradeRecord, timers: Timers, out: ChildOutput,
  onStart: (hook: ProcessId | null) => void,
): Promise<number | null> {
  const child = spawn(resolveBinary(join(home, folder), hook.path), hook.args, {
    cwd: home, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VISOR_RELEASE: u.release, VISOR_HEIGHT: String(u.height), VISOR_HOME: home },
  });
  child.stdout.pipe(out.stdout, { end: false });
  child.stderr.pipe(out.stderr, { end: false });
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', () => { if (child.pid === undefined) resolve(null); });
    child.once('exit', (code) => resolve(code));
  });
  if (child.pid !== undefined) onStart({ pid: child.pid, started: startTime(child.pid) });
  const abort = new AbortController();
  const timedOut = timers.sleep(hook.timeoutSeconds * 1000, abort.signal).then(() => 'timeout' as const);
  const first = await Promise.race([exited, timedOut]);
  abort.abort();
  if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
  const code = first === 'timeout' ? (await exited, null) : first;
  onStart(null);
  return code;
}
