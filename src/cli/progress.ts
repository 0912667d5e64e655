// Renders ProgressEvents on stderr: a redrawn bar on a terminal, a line every few seconds
// otherwise (CI logs), or one JSON object per event with --json (for scripts).
import type { ProgressEvent, ProgressListener } from '../progress.js';
import type { CliIO } from './command.js';

export interface ProgressView {
  listener: ProgressListener;
  /** Finishes the bar (a newline on a terminal). */
  end(): void;
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1) + ' MB';
}

function line(e: ProgressEvent, startedAt: number): string {
  const seconds = (performance.now() - startedAt) / 1000;
  const rate = seconds > 0 ? e.bytesDone / seconds : 0;
  const left = rate > 0 ? Math.max(0, (e.bytesTotal - e.bytesDone) / rate) : NaN;
  const pct = e.bytesTotal ? Math.floor((100 * e.bytesDone) / e.bytesTotal) : 100;
  return `${e.phase}: ${e.chunksDone}/${e.chunksTotal} chunks, ${mb(e.bytesDone)}/${mb(e.bytesTotal)} (${pct}%)` +
    `, ${mb(rate)}/s${Number.isFinite(left) ? `, ${Math.ceil(left)} s left` : ''}`;
}

export function progressView(io: CliIO, json: boolean): ProgressView {
  const startedAt = performance.now();
  let lastDraw = 0;
  let drawn = false;
  let last: ProgressEvent | undefined;
  const warn = (e: ProgressEvent) => {
    if (e.state === 'bad' && !json) {
      if (drawn && io.isTTY) io.stderr.write('\n');
      io.stderr.write(`${e.phase}: chunk ${e.chunk} refused from ${e.source}: ${e.error?.code}: ${e.error?.message}\n`);
      drawn = false;
    }
  };
  const listener: ProgressListener = (e) => {
    last = e;
    if (json) {
      io.stderr.write(JSON.stringify(e) + '\n');
      return;
    }
    warn(e);
    const now = performance.now();
    const finished = e.chunksDone === e.chunksTotal;
    if (io.isTTY) {
      if (now - lastDraw < 100 && !finished) return;
      const width = 30;
      const filled = e.bytesTotal ? Math.round((width * e.bytesDone) / e.bytesTotal) : width;
      io.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${line(e, startedAt)}\x1b[K`);
      drawn = true;
    } else {
      if (now - lastDraw < 2000 && !finished && lastDraw !== 0) return;
      io.stderr.write(line(e, startedAt) + '\n');
    }
    lastDraw = now;
  };
  return {
    listener,
    end() {
      if (json || !last) return;
      if (io.isTTY && drawn) io.stderr.write('\n');
    },
  };
}
