// What `visor run --dry-run` and `visor status` show, as data (the CLI prints it as text or JSON).
// Nothing here starts a process or asks the network.
import { join } from 'node:path';
import type { ProcessSpec, RunConfig, VisorConfig } from './config.js';
import { readSmallFile } from './config.js';
import { currentFolder, folderFor, loadConfig, loadRunConfig, upgradeIsDone } from './home.js';
import { VisorConfigInvalid } from '../errors.js';
import { artifactUrl, missingChecksums } from './artifacts.js';
import { isAlive, resolveBinary } from './process.js';
import { HomeState, type Journal, type KnownUpgrade, type LiveStatus } from './state.js';
import { MAX_ANSWER_BYTES } from './http.js';
import { parseUpgradeInfo, UPGRADE_INFO_FILE } from './sources.js';
import { backupPath, HOOK_EXIT } from './steps.js';

export interface ProcessPlan {
  name: string;
  command: string;
  args: string[];
  cwd: string;
}

export interface UpgradePlan {
  release: string;
  height: number;
  source: string;
  folder: string;
  /** present: the folder has a run-config.json; install: it will be fetched; refused: the upgrade cannot happen as configured. */
  folderState: 'present' | 'install' | 'refused';
  reason?: string;
  downloads?: Array<{ file: string; url: string; sha256: string | null }>;
  steps: string[];
  processes: ProcessPlan[] | null;
}

export interface DryRun {
  home: string;
  current: string;
  processes: ProcessPlan[];
  sources: string[];
  pending: Journal['pending'];
  upgrades: UpgradePlan[];
}

function processPlans(home: string, folder: string, rc: RunConfig): ProcessPlan[] {
  const base = join(home, folder);
  return rc.processes.map((p: ProcessSpec) => ({
    name: p.name, command: resolveBinary(base, p.binary.path), args: p.binary.args, cwd: p.cwd ? join(base, p.cwd) : base,
  }));
}

function describeSources(cfg: VisorConfig): string[] {
  const out: string[] = [];
  if (cfg.statusUrl) out.push(`status URL ${cfg.statusUrl}, polled every ${cfg.pollIntervalSeconds} s`);
  if (cfg.upgradeInfoFolder) out.push(`${join(cfg.upgradeInfoFolder, UPGRADE_INFO_FILE)}, checked every ${cfg.pollIntervalSeconds} s`);
  if (cfg.plan.length) out.push(cfg.heightUrl ? `plan of ${cfg.plan.length} upgrade(s), height from ${cfg.heightUrl}` : `plan of ${cfg.plan.length} upgrade(s), but no heightUrl: never due`);
  return out;
}

async function planUpgrade(home: string, cfg: VisorConfig, u: KnownUpgrade, from: RunConfig): Promise<UpgradePlan> {
  const folder = folderFor(cfg, u.release);
  const rc = await loadRunConfig(home, folder).catch((err: Error) => err);
  const plan: UpgradePlan = { release: u.release, height: u.height, source: u.source, folder, folderState: 'present', steps: [], processes: null };
  if (rc instanceof Error) Object.assign(plan, { folderState: 'refused', reason: rc.message });
  else if (rc) plan.processes = processPlans(home, folder, rc);
  else if (!cfg.autoInstall.enabled || !cfg.autoInstall.urlTemplate) {
    Object.assign(plan, { folderState: 'refused', reason: `${join(home, folder)} has no run-config.json and autoInstall is off` });
  } else {
    const missing = missingChecksums(cfg.autoInstall, u.release);
    plan.folderState = missing.length && !cfg.autoInstall.allowMissingChecksum ? 'refused' : 'install';
    if (plan.folderState === 'refused') plan.reason = `no SHA-256 for ${missing.join(', ')} and autoInstall.allowMissingChecksum is off`;
    plan.downloads = cfg.autoInstall.files.map((file) => ({
      file, url: artifactUrl(cfg.autoInstall.urlTemplate!, u.release, file), sha256: cfg.autoInstall.checksums[u.release]?.[file] ?? null,
    }));
  }
  if (plan.folderState === 'install') plan.steps.push(`before the height: fetch ${plan.downloads!.length} file(s) into ${folder}, check each SHA-256`);
  if (plan.folderState === 'refused') {
    plan.steps.push(`refused, the current version keeps running: ${plan.reason}`);
    return plan;
  }
  plan.steps.push(`stop ${from.processes.map((p) => p.name).join(', ')} (SIGTERM, SIGKILL after ${cfg.stopSignalTimeoutSeconds} s)${cfg.stopDelaySeconds ? ` after waiting ${cfg.stopDelaySeconds} s` : ''}`);
  if (cfg.backup) plan.steps.push(`back up ${cfg.backup.dataFolder} to ${backupPath(home, cfg.backup, { ...u, from: '', to: folder })}`);
  if (cfg.preUpgrade) {
    plan.steps.push(`run ${resolveBinary(join(home, folder), cfg.preUpgrade.path)} ${cfg.preUpgrade.args.join(' ')}`.trimEnd()
      + ` (exit ${HOOK_EXIT.ok}/${HOOK_EXIT.notImplemented}: go on, ${HOOK_EXIT.abort}: abort, ${HOOK_EXIT.retry}: retry up to ${cfg.preUpgrade.maxRetries} time(s))`);
  }
  plan.steps.push(`switch current → ${folder}`);
  plan.steps.push(plan.processes ? `start ${plan.processes.map((p) => p.name).join(', ')}` : 'start the processes of the installed run-config.json');
  return plan;
}

