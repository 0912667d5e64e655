// The progress bar and its figures: chunks, bytes, rate and time left. The rate counts only
// bytes moved in this run (chunks found already stored do not make it look faster).
import type { TransferProgressEvent } from '../src/progress.js';
import { throttledDraw } from './draw-throttle.js';

export interface Rate {
  bytesPerSecond: number;
  secondsLeft: number;
}

/** Rate and time left from the bytes done at the start of the run and now. */
export function rateOf(startBytes: number, startMs: number, e: TransferProgressEvent, nowMs: number): Rate | undefined {
  const seconds = (nowMs - startMs) / 1000;
  const moved = e.bytesDone - startBytes;
  if (seconds < 0.25 || moved <= 0) return undefined;
  const bytesPerSecond = moved / seconds;
  return { bytesPerSecond, secondsLeft: (e.bytesTotal - e.bytesDone) / bytesPerSecond };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  if (seconds < 1) return 'under a second';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export class ProgressView {
  private startBytes = 0;
  private startMs = 0;
  private latest?: TransferProgressEvent;
  private readonly schedule = throttledDraw(() => this.draw());

  constructor(private readonly el: { bar: HTMLElement; chunks: HTMLElement; bytes: HTMLElement; rate: HTMLElement; eta: HTMLElement }) {}

  start(e: TransferProgressEvent): void {
    this.startBytes = e.bytesDone;
    this.startMs = performance.now();
    this.render(e);
  }

  /** Shows `e` with the next draw (a few a second: draw-throttle.ts). */
  render(e: TransferProgressEvent): void {
    this.latest = e;
    this.schedule();
  }

  private draw(): void {
    const e = this.latest!;
    const fraction = e.bytesTotal ? e.bytesDone / e.bytesTotal : e.chunksTotal ? e.chunksDone / e.chunksTotal : 0;
    this.el.bar.style.transform = `scaleX(${fraction.toFixed(4)})`;
    this.el.chunks.textContent = `${e.chunksDone} / ${e.chunksTotal}`;
    this.el.bytes.textContent = `${formatBytes(e.bytesDone)} / ${formatBytes(e.bytesTotal)}`;
    const rate = rateOf(this.startBytes, this.startMs, e, performance.now());
    this.el.rate.textContent = rate ? `${formatBytes(rate.bytesPerSecond)}/s` : '–';
    this.el.eta.textContent = e.chunksDone === e.chunksTotal ? 'done' : rate ? formatDuration(rate.secondsLeft) : '–';
  }
}
