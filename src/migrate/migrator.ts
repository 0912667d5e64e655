// The old side of a long-running migration (after Kwil's node/migrations Migrator): told of
// every committed block, it writes the genesis checkpoint at the start height and each later
// height's changeset until the end height, as static files any host can serve:
//
//   migration.json           status, declaration, genesis root and id, last changeset height
//   genesis/                 the checkpoint of the state after the start height's block
//   changesets/<height>/     each height's changeset (docs/FORMAT.md, "Changeset")
//   work/                    the Migrator's own copy of the state, to compute each changeset's
//                            root (not needed by followers): heights are held in memory and
//                            written to it now and then; after a restart the heights recorded
//                            since are applied again from their changesets
//
// Every file is written before migration.json names it, and migration.json is replaced
// atomically, so a reader (or a crash) never sees a height that is not complete.
import type { Store } from '../store/store.js';
import { prefixedStore } from '../store/prefixed.js';
import { equalBytes } from '../bytes.js';
import type { ChunkingParams } from '../format/manifest.js';
import { parseManifest } from '../format/manifest.js';
import type { Pair } from '../tree/pairs.js';
import type { StateSource } from '../checkpoint/creator.js';
import { createCheckpoint, createCheckpointFromSorted } from '../checkpoint/create.js';
import { HeightOutOfOrder, InvalidArgument, MigrationMismatch, NoActiveMigration, NoMoreChunksToRead } from '../errors.js';
import { declarationId, endHeight, validateDeclaration, type MigrationDeclaration } from './declaration.js';
import {
  encodeMigration, parseMigration, MIGRATION_FORMAT, MIGRATION_FORMAT_VERSION,
  type MigrationMetadata, type MigrationStatus,
} from './metadata.js';
import { encodeChangeset, parseChangesetMetadata, type ChangesetMetadata } from '../format/changeset.js';
import { ChangesetNotFound } from '../errors.js';
import { CHANGESET_METADATA_PATH, openChangeset, piecePath, writeChangeset } from '../changeset/io.js';
import { ChangesetApplier, collectGarbage } from '../checkpoint/apply.js';
import { storeSource } from '../net/store-source.js';
import { checkpointFiles } from '../format/proof-pack.js';

export const MIGRATION_FILE = 'migration.json';
export const GENESIS_PREFIX = 'genesis/';
export const CHANGESETS_PREFIX = 'changesets/';
const WORK_PREFIX = 'work/';

/** What getMigrationMetadata says when nothing is declared. */
export interface NoMigration {
  status: 'NoActiveMigration';
}

export interface MigratorOptions {
  /** Chunking of the genesis checkpoint (default: defaultChunking()). */
  chunking?: ChunkingParams;
  /**
   * Memory the heights held between writes of work/ may take (ApplyOptions.pendingBytes:
   * default 128 MiB; 0 writes work/ at every height).
   */
  pendingBytes?: number;
}

export class Migrator {
  private queue: Promise<unknown> = Promise.resolve();
  /** work/'s checkpoint and the heights recorded since it was written, held in memory. */
  private work?: ChangesetApplier;
  private finished = false;

  constructor(readonly store: Store, private readonly opts: MigratorOptions = {}) {}

  /**
   * Declares a migration: migration.json in ActivationPeriod. Declaring the same migration
   * again does nothing; a different one while another is recorded is a MigrationMismatch.
   */
  declare(declaration: MigrationDeclaration): Promise<MigrationMetadata> {
    return this.serial(async () => {
      const d = validateDeclaration(declaration);
      const id = declarationId(d);
      const existing = await this.metadata();
      if (existing) {
        if (existing.id !== id) throw new MigrationMismatch(`this store already records migration ${existing.id}; declare another in a new place`);
        return existing;
      }
      const m: MigrationMetadata = {
        format: MIGRATION_FORMAT, formatVersion: MIGRATION_FORMAT_VERSION, id, declaration: d, status: 'ActivationPeriod',
        startHeight: d.startHeight, endHeight: endHeight(d), genesis: null, lastChangeset: null,
      };
      await this.writeMetadata(m);
      return m;
    });
  }

