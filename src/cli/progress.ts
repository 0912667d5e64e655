// Renders ProgressEvents on stderr: a redrawn bar on a terminal; off a terminal (CI logs, a
// pipe) a line every few seconds and a final one, never a line per chunk; or one JSON object
// per event with --json (for scripts). When the total is unknown (a create, which learns its
// size at the end) it shows what is known: chunks and bytes so far, and the rate.
import type { ProgressEvent, ProgressListener } from '../progress.js';
import type { CliIO } from './command.js';

export interface ProgressView {
  listener: ProgressListener;
  /**
   * Ends the display: a newline after the bar on a terminal; off a terminal, the final line
   * (where the work finished, or stopped). Calling it again does nothing.
   */
  end(): void;
}

export interface ProgressTiming {
  /** Off a terminal, at most one line per this many ms, besides the final one (default 5000). */
  lineEveryMs?: number;
  /** The clock, in ms (default performance.now). */
  now?: () => number;
}

const REDRAW_MS = 100;

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1) + ' MB';
}

function seconds(s: number): string {
  return s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}

/** Where a run's rate is counted from: its first event (a resumed restore's stored chunks do not count). */
export interface RateBase {
  bytesDone: number;
  at: number;
}

/** One line about `e` at time `now` (ms) of a run that started at `startedAt`; `final` says how long it took. */
export function progressLine(e: ProgressEvent, base: RateBase, startedAt: number, now: number, final = false): string {
  const s = (now - startedAt) / 1000;
  const rateSeconds = (now - base.at) / 1000;
  const rate = rateSeconds > 0 ? (e.bytesDone - base.bytesDone) / rateSeconds : 0;
  const rateText = rateSeconds > 0 ? `, ${mb(rate)}/s` : '';
  if (e.chunksTotal === undefined || e.bytesTotal === undefined) {
    return `${e.phase}: ${e.chunksDone} chunks, ${mb(e.bytesDone)}${final ? ` in ${seconds(s)}` : ''}${rateText}`;
  }
  const pct = e.bytesTotal ? Math.floor((100 * e.bytesDone) / e.bytesTotal) : e.chunksTotal ? Math.floor((100 * e.chunksDone) / e.chunksTotal) : 100;
  const left = rate > 0 ? (e.bytesTotal - e.bytesDone) / rate : NaN;
  const tail = final ? ` in ${seconds(s)}` : Number.isFinite(left) && e.bytesDone < e.bytesTotal ? `, ${Math.ceil(left)} s left` : '';
  return `${e.phase}: ${e.chunksDone}/${e.chunksTotal} chunks, ${mb(e.bytesDone)}/${mb(e.bytesTotal)} (${pct}%)${rateText}${tail}`;
}

export function progressView(io: CliIO, json: boolean, timing: ProgressTiming = {}): ProgressView {
  const now = timing.now ?? (() => performance.now());
  const lineEveryMs = timing.lineEveryMs ?? 5000;
  const startedAt = now();
  let lastDraw = startedAt;
  let drawn = false;
  let ended = false;
  let base: RateBase | undefined;
  let last: ProgressEvent | undefined;
  /** Whether `last` is what the display shows already. */
  let shown = false;
  const warn = (e: ProgressEvent) => {
    if (drawn && io.isTTY) io.stderr.write('\n');
    io.stderr.write(`${e.phase}: chunk ${e.chunk} refused from ${e.source}: ${e.error?.code}: ${e.error?.message}\n`);
    drawn = false;
  };
  const bar = (e: ProgressEvent, t: number) => {
    const width = 30;
    const known = e.bytesTotal !== undefined;
    const filled = known ? (e.bytesTotal ? Math.round((width * e.bytesDone) / e.bytesTotal) : width) : 0;
    const gauge = known ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` : '';
    io.stderr.write(`\r${gauge}${progressLine(e, base!, startedAt, t)}\x1b[K`);
    drawn = true;
  };
  const listener: ProgressListener = (e) => {
    if (ended) return;
    if (json) {
      io.stderr.write(JSON.stringify(e) + '\n');
      return;
    }
    last = e;
    shown = false;
    if (e.state === 'bad') warn(e);
    const t = now();
    base ??= { bytesDone: e.bytesDone, at: t };
    if (io.isTTY) {
      const finished = e.chunksTotal !== undefined && e.chunksDone === e.chunksTotal;
      if (t - lastDraw < REDRAW_MS && !finished) return;
      bar(e, t);
    } else {
      if (t - lastDraw < lineEveryMs) return;
      io.stderr.write(progressLine(e, base, startedAt, t) + '\n');
    }
    lastDraw = t;
    shown = true;
  };
  return {
    listener,
    end() {
      if (ended) return;
      ended = true;
      if (json || !last) return;
      if (io.isTTY) {
        if (!shown) bar(last, now());
        if (drawn) io.stderr.write('\n');
      } else {
        io.stderr.write(progressLine(last, base!, startedAt, now(), true) + '\n');
      }
    },
  };
}
