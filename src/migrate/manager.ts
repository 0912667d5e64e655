// The new side of a long-running migration (after the Cosmos SDK's store/v2 migration manager
// and Kwil's new-node migration): restore the genesis checkpoint, then follow the old side's
// changesets height by height, and switch the caller's `current` state to the result in one
// atomic step. Everything is journalled in the Store, so a run killed at any instant resumes:
//
//   current.json                           the caller's current state; written only by switchOver
//   migrations/<id>/migration.json         the followed migration as first seen (pins id and genesis)
//   migrations/<id>/state/                 the checkpoint being built: the genesis restore (itself
//                                          resumable), then the heights applied; its manifest's
//                                          version IS the migrated height, replaced atomically with
//                                          the state, so a height is applied once and never half
//   migrations/<id>/pieces/<height>/<digest>  verified pieces of heights not applied yet
//
// A follower that is behind applies the recorded heights in batches (one applyChangesets call,
// one switch of the state: a height costs far less held with others than written alone); a
// height's pieces are dropped only once the switch past it is done, so a kill anywhere in a
// batch re-applies the batch from the journal and fetches nothing again.
import type { Store } from '../store/store.js';
import type { Source } from '../net/source.js';
import { prefixedStore } from '../store/prefixed.js';
import { subSource } from '../net/sub-source.js';
import { restoreCheckpoint } from '../checkpoint/transfer.js';
import { fromAnySource } from '../checkpoint/fetch.js';
import { assertRoot } from '../checkpoint/restorer.js';
import type { Verifier } from '../checkpoint/verify.js';
import { parseManifest, type Manifest } from '../format/manifest.js';
import type { ProgressEvent } from '../progress.js';
import { CheckpointError, InvalidArgument, LightsnapError, MigrationMismatch, NoActiveMigration, RootMismatch } from '../errors.js';
import { encodeMigration, parseMigration, MAX_MIGRATION_BYTES, type MigrationMetadata } from './metadata.js';
import { MIGRATION_FILE, GENESIS_PREFIX, CHANGESETS_PREFIX } from './migrator.js';
import { Backoff, sleep, type PollOptions } from './poll.js';
import { decodeChangesetPiece, type ChangesetMetadata } from '../format/changeset.js';
import { ChangesetError, ChangesetPieceCorrupted } from '../errors.js';
import { fetchPiece, loadChangesetMetadata } from '../changeset/io.js';
import { applyChangesets, type ChangesetToApply } from '../checkpoint/apply.js';
import { backend } from '../core/load.js';
import { toHex } from '../hex.js';
import { equalBytes } from '../bytes.js';
import type { Pair } from '../tree/pairs.js';
import { assertInteger } from '../assert.js';

export const CURRENT_FILE = 'current.json';
/**
 * 32 heights: a batch's fixed cost (writing the touched chunk files once, ~1.9 s at 1,000
 * changes on 1M keys) is then a small part of its ~0.25 s per held height, and a kill loses at
 * most one batch of apply work.
 */
export const DEFAULT_BATCH_HEIGHTS = 32;
export const DEFAULT_BATCH_BYTES = 64 << 20;
export const MAX_BATCH_HEIGHTS = 4096;

/** What the manager reports as it goes (the CLI prints these; --json as NDJSON). */
export type MigrationEvent =
  | { type: 'metadata'; status: string; startHeight: number; endHeight: number; lastChangeset: number | null; source: string }
  | { type: 'genesis'; progress: ProgressEvent }
  | { type: 'restored'; height: number; root: string; fetched: number; skipped: number }
  | { type: 'waiting'; height: number; waitedMs: number; nextPollMs: number; deadlineInMs?: number; reason: string }
  | { type: 'bad'; height?: number; index?: number; source: string; code: string; message: string }
  /** After the switch to the last height of a batch, once per height of it; `batch`: the heights switched together. */
  | { type: 'applied'; height: number; root: string; changes: number; pieces: number; fetched: number; behind: number; batch: number }
  | { type: 'caught-up'; height: number }
  | { type: 'switched'; height: number; root: string; state: string }
  | { type: 'already-switched'; height: number; root: string; state: string };