  /**
   * Tells the migrator that block `height` was committed with `changes` (in order; a null
   * value deletes). At the start height `state` must give the state after that block (pairs,
   * or leaves sorted by key hash, streamed). Heights must come in order; notifying a recorded
   * height again with the same changes does nothing (a node replaying after a crash).
   * Resolves to the status afterwards.
   */
  notifyHeight(height: number, changes: readonly Pair[], state?: StateSource | (() => StateSource | Promise<StateSource>)):
    Promise<MigrationStatus | 'NoActiveMigration'> {
    return this.serial(async () => {
      if (!Number.isSafeInteger(height) || height < 0) throw new InvalidArgument(`height must be a non-negative integer, got ${height}`);
      let m = await this.metadata();
      if (!m) return 'NoActiveMigration';
      // A restart after the end height (killed while finishing work/) finishes it.
      if (m.status === 'Completed') await this.finishWork(m);
      if (height < m.startHeight || height > m.endHeight) return m.status;
      if (height === m.startHeight) {
        if (m.genesis) return m.status;
        if (!state) throw new InvalidArgument(`the start height ${height} needs the state after its block to write the genesis checkpoint`);
        m = await this.writeGenesis(m, typeof state === 'function' ? await state() : state);
        return m.status;
      }
      if (!m.genesis) {
        throw new HeightOutOfOrder(`the start height ${m.startHeight} was never notified, so there is no genesis checkpoint to build on`, { height });
      }
      const last = m.lastChangeset ?? m.startHeight;
      if (height > last + 1) throw new HeightOutOfOrder(`heights must be notified in order; the last recorded is ${last}`, { height });
      if (height <= last) {
        await this.checkRecorded(height, changes);
        return m.status;
      }
      const work = await this.recordChangeset(m, height, changes);
      const next: MigrationMetadata = { ...m, lastChangeset: height, status: height === m.endHeight ? 'Completed' : 'InProgress' };
      await this.writeMetadata(next);
      // Switched only once recorded, so work/ is never ahead of the recorded heights: when the
      // applier wrote files (the held heights passed pendingBytes), and at the end.
      if (next.status === 'Completed') await this.finishWork(next);
      else if (work.unswitched) await work.commit();
      return next.status;
    });
  }

  /** Kwil's GetMigrationMetadata: the recorded migration, or status NoActiveMigration. */
  async getMigrationMetadata(): Promise<MigrationMetadata | NoMigration> {
    return (await this.metadata()) ?? { status: 'NoActiveMigration' };
  }

  /** Chunk `index` of the genesis checkpoint (its file; its proof is beside it, under genesis/proofs/). */
  async getGenesisSnapshotChunk(index: number): Promise<Uint8Array> {
    const m = await this.requireMigration();
    if (!m.genesis) throw new ChangesetNotFound(`the genesis checkpoint is written at the start height ${m.startHeight}, not yet reached`);
    const manifest = parseManifest((await this.store.get(GENESIS_PREFIX + 'manifest.json'))!);
    if (!Number.isSafeInteger(index) || index < 0 || index >= manifest.chunks.length) {
      throw new NoMoreChunksToRead(`the genesis checkpoint has ${manifest.chunks.length} chunks, there is no chunk ${index}`);
    }
    return (await this.store.get(`${GENESIS_PREFIX}chunks/${manifest.chunks[index].digest}`))!;
  }

  /** Kwil's GetChangesetMetadata: refused outside start + 1 … the last recorded height. */
  async getChangesetMetadata(height: number): Promise<ChangesetMetadata> {
    const m = await this.requireMigration();
    const last = m.lastChangeset ?? m.startHeight;
    if (!Number.isSafeInteger(height) || height <= m.startHeight || height > last) {
      throw new ChangesetNotFound(height > m.endHeight || height <= m.startHeight
        ? `changesets cover heights ${m.startHeight + 1} to ${m.endHeight}`
        : `recorded so far: up to height ${last}`, { height });
    }
    return parseChangesetMetadata((await this.changesetStore(height).get(CHANGESET_METADATA_PATH))!);
  }

  /** Kwil's GetChangeset: piece `index` of the height's changeset. */
  async getChangeset(height: number, index: number): Promise<Uint8Array> {
    const meta = await this.getChangesetMetadata(height);
    if (!Number.isSafeInteger(index) || index < 0 || index >= meta.pieces.length) {
      throw new NoMoreChunksToRead(`the changeset has ${meta.pieces.length} pieces`, { height, piece: index });
    }
    return (await this.changesetStore(height).get(piecePath(meta.pieces[index].digest)))!;
  }

