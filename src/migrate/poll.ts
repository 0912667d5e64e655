// Waiting for a source that has nothing new yet (after Kwil's changeset listener): poll at an
// interval, backing off linearly up to a ceiling while nothing changes (Kwil: 1 s → 10 s), and
// give up only at a stated deadline without progress. Every wait is reported.
import { MigrationStalled } from '../errors.js';

export interface PollOptions {
  /** First wait after a poll that found nothing new (default 1000 ms, as Kwil). */
  intervalMs?: number;
  /** Longest wait between polls (default 10 000 ms, as Kwil). */
  maxIntervalMs?: number;
  /** Give up (MigrationStalled) after this long without progress (default: wait forever). */
  stallTimeoutMs?: number;
  /** The clock, in ms (default Date.now): a test or a simulation can drive time itself. */
  now?: () => number;
}

export interface Wait {
  /** How long nothing new has been seen. */
  waitedMs: number;
  /** The wait before the next poll. */
  nextPollMs: number;
  /** Milliseconds left before giving up, if there is a deadline. */
  deadlineInMs?: number;
}

/** Tracks the waits since the last progress; `progress()` resets it. */
export class Backoff {
  private misses = 0;
  private since: number;
  private readonly interval: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(private readonly opts: PollOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.since = this.now();
    this.interval = opts.intervalMs ?? 1000;
    this.max = Math.max(this.interval, opts.maxIntervalMs ?? 10_000);
  }

  progress(): void {
    this.misses = 0;
    this.since = this.now();
  }

  /**
   * The next wait after a poll that found nothing new; throws MigrationStalled (naming `what`)
   * once the deadline has passed without progress.
   */
  next(what: string): Wait {
    const waitedMs = this.now() - this.since;
    const limit = this.opts.stallTimeoutMs;
    if (limit !== undefined && waitedMs >= limit) {
      throw new MigrationStalled(`nothing new for ${Math.round(waitedMs / 1000)} s while waiting for ${what} (deadline ${Math.round(limit / 1000)} s)`);
    }
    this.misses++;
    let nextPollMs = Math.min(this.max, this.interval * this.misses);
    if (limit !== undefined) nextPollMs = Math.max(0, Math.min(nextPollMs, limit - waitedMs));
    return { waitedMs, nextPollMs, deadlineInMs: limit === undefined ? undefined : limit - waitedMs };
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