export interface MigrationManagerOptions extends PollOptions {
  /** Where the journal, the state being built, and current.json live. */
  store: Store;
  /**
   * The genesis root the caller trusts (e.g. the old chain's committed root at the start
   * height). Without it the root migration.json names is trusted on first use and pinned.
   */
  genesisRoot?: string;
  /** The root the state must have after the end height; checked before switching. */
  expectFinalRoot?: string;
  /** Chunks (genesis) and pieces (changesets) in flight at once (default 4). */
  concurrency?: number;
  /**
   * Most heights applied (and switched to) at once when several are recorded (default 32,
   * DEFAULT_BATCH_HEIGHTS; 1 applies and switches height by height). A follower that is live
   * (one height recorded) applies each height as it comes.
   */
  batchHeights?: number;
  /**
   * A batch ends at the height whose pieces bring it to this many bytes (default 64 MiB,
   * DEFAULT_BATCH_BYTES): the batch's changes are held in memory until it is applied.
   */
  batchBytes?: number;
  verifier?: Verifier;
  onEvent?: (event: MigrationEvent) => void;
  signal?: AbortSignal;
}

/** The content of current.json: which state is current. */
export interface CurrentPointer {
  /** Key prefix of the current checkpoint in the store. */
  state: string;
  root: string;
  version: number;
  migration: string;
}

/** Errors that condemn what one source delivered, not the migration: try another source. */
const SOURCE_FAULTS: ReadonlySet<string> = new Set(['ChangesetPieceNotFound', 'ChangesetPieceCorrupted', 'ChunkNotFound', 'ChunkCorrupted',
  'SourceUnavailable', 'ChangesetInvalid', 'ChangesetNotFound']);

export class MigrationManager {
  private readonly store: Store;
  private sources: Source[] = [];
  private pinned?: MigrationMetadata;
  private latest?: MigrationMetadata;
  private manifest?: Manifest;
  private prefix = '';
  private readonly backoff: Backoff;
  private readonly batchHeights: number;
  private readonly batchBytes: number;

  constructor(private readonly opts: MigrationManagerOptions) {
    if (opts.genesisRoot !== undefined) assertRoot(opts.genesisRoot);
    if (opts.expectFinalRoot !== undefined) assertRoot(opts.expectFinalRoot);
    this.batchHeights = opts.batchHeights ?? DEFAULT_BATCH_HEIGHTS;
    this.batchBytes = opts.batchBytes ?? DEFAULT_BATCH_BYTES;
    assertInteger(this.batchHeights, 'batchHeights', 1, MAX_BATCH_HEIGHTS);
    assertInteger(this.batchBytes, 'batchBytes', 1, Number.MAX_SAFE_INTEGER);
    this.store = opts.store;
    this.backoff = new Backoff(opts);
  }

  /**
   * Starts (or resumes) following the migration the sources serve (mirrors of one migration
   * location): pins it, waits for its genesis checkpoint, and restores it. Resolves once the
   * state holds the genesis or a later applied height.
   */
  async start(sources: readonly Source[]): Promise<void> {
    if (sources.length === 0) throw new InvalidArgument('no migration source given');
    this.sources = [...sources];
    let m = await this.poll();
    while (!m.genesis) {
      await this.wait(m.startHeight, `the genesis checkpoint (status ${m.status})`);
      m = await this.poll();
    }
    await this.pin(m);
    const state = prefixedStore(this.store, this.prefix + 'state/');
    const existing = await state.get('manifest.json');
    if (!existing) {
      const root = this.pinned!.genesis!.root;
      const r = await restoreCheckpoint({
        sources: this.sources.map((s) => subSource(s, GENESIS_PREFIX)), root, store: state, verifier: this.opts.verifier,
        concurrency: this.opts.concurrency, signal: this.opts.signal,
        onProgress: (progress) => {
          if (progress.state === 'bad') {
            this.emit({ type: 'bad', index: progress.chunk, source: progress.source ?? '', code: progress.error!.code, message: progress.error!.message });
          } else this.emit({ type: 'genesis', progress });
        },
      });
      if (r.manifest.version !== m.startHeight) {
        throw new MigrationMismatch(`the genesis checkpoint is of version ${r.manifest.version}, the migration starts at ${m.startHeight}`);
      }
      this.emit({ type: 'restored', height: r.manifest.version, root: r.manifest.root, fetched: r.fetched, skipped: r.skipped });
    }
    this.manifest = parseManifest((await state.get('manifest.json'))!);
    await this.dropApplied();
    this.backoff.progress();
  }