  /**
   * Writes height's changeset with its roots: the changes are first applied to the held work
   * state (which gives the root after), then the changeset is written. A crash between the two
   * records nothing: the node notifies the height again.
   */
  private async recordChangeset(m: MigrationMetadata, height: number, changes: readonly Pair[]): Promise<ChangesetApplier> {
    const work = await this.workState(m);
    const plain = encodeChangeset(height, changes, { prevRoot: work.root });
    try {
      await work.apply({ metadata: plain.metadata, changes });
    } catch (err) {
      // The held state may hold part of the height: start again from work/ and the recorded heights.
      this.work = undefined;
      await work.discard();
      throw err;
    }
    await writeChangeset(this.changesetStore(height), height, changes, { prevRoot: plain.metadata.prevRoot, root: work.root });
    return work;
  }

  /**
   * After the end height, once per process: work/ switched to the last recorded height and
   * nothing else left in it (a kill may have come between a switch and its collection).
   */
  private async finishWork(m: MigrationMetadata): Promise<void> {
    if (this.finished) return;
    await (await this.workState(m)).commit();
    await collectGarbage(prefixedStore(this.store, WORK_PREFIX));
    this.finished = true;
  }

  /** work/'s checkpoint with every recorded height after its version applied again (held), on first use. */
  private async workState(m: MigrationMetadata): Promise<ChangesetApplier> {
    if (this.work) return this.work;
    const store = prefixedStore(this.store, WORK_PREFIX);
    const work = await ChangesetApplier.open(store, { pendingBytes: this.opts.pendingBytes });
    for (let h = work.version + 1; h <= (m.lastChangeset ?? m.startHeight); h++) {
      await work.apply(await openChangeset(storeSource(this.changesetStore(h), `${CHANGESETS_PREFIX}${h}/`)));
    }
    return (this.work = work);
  }

  /** A recorded height notified again: fine with the same changes, an error with others. */
  private async checkRecorded(height: number, changes: readonly Pair[]): Promise<void> {
    const stored = (await this.changesetStore(height).get(CHANGESET_METADATA_PATH))!;
    const meta = parseChangesetMetadata(stored);
    const again = encodeChangeset(height, changes, { prevRoot: meta.prevRoot, root: meta.root });
    if (!equalBytes(again.metadataBytes, stored)) {
      throw new HeightOutOfOrder('this height is already recorded with other changes', { height });
    }
  }

  private changesetStore(height: number): Store {
    return prefixedStore(this.store, `${CHANGESETS_PREFIX}${height}/`);
  }

  private async writeGenesis(m: MigrationMetadata, state: StateSource): Promise<MigrationMetadata> {
    const opts = { store: prefixedStore(this.store, GENESIS_PREFIX), version: m.startHeight, chunking: this.opts.chunking };
    const created = 'pairs' in state ? await createCheckpoint(state.pairs, opts) : await createCheckpointFromSorted(state.sorted, opts);
    await copyCheckpoint(this.store, GENESIS_PREFIX, WORK_PREFIX);
    const next: MigrationMetadata = {
      ...m, status: m.endHeight === m.startHeight ? 'Completed' : 'InProgress',
      genesis: { root: created.manifest.root, checkpointId: created.id, chunks: created.manifest.chunks.length },
    };
    await this.writeMetadata(next);
    return next;
  }

  private async requireMigration(): Promise<MigrationMetadata> {
    const m = await this.metadata();
    if (!m) throw new NoActiveMigration('no migration is declared here (no migration.json)');
    return m;
  }

  private async metadata(): Promise<MigrationMetadata | undefined> {
    const bytes = await this.store.get(MIGRATION_FILE);
    return bytes && parseMigration(bytes);
  }

  private async writeMetadata(m: MigrationMetadata): Promise<void> {
    await this.store.flush?.();
    await this.store.put([[MIGRATION_FILE, encodeMigration(m)]]);
    await this.store.flush?.();
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Copies a checkpoint (manifest, chunks, proofs) from one prefix of a store to another. */
async function copyCheckpoint(store: Store, from: string, to: string): Promise<void> {
  const manifest = (await store.get(from + 'manifest.json'))!;
  for (const file of checkpointFiles(parseManifest(manifest))) {
    await store.put([[to + file, (await store.get(from + file))!]]);
  }
  await store.flush?.();
  await store.put([[to + 'manifest.json', manifest]]);
}
