// What the supervisor writes into HOME: the upgrade journal (the step an upgrade is in, and
// the upgrades done — durable, so a supervisor killed mid-upgrade finishes it once when
// started again) and the live status (pids and restart counts, for `visor status` and for
// stopping processes a killed supervisor left behind). Both are written durably: temporary
// file, fsync, rename, folder sync (not through an fs store, which would list HOME's data).
import { join } from 'node:path';
import { writeFileAtomic } from '../store/fs.js';
import { VisorConfigInvalid } from '../errors.js';
import { isSegment, readSmallFile } from './config.js';

export const JOURNAL_FILE = 'visor-journal.json';
export const STATUS_FILE = 'visor-status.json';
/** Upgrades remembered as done (a few a year; the newest are what matter). */
const MAX_DONE = 100;

/** The steps of an upgrade, in order. */
export const STEPS = ['stopping', 'backing-up', 'pre-upgrade', 'switching', 'switched'] as const;
export type Step = typeof STEPS[number];

export interface UpgradeRecord {
  release: string;
  height: number;
  /** Folders switched from and to. */
  from: string;
  to: string;
}

export interface Journal {
  pending: (UpgradeRecord & { step: Step }) | null;
  done: Array<UpgradeRecord & { at: string }>;
}

export interface ExitRecord {
  code: number | null;
  signal: string | null;
}

export interface ProcessStatus {
  name: string;
  pid: number | null;
  /** The process's start time with its pid (see startTime): tells it from a later one with the same pid. */
  started: string | null;
  state: 'running' | 'restarting' | 'stopped' | 'gave-up';
  restarts: number;
  lastExits: ExitRecord[];
}

export interface KnownUpgrade {
  release: string;
  height: number;
  /** Where it was learnt: `status`, `upgrade-info`, `plan`. */
  source: string;
  /** The node reached the height (or said it is ready): the switch is due. */
  ready: boolean;
}

/** A process by pid and start time. */
export interface ProcessId {
  pid: number;
  started: string | null;
}

export interface LiveStatus {
  supervisorPid: number;
  supervisorStarted: string | null;
  /** False once the supervisor stopped cleanly. */
  running: boolean;
  current: string;
  processes: ProcessStatus[];
  /** A pre-upgrade hook being run, so a later supervisor can stop it. */
  hook: ProcessId | null;
  nextUpgrade: KnownUpgrade | null;
  updatedAt: string;
}

function parseJson(text: string | undefined, file: string): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v;
  } catch { /* reported below */ }
  throw new VisorConfigInvalid(`${file} is not a JSON object: remove it only if no upgrade is under way`);
}

function isRecord(v: unknown): v is UpgradeRecord {
  const r = v as UpgradeRecord;
  return typeof r === 'object' && r !== null && typeof r.release === 'string' && Number.isSafeInteger(r.height)
    && isSegment(r.from) && isSegment(r.to);
}

export class HomeState {
  constructor(readonly home: string) {}

  private async read(file: string): Promise<Record<string, unknown> | undefined> {
    return parseJson(await readSmallFile(join(this.home, file)), file);
  }

  async readJournal(): Promise<Journal> {
    const o = await this.read(JOURNAL_FILE);
    if (!o) return { pending: null, done: [] };
    const pending = o.pending as Journal['pending'];
    if (pending !== null && !(isRecord(pending) && STEPS.includes(pending.step))) {
      throw new VisorConfigInvalid(`${JOURNAL_FILE}: pending is malformed`);
    }
    if (!Array.isArray(o.done) || !o.done.every(isRecord)) throw new VisorConfigInvalid(`${JOURNAL_FILE}: done is malformed`);
    return { pending, done: o.done as Journal['done'] };
  }

  async writeJournal(journal: Journal): Promise<void> {
    const trimmed = { pending: journal.pending, done: journal.done.slice(-MAX_DONE) };
    await writeFileAtomic(join(this.home, JOURNAL_FILE), JSON.stringify(trimmed, null, 2) + '\n');
  }

  async readStatus(): Promise<LiveStatus | undefined> {
    const o = await this.read(STATUS_FILE);
    if (!o) return undefined;
    if (!Number.isSafeInteger(o.supervisorPid) || !Array.isArray(o.processes)) throw new VisorConfigInvalid(`${STATUS_FILE} is malformed`);
    return o as unknown as LiveStatus;
  }

  async writeStatus(status: LiveStatus): Promise<void> {
    await writeFileAtomic(join(this.home, STATUS_FILE), JSON.stringify(status, null, 2) + '\n');
  }
}