  /** Pieces of heights the state has reached: left by a run killed between a switch and their deletion. */
  private async dropApplied(): Promise<void> {
    const pieces = prefixedStore(this.store, this.prefix + 'pieces/');
    const applied = (await pieces.keys('')).filter((k) => Number(k.slice(0, k.indexOf('/'))) <= this.manifest!.version);
    if (applied.length) await pieces.delete(applied);
  }

  /** The height the state has reached (the start height once the genesis is restored). */
  migratedVersion(): number | undefined {
    return this.manifest?.version;
  }

  /** The root of the state at migratedVersion(). */
  migratedRoot(): string | undefined {
    return this.manifest?.root;
  }

  /** The migration as last polled. */
  metadata(): MigrationMetadata | undefined {
    return this.latest;
  }

  /** Applies every height the sources have recorded; resolves with the migrated height once caught up. */
  async sync(): Promise<number> {
    await this.follow(false);
    return this.migratedVersion()!;
  }

  /**
   * Follows until the end height, waiting (with backoff, up to the stall deadline) for heights
   * the old side has not recorded yet, then switches over. Resolves with the current pointer.
   */
  async run(): Promise<CurrentPointer> {
    await this.follow(true);
    return this.switchOver();
  }

  /**
   * Makes the migrated state current: one atomic write of current.json. At the end height
   * (Kwil) or, explicitly, once caught up with the source (Cosmos). Switching again to the same
   * state does nothing.
   */
  async switchOver(): Promise<CurrentPointer> {
    const m = this.requireStarted();
    const height = m.version;
    const last = this.latest?.lastChangeset ?? this.pinned!.startHeight;
    if (height < last) throw new InvalidArgument(`not caught up: the state is at height ${height}, the source has recorded up to ${last}; sync first`);
    if (height === this.pinned!.endHeight && this.opts.expectFinalRoot && m.root !== this.opts.expectFinalRoot) {
      throw new RootMismatch(`the migrated state's root at the end height ${height} is ${m.root}, not the expected ${this.opts.expectFinalRoot}`);
    }
    const pointer: CurrentPointer = { state: this.prefix + 'state/', root: m.root, version: height, migration: this.pinned!.id };
    const existing = await this.store.get(CURRENT_FILE);
    const bytes = new TextEncoder().encode(JSON.stringify(pointer) + '\n');
    if (existing && equalBytes(existing, bytes)) {
      this.emit({ type: 'already-switched', height, root: m.root, state: pointer.state });
      return pointer;
    }
    await this.store.flush?.();
    await this.store.put([[CURRENT_FILE, bytes]]);
    await this.store.flush?.();
    this.emit({ type: 'switched', height, root: m.root, state: pointer.state });
    return pointer;
  }

  private requireStarted(): Manifest {
    if (!this.manifest || !this.pinned) throw new InvalidArgument('call start(sources) first');
    return this.manifest;
  }

  /**
   * Applies heights in order, as many at once as are recorded (up to the batch bounds); with
   * `toEnd`, waits for new ones until the end height. One height is fetched ahead of the one
   * awaited, so the next batch's first height downloads while a batch is applied.
   */
  private async follow(toEnd: boolean): Promise<void> {
    this.requireStarted();
    const end = this.pinned!.endHeight;
    let ahead: { height: number; pieces: Promise<FetchedHeight> } | undefined;
    const fetchHeight = (height: number) => {
      const pieces = this.fetchHeight(height);
      pieces.catch(() => undefined); // awaited when its turn comes
      return { height, pieces };
    };
    while (this.manifest!.version < end) {
      const height = this.manifest!.version + 1;
      if ((this.latest?.lastChangeset ?? 0) < height) {
        const m = await this.poll();
        if ((m.lastChangeset ?? 0) < height) {
          if (!toEnd) break;
          await this.wait(height, `height ${height} (the source has recorded up to ${m.lastChangeset ?? m.startHeight})`);
          continue;
        }
      }
      const recorded = Math.min(this.latest!.lastChangeset ?? 0, end);
      const last = Math.min(recorded, height + this.batchHeights - 1);
      const batch: FetchedHeight[] = [];
      let bytes = 0;
      let failure: unknown;
      for (let h = height; h <= last && bytes < this.batchBytes; h++) {
        const current = ahead?.height === h ? ahead : fetchHeight(h);
        ahead = h + 1 <= recorded ? fetchHeight(h + 1) : undefined;
        try {
          batch.push(await current.pieces);
        } catch (err) {
          // The heights fetched before a failing one are applied first, as one by one would have.
          if (batch.length === 0 || this.opts.signal?.aborted) throw err;
          failure = err;
          break;
        }
        bytes += batch.at(-1)!.meta.pieces.reduce((sum, p) => sum + p.size, 0);
      }
      await this.apply(batch);
      if (failure !== undefined) throw failure;
      this.backoff.progress();
    }
    this.emit({ type: 'caught-up', height: this.manifest!.version });
  }

