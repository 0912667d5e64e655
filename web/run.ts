// One verify or restore run: from the form's sources, each chunk verified in the worker pool,
// every progress event onto the chunk map and the figures, a summary in plain words at the end.
import type { Store } from '../src/store/store.js';
import type { WorkerPool } from '../src/worker/pool.js';
import { requestPersistentStorage } from '../src/store/persist.js';
import { restoreCheckpoint, verifyCheckpoint, type TransferResult } from '../src/checkpoint/transfer.js';
import { Restorer } from '../src/checkpoint/restorer.js';
import type { TransferProgressEvent } from '../src/progress.js';
import type { ChunkMap } from './chunk-map.js';
import { formatBytes, type ProgressView } from './progress-view.js';
import { explain, explainBadCopy } from './explain.js';
import type { CheckpointForm } from './form.js';

export type RunKind = 'verify' | 'restore';

/** What a run shows on the page. */
export interface RunView {
  map: ChunkMap;
  progress: ProgressView;
  setStatus(text: string, kind?: 'info' | 'ok' | 'error'): void;
  setBusy(busy: boolean): void;
  /** `verify`, `restore`, `error` or '' (running): for the page's readers and its tests. */
  setDone(done: string): void;
  clearProblems(): void;
  addProblem(text: string): void;
  showWorkers(): void;
  showStorage(): void;
}

export function summary(kind: RunKind, r: TransferResult): string {
  const bytes = r.manifest.chunks.reduce((a, c) => a + c.size, 0);
  const what = kind === 'verify'
    ? `Verified: all ${r.manifest.chunks.length} chunks (${formatBytes(bytes)}) prove out against your root.`
    : `Restored: ${r.manifest.chunks.length} chunks (${formatBytes(bytes)}, version ${r.manifest.version}) are stored in this browser`
      + (r.skipped ? `; ${r.skipped} were already here and were not downloaded again.` : '.');
  const bad = new Set(r.badSources.map((b) => b.source));
  const n = r.badSources.length;
  return n ? `${what} ${n} bad ${n === 1 ? 'copy' : 'copies'} from ${[...bad].join(', ')} ${n === 1 ? 'was' : 'were'} refused.` : what;
}

export class Runner {
  private running?: AbortController;

  constructor(private readonly form: CheckpointForm, private readonly store: Store, private readonly pool: WorkerPool,
    private readonly view: RunView) {}

  stop(): void {
    this.running?.abort(new DOMException('stopped', 'AbortError'));
  }

  async run(kind: RunKind): Promise<void> {
    const { view } = this;
    const sources = this.form.sources();
    if (sources.length === 0) return view.setStatus('Please paste the checkpoint URL first, or pick its folder.', 'error');
    this.form.remember();
    view.clearProblems();
    const running = this.running = new AbortController();
    view.setBusy(true);
    view.setStatus(kind === 'verify' ? 'Verifying…' : 'Restoring…');
    view.setDone('');
    try {
      // Asked alongside the restore, not before it: the answer does not change what is written.
      const persisting = kind === 'restore' ? requestPersistentStorage() : undefined;
      persisting?.catch(() => {}); // awaited below, unless the restore failed first
      const opts = {
        sources, root: this.form.root, verifier: this.pool, concurrency: this.pool.size * 2,
        onProgress: (e: TransferProgressEvent) => this.onProgress(e), signal: running.signal,
      };
      const result = kind === 'verify' ? await verifyCheckpoint(opts) : await restoreCheckpoint({ ...opts, store: this.store });
      await persisting;
      view.setStatus(summary(kind, result), 'ok');
      view.setDone(kind);
    } catch (err) {
      view.setStatus(explain(err), 'error');
      view.setDone('error');
    } finally {
      this.running = undefined;
      view.setBusy(false);
      view.showWorkers();
      view.showStorage();
    }
  }

  private onProgress(e: TransferProgressEvent): void {
    const { map, progress } = this.view;
    if (e.chunk === undefined) {
      // The first event of a run: the map's size, and what an earlier run already stored.
      const allStored = e.phase === 'restore' && e.chunksDone === e.chunksTotal;
      map.reset(e.chunksTotal, allStored ? 'stored' : 'waiting');
      if (e.phase === 'restore' && !allStored && e.chunksDone > 0) {
        void Restorer.status(this.store).then((s) => s?.stored.forEach((i) => map.set(i, 'stored')));
      }
      progress.start(e);
    } else {
      map.set(e.chunk, e.state ?? 'fetching');
      if (e.state === 'bad' && e.error && e.source) this.view.addProblem(explainBadCopy({ chunk: e.chunk, source: e.source, ...e.error }));
      progress.render(e);
    }
    this.view.showWorkers();
  }
}
