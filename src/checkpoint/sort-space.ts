// Where the external sort spills its runs in a store: tmp/sort-<id>/…, one folder per sort. A
// sort that spills first writes a lease (its folder's `lease` key: the time, renewed every few
// seconds while the sort lives; in Node also its process id and host), so another create into
// the same store can sweep what crashed creates left behind — folders whose lease is missing or
// stale, or whose process on this host is gone — without touching the runs of one still
// running. The lease is written before any run, so a folder without one is never a live sort's.
import type { Store } from '../store/store.js';
import { nodeBuiltin } from '../node-builtin.js';

export const SORT_PREFIX = 'tmp/sort-';
const LEASE = 'lease';
/** How often a live sort renews its lease. */
const RENEW_MS = 5_000;
/** A lease not renewed for this long belongs to a sort that is gone (12 missed renewals). */
const STALE_MS = 60_000;

/** One sort's folder: claimed (lease written) on first use, released when the sort ends. */
export class SortSpace {
  /** Key prefix of this sort's runs, ending in '/'. */
  readonly prefix = `${SORT_PREFIX}${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}/`;
  private timer: ReturnType<typeof setInterval> | undefined;
  private renewing: Promise<void> = Promise.resolve();
  private claimed = false;

  constructor(private readonly store: Store) {}

  /** Writes the lease and keeps it fresh until `release` (idempotent). */
  async claim(): Promise<void> {
    if (this.claimed) return;
    this.claimed = true;
    await this.writeLease();
    this.timer = setInterval(() => {
      // A failed renewal is not the sort's failure: its own reads and writes report the store's state.
      this.renewing = this.renewing.then(() => this.writeLease()).catch(() => {});
    }, RENEW_MS);
    // Node: the renewal alone must not keep a process alive.
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Stops renewing, deletes this sort's keys (lease last), then sweeps stale folders of others. */
  async release(): Promise<void> {
    clearInterval(this.timer);
    await this.renewing;
    if (this.claimed) {
      const keys = await this.store.keys(this.prefix);
      const lease = this.prefix + LEASE;
      await this.store.delete([...keys.filter((k) => k !== lease), lease]);
    }
    await sweepStaleSorts(this.store);
  }

  private writeLease(): Promise<void> {
    const owner = thisProcess ? ` ${thisProcess.pid} ${thisProcess.host}` : '';
    return this.store.put([[this.prefix + LEASE, new TextEncoder().encode(`${Date.now()}${owner}`)]]);
  }
}

type NodeProcess = { pid: number; kill(pid: number, signal: 0): void };
const nodeProcess = nodeBuiltin<NodeProcess>('node:process');
const hostname = nodeBuiltin<{ hostname(): string }>('node:os')?.hostname();
/** This process, where the platform has process ids (Node). */
const thisProcess = nodeProcess && hostname ? { pid: nodeProcess.pid, host: hostname } : undefined;

/** Whether process `pid` of this host is gone (a reused pid counts as alive: the lease's age decides then). */
function isGone(pid: number): boolean {
  try {
    nodeProcess!.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as { code?: string }).code === 'ESRCH';
  }
}

/** Whether a lease's text says its sort is gone: not renewed for STALE_MS, or its process on this host has ended. */
function leaseIsStale(text: string | undefined): boolean {
  if (text === undefined) return true;
  const [time, pid, host] = text.split(' ');
  if (!(Date.now() - Number(time) <= STALE_MS)) return true;
  return thisProcess !== undefined && host === thisProcess.host && /^[1-9][0-9]{0,9}$/.test(pid ?? '')
    && Number(pid) !== thisProcess.pid && isGone(Number(pid));
}

/**
 * Deletes the folders of sorts that are gone: no lease (a crash before it was written, or a
 * version that wrote none), one not renewed for STALE_MS, or one whose process on this host has ended.
 */
export async function sweepStaleSorts(store: Store): Promise<void> {
  const folders = new Map<string, string[]>();
  for (const key of await store.keys(SORT_PREFIX)) {
    const slash = key.indexOf('/', SORT_PREFIX.length);
    if (slash < 0) continue;
    const folder = key.slice(0, slash + 1);
    const keys = folders.get(folder);
    if (keys) keys.push(key);
    else folders.set(folder, [key]);
  }
  for (const [folder, keys] of folders) {
    const lease = await store.get(folder + LEASE);
    if (!leaseIsStale(lease && new TextDecoder().decode(lease))) continue;
    await store.delete(keys);
  }
}