  /** Fetches a height's metadata and every piece not already in the journal, verifying each. */
  private async fetchHeight(height: number): Promise<FetchedHeight> {
    const meta = await this.fromSources(height, undefined, (s) => loadChangesetMetadata(this.changesetSource(s, height)));
    if (meta.height !== height) throw new MigrationMismatch(`the changeset served for height ${height} is of height ${meta.height}`, { height });
    const journal = this.journal(height);
    let fetched = 0;
    let next = 0;
    const lane = async () => {
      while (next < meta.pieces.length) {
        const index = next++;
        const { digest } = meta.pieces[index];
        const stored = await journal.get(digest);
        if (stored && toHex(backend().sha256(stored)) === digest) continue;
        const bytes = await this.fromSources(height, index, (s) => fetchPiece(this.changesetSource(s, height), meta, index));
        await journal.put([[digest, bytes]]);
        fetched++;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.opts.concurrency ?? 4, meta.pieces.length)) }, lane));
    return { meta, fetched };
  }

  /**
   * Applies fetched heights to the state in one call (one atomic switch to the last of them),
   * then drops their pieces and reports each height. When one height is refused (a piece that
   * does not decode, a root that is not the stated one), the heights before it are applied, and
   * the refusal, naming its height, is thrown.
   */
  private async apply(batch: readonly FetchedHeight[]): Promise<void> {
    const state = prefixedStore(this.store, this.prefix + 'state/');
    const roots = new Map<number, string>();
    try {
      // Decoded as each height is applied: the batch's changes are not all in memory at once.
      const changesets: ChangesetToApply[] = batch.map(({ meta }) => ({ metadata: meta, changes: this.journalled(meta) }));
      const lastHeight = batch.at(-1)!.meta.height;
      const expectRoot = lastHeight === this.pinned!.endHeight ? this.opts.expectFinalRoot : undefined;
      this.manifest = (await applyChangesets(state, changesets, { expectRoot, onHeight: (h) => roots.set(h.height, h.root) })).manifest;
    } catch (err) {
      const refused = err instanceof ChangesetError && !this.opts.signal?.aborted ? batch.findIndex((f) => f.meta.height === err.height) : -1;
      if (refused > 0) await this.apply(batch.slice(0, refused));
      throw err;
    }
    for (const { meta } of batch) await this.journal(meta.height).delete(meta.pieces.map((p) => p.digest));
    for (const { meta, fetched } of batch) {
      this.emit({
        type: 'applied', height: meta.height, root: roots.get(meta.height)!, changes: meta.changes, pieces: meta.pieces.length, fetched,
        behind: Math.max(0, (this.latest?.lastChangeset ?? meta.height) - meta.height), batch: batch.length,
      });
    }
  }

  /** A height's changes, decoded piece by piece from its journal. */
  private async *journalled(meta: ChangesetMetadata): AsyncGenerator<Pair> {
    const journal = this.journal(meta.height);
    for (const [index, piece] of meta.pieces.entries()) {
      const decoded = decodeChangesetPiece((await journal.get(piece.digest))!, { height: meta.height, index });
      if (decoded.length !== piece.changes) {
        throw new ChangesetPieceCorrupted(`piece holds ${decoded.length} changes, the metadata says ${piece.changes}`, { height: meta.height, piece: index });
      }
      yield* decoded;
    }
  }

  private journal(height: number): Store {
    return prefixedStore(this.store, `${this.prefix}pieces/${height}/`);
  }

  private changesetSource(source: Source, height: number): Source {
    return subSource(source, `${CHANGESETS_PREFIX}${height}/`);
  }

  /** `attempt` on each source in turn until one delivers; each refusal is reported, naming the source. */
  private async fromSources<T>(height: number, index: number | undefined, attempt: (s: Source) => Promise<T>): Promise<T> {
    const { value } = await fromAnySource(this.sources, attempt, {
      first: index, faults: SOURCE_FAULTS, signal: this.opts.signal,
      onBad: (err, source) => this.emit({ type: 'bad', height, index, source: source.name, code: err.code, message: err.message }),
    });
    return value;
  }

  /** migration.json from the first source that has a valid one; checks it against the pinned one. */
  private async poll(): Promise<MigrationMetadata> {
    for (;;) {
      let last: unknown;
      for (const source of this.sources) {
        try {
          const m = parseMigration(await source.fetch(MIGRATION_FILE, { maxBytes: MAX_MIGRATION_BYTES, signal: this.opts.signal }));
          this.check(m, source.name);
          const previous = this.latest;
          if ((m.lastChangeset ?? 0) > (previous?.lastChangeset ?? 0) || !previous || (m.genesis && !previous.genesis)) {
            this.emit({ type: 'metadata', status: m.status, startHeight: m.startHeight, endHeight: m.endHeight, lastChangeset: m.lastChangeset, source: source.name });
          }
          // A mirror lagging behind another must not make the follower think it went backwards.
          if (!previous || (m.lastChangeset ?? 0) >= (previous.lastChangeset ?? 0)) this.latest = m;
          if (previous && (m.lastChangeset ?? 0) > (previous.lastChangeset ?? 0)) this.backoff.progress();
          return this.latest!;
        } catch (err) {
          if (this.opts.signal?.aborted) throw err;
          if (err instanceof CheckpointError && (err.code === 'CheckpointNotFound' || err.code === 'ChunkNotFound')) {
            last = new NoActiveMigration(`no migration.json at ${source.name}`, { source: source.name });
          } else if (err instanceof LightsnapError && err.code === 'SourceUnavailable') {
            last = err;
          } else throw err;
          this.emit({ type: 'bad', source: source.name, code: (last as LightsnapError).code, message: (last as Error).message });
        }
      }
      // No source answered: a source that is down is waited for like one with nothing new.
      if (last instanceof LightsnapError && last.code === 'NoActiveMigration' && !this.latest && !this.pinned) throw last;
      await this.wait(this.nextHeight(), `a source to answer (${(last as Error).message})`);
    }
  }

  private nextHeight(): number {
    return (this.manifest?.version ?? (this.pinned?.startHeight ?? 0) - 1) + 1;
  }

  /** Refuses a migration that is not the pinned one, or whose genesis root is not the trusted one. */
  private check(m: MigrationMetadata, source: string): void {
    if (this.pinned && m.id !== this.pinned.id) {
      throw new MigrationMismatch(`the source serves migration ${m.id}, this store follows ${this.pinned.id}`, { source });
    }
    if (this.pinned?.genesis && m.genesis && m.genesis.root !== this.pinned.genesis.root) {
      throw new MigrationMismatch(`the source's genesis root ${m.genesis.root} is not the pinned ${this.pinned.genesis.root}`, { source });
    }
    if (m.genesis && this.opts.genesisRoot && m.genesis.root !== this.opts.genesisRoot) {
      throw new RootMismatch(`the migration's genesis root ${m.genesis.root} is not the trusted root ${this.opts.genesisRoot}`, { source });
    }
  }

  /** Remembers the migration (first run) or checks it is the one remembered (resume). */
  private async pin(m: MigrationMetadata): Promise<void> {
    this.prefix = `migrations/${m.id}/`;
    const path = this.prefix + MIGRATION_FILE;
    const bytes = await this.store.get(path);
    if (bytes) {
      this.pinned = parseMigration(bytes);
      this.check(m, 'the source');
      return;
    }
    await this.store.put([[path, encodeMigration(m)]]);
    this.pinned = m;
  }

  private async wait(height: number, reason: string): Promise<void> {
    const w = this.backoff.next(reason);
    this.emit({ type: 'waiting', height, reason, ...w });
    await sleep(w.nextPollMs, this.opts.signal);
  }

  private emit(event: MigrationEvent): void {
    this.opts.onEvent?.(event);
  }
}

interface FetchedHeight {
  meta: ChangesetMetadata;
  /** Pieces fetched in this run (the others were in the journal). */
  fetched: number;
}