/** What `visor run` would do, without starting anything. */
export async function dryRun(home: string): Promise<DryRun> {
  const cfg = await loadConfig(home);
  const current = await currentFolder(home);
  const rc = await loadRunConfig(home, current);
  if (!rc) throw new VisorConfigInvalid(`${join(home, current)} has no run-config.json`);
  const journal = await new HomeState(home).readJournal();
  const known: KnownUpgrade[] = cfg.plan.map((p) => ({ release: p.release, height: p.height, source: 'plan', ready: false }));
  if (cfg.upgradeInfoFolder) {
    const path = join(home, cfg.upgradeInfoFolder, UPGRADE_INFO_FILE);
    const text = await readSmallFile(path, MAX_ANSWER_BYTES).catch(() => undefined);
    if (text !== undefined) known.push(parseUpgradeInfo(text, path));
  }
  const open = known.filter((u) => !upgradeIsDone(journal, cfg, u, current)).sort((a, b) => a.height - b.height);
  const upgrades: UpgradePlan[] = [];
  let from = rc;
  for (const u of open) {
    const plan = await planUpgrade(home, cfg, u, from);
    upgrades.push(plan);
    if (plan.processes) from = { name: plan.folder, processes: plan.processes.map((p) => ({ name: p.name, binary: { path: p.command, args: p.args } })) };
  }
  return { home, current, processes: processPlans(home, current, rc), sources: describeSources(cfg), pending: journal.pending, upgrades };
}

export interface StatusReport {
  home: string;
  current: string;
  supervisor: { pid: number; running: boolean } | null;
  processes: LiveStatus['processes'];
  nextUpgrade: KnownUpgrade | null;
  pending: Journal['pending'];
  done: Journal['done'];
}

/** The home's state: current version, the supervisor and its processes, the next known upgrade. */
export async function status(home: string): Promise<StatusReport> {
  const cfg = await loadConfig(home);
  const current = await currentFolder(home);
  const state = new HomeState(home);
  const [live, journal] = await Promise.all([state.readStatus(), state.readJournal()]);
  const running = live !== undefined && live.running && isAlive(live.supervisorPid, live.supervisorStarted ?? null);
  const planned = cfg.plan.find((p) => !upgradeIsDone(journal, cfg, p, current));
  return {
    home, current,
    supervisor: live ? { pid: live.supervisorPid, running } : null,
    processes: running ? live.processes : (live?.processes ?? []).map((p) => ({ ...p, pid: null, started: null, state: 'stopped' as const })),
    nextUpgrade: (running ? live.nextUpgrade : null) ?? (planned ? { release: planned.release, height: planned.height, source: 'plan', ready: false } : null),
    pending: journal.pending,
    done: journal.done,
  };
}
