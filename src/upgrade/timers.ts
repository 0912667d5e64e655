// The supervisor's clock, injectable so tests can observe (and shorten) every delay it asks for.
import { setTimeout as wait } from 'node:timers/promises';

export interface Timers {
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  sleep: (ms, signal) => wait(ms, undefined, { signal }).catch(() => undefined),
};
