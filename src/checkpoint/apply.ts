// Moving a checkpoint forward without rebuilding it: applyChangesets (a new height per
// changeset, Kwil's PreviousBlock check on each) and appendInPlace (a value set at the
// checkpoint's own version, after Penumbra's append_value_set). Both re-chunk only where the
// sorted changes fall (./rechunk.ts), with the same chunk splitter as createCheckpoint, so the
// result is byte for byte the checkpoint a fresh create of the new state would write: chunk
// files that come out unchanged are kept, not rewritten; every proof and the manifest are new. New files
// go in beside the old ones, the manifest switches last (atomically), and only then are files no
// kept manifest references collected: a crash leaves the old checkpoint or the new one. Several
// heights in one call are held in memory (./pending.ts), each root computed and checked, and
// written once, at the last: the chunk files a height rewrites are paid per write, not per height.
import type { Store } from '../store/store.js';
import { equalBytes } from '../bytes.js';
import { toHex } from '../hex.js';
import { backend } from '../core/load.js';
import { assertKeyLength } from '../format/chunk.js';
import { parseManifest, MANIFEST_FILE, type Manifest } from '../format/manifest.js';
import type { ChangesetMetadata } from '../format/changeset.js';
import { hashPairs, type Pair } from '../tree/pairs.js';
import { sortedLatest } from '../tree/sort.js';
import {
  ChangesetRootMismatch, CheckpointNotFound, InvalidArgument, PrevRootMismatch,
} from '../errors.js';
import { leafHashesPath } from './leaf-hashes.js';
import { coversPath } from './chunk-nodes.js';
import { rechunk } from './rechunk.js';
import { PendingHeights } from './pending.js';
import type { SortedChange } from './leaf-merge.js';
import { switchManifest, type WrittenCheckpoint } from './writer.js';
import { assertArray, assertIterable, assertObject } from '../assert.js';
import { assertStore } from '../store/store.js';
import { checkpointFiles } from '../format/proof-pack.js';

/** One height's changeset: its metadata and its changes, in order. */
export interface ChangesetToApply {
  metadata: ChangesetMetadata;
  changes: AsyncIterable<Pair> | Iterable<Pair>;
}

export interface HeightApplied {
  height: number;
  root: string;
  /**
   * Chunk files written at this height (the others were kept), and all bytes written: 0 for a
   * height held in memory; a write of several heights counts at the last of them.
   */
  chunksWritten: number;
  bytesWritten: number;
}

export interface ApplyOptions {
  /** The root the final state must have (64 lowercase hex); a mismatch switches nothing. */
  expectRoot?: string;
  /** Called after each height is computed (before anything is switched). */
  onHeight?(applied: HeightApplied): void;
  /**
   * Heights of one call are applied in memory (each root computed and checked) and their files
   * written once, at the last height — or earlier, whenever the heights held pass this many
   * bytes (68 per leaf of each chunk they touch, plus their changes), and then continued; once a
   * single held height passes it, the rest of the call is written height by height (holding would
   * not pay). Default 128 MiB; 0 writes every height's files.
   */
  pendingBytes?: number;
}

export const DEFAULT_PENDING_BYTES = 128 << 20;

export interface ApplyResult {
  manifest: Manifest;
  manifestBytes: Uint8Array;
  id: string;
  heights: HeightApplied[];
}

/** The checkpoint a store holds now. */
export async function currentManifest(store: Store): Promise<Manifest> {
  assertStore(store, 'store');
  return (await storedManifest(store)).manifest;
}

/** The store's manifest.json, as bytes and parsed; CheckpointNotFound when there is none. */
async function storedManifest(store: Store): Promise<{ bytes: Uint8Array; manifest: Manifest }> {
  const bytes = await store.get(MANIFEST_FILE);
  if (!bytes) throw new CheckpointNotFound('the store holds no checkpoint (no manifest.json)');
  return { bytes, manifest: parseManifest(bytes) };
}

/** A height's changes in key-hash order, the last change to a key winning. */
async function sortChanges(changes: AsyncIterable<Pair> | Iterable<Pair>): Promise<SortedChange[]> {
  const pairs: Pair[] = [];
  for await (const p of changes) {
    assertKeyLength(p.key, `change ${pairs.length}`);
    pairs.push(p);
  }
  const hashed = hashPairs(pairs);
  return Array.from(sortedLatest(hashed.keyHashes), (i) => ({
    keyHash: hashed.keyHashes.subarray(i * 32, i * 32 + 32), key: pairs[i].key, value: pairs[i].value,
    valueHash: hashed.valueHashes.subarray(i * 32, i * 32 + 32),
  }));
}

/**
 * Deletes every chunk, proof, leaf-hash and covers file that neither manifest.json nor any
 * manifests/*.json references (files of replaced checkpoints, or of an apply that failed).
 */
export async function collectGarbage(store: Store): Promise<number> {
  assertStore(store, 'store');
  return sweep(store);
}

/** collectGarbage; `known` is a manifest this module wrote and parsed, not parsed again where its bytes are found. */
async function sweep(store: Store, known?: { manifest: Manifest; manifestBytes: Uint8Array }): Promise<number> {
  // One listing of everything, not one per prefix: a directory store lists its whole tree each time.
  const all = await store.keys('');
  const kept = new Set<string>();
  const seen: Uint8Array[] = [];
  for (const key of [MANIFEST_FILE, ...all.filter((k) => k.startsWith('manifests/'))]) {
    const bytes = await store.get(key);
    // manifests/<version>.json is usually manifest.json again: read once.
    if (!bytes || seen.some((b) => equalBytes(b, bytes))) continue;
    seen.push(bytes);
    kept.add(coversPath(toHex(backend().sha256(bytes))));
    const manifest = known && equalBytes(known.manifestBytes, bytes) ? known.manifest : parseManifest(bytes);
    for (const file of checkpointFiles(manifest)) kept.add(file);
    for (const c of manifest.chunks) kept.add(leafHashesPath(c.digest));
  }
  const prefixes = ['chunks/', 'proofs/', 'leafhashes/', 'nodes/'];
  const doomed = all.filter((k) => prefixes.some((p) => k.startsWith(p)) && !kept.has(k));
  await store.delete(doomed);
  return doomed.length;
}

/** Switches to the new manifest, drops the replaced version's manifest, collects what nothing references. */
async function commit(store: Store, old: Manifest, oldBytes: Uint8Array, written: WrittenCheckpoint): Promise<void> {
  await switchManifest(store, written.manifest, written.manifestBytes);
  if (old.version !== written.manifest.version) {
    const replaced = await store.get(`manifests/${old.version}.json`);
    if (replaced && equalBytes(replaced, oldBytes)) await store.delete([`manifests/${old.version}.json`]);
  }
  await sweep(store, written);
}

function checkRoot(root: string | undefined, what: string): string | undefined {
  if (root !== undefined && !/^[0-9a-f]{64}$/.test(root)) throw new InvalidArgument(`${what} must be 64 lowercase hex digits`);
  return root;
}

/**
 * Applies changesets in height order to the checkpoint in `store`, which becomes the
 * checkpoint at the last height. Each changeset's `prevRoot` must be the root it applies to and
 * its `root` the root it yields (when stated), and the final root `opts.expectRoot`: a mismatch
 * is a typed error naming the height, and the store's checkpoint is left as it was. Files are
 * written once for all heights (or whenever the heights held pass `opts.pendingBytes`); the
 * checkpoint in between exists only as roots.
 */
export async function applyChangesets(store: Store, changesets: readonly ChangesetToApply[], opts: ApplyOptions = {}): Promise<ApplyResult> {
  assertArray(changesets, 'changesets');
  changesets.forEach((c, i) => { assertObject(c, `changesets[${i}]`); assertObject(c.metadata, `changesets[${i}].metadata`); });
  assertObject(opts, 'opts');
  const expectRoot = checkRoot(opts.expectRoot, 'expectRoot');
  const applier = await ChangesetApplier.open(store, opts);
  const ordered = [...changesets].sort((a, b) => a.metadata.height - b.metadata.height);
  const heights: HeightApplied[] = [];
  try {
    for (const [i, changeset] of ordered.entries()) {
      const applied = await applier.apply(changeset, { hold: i < ordered.length - 1 });
      heights.push(applied);
      opts.onHeight?.(applied);
    }
    if (expectRoot !== undefined && expectRoot !== applier.root) {
      throw new ChangesetRootMismatch(`the final state has root ${applier.root}, expected ${expectRoot}`, { height: applier.version });
    }
  } catch (err) {
    await applier.discard();
    throw err;
  }
  return { ...await applier.commit(), heights };
}

/**
 * A checkpoint moved forward one changeset at a time, for callers that learn heights one by one
 * (a migration's producer needs each height's root as it comes): heights are held in memory
 * (each root computed and checked) until written — when the held data passes `pendingBytes`, or
 * a height is applied with `hold: false`, or at `commit`, which also switches the store to the
 * last height. Until `commit`, the store's checkpoint is the one it was opened on.
 */
export class ChangesetApplier {
  /** The last checkpoint written (not switched to) and its id. */
  private manifest: Manifest;
  private id: string;
  private written?: WrittenCheckpoint;
  private pending?: PendingHeights;
  /** Once a single held height passes the budget, holding does not pay: each height is written. */
  private direct: boolean;
  /** The state after the heights applied so far. */
  private state: { version: number; root: string };

  private constructor(private readonly store: Store, private old: Manifest, private oldBytes: Uint8Array, private readonly budget: number) {
    this.manifest = old;
    this.id = toHex(backend().sha256(oldBytes));
    this.state = { version: old.version, root: old.root };
    this.direct = budget === 0;
  }

  /** The height of the state after the heights applied so far, and its root. */
  get version(): number {
    return this.state.version;
  }

  get root(): string {
    return this.state.root;
  }

  /** An applier of the checkpoint `store` holds now. */
  static async open(store: Store, opts: { pendingBytes?: number } = {}): Promise<ChangesetApplier> {
    assertStore(store, 'store');
    assertObject(opts, 'opts');
    const budget = opts.pendingBytes ?? DEFAULT_PENDING_BYTES;
    if (!Number.isSafeInteger(budget) || budget < 0) throw new InvalidArgument(`pendingBytes must be a non-negative integer, got ${String(budget)}`);
    const { bytes, manifest } = await storedManifest(store);
    return new ChangesetApplier(store, manifest, bytes, budget);
  }

  /** Bytes the held heights take in memory. */
  get heldBytes(): number {
    return this.pending?.bytes ?? 0;
  }

  /** Whether files were written for a height the store does not point to yet (commit switches to it). */
  get unswitched(): boolean {
    return this.written !== undefined;
  }

  /**
   * Applies the next height: its prevRoot (when stated) must be the current root, the root it
   * gives its stated root. With `hold: false` the files of every held height and this one are
   * written (not switched to).
   */
  async apply({ metadata, changes }: ChangesetToApply, { hold = true }: { hold?: boolean } = {}): Promise<HeightApplied> {
    assertObject(metadata, 'metadata');
    const { height } = metadata;
    if (height <= this.version) {
      // A changeset for a height the state has already reached does not apply to this state:
      // the same verdict (and exit status) as a prevRoot that is not the current root.
      throw new PrevRootMismatch(`changeset of height ${height} does not follow version ${this.version}${this.version === this.old.version ? ' of the checkpoint' : ''}`, { height });
    }
    if (metadata.prevRoot !== null && metadata.prevRoot !== this.root) {
      throw new PrevRootMismatch(`the changeset applies to root ${metadata.prevRoot}, the state at version ${this.version} has root ${this.root}`, { height });
    }
    const sorted = await sortChanges(changes);
    const applied: HeightApplied = { height, root: this.root, chunksWritten: 0, bytesWritten: 0 };
    if (!this.pending && (!hold || this.direct)) {
      this.wrote(applied, await rechunk({ store: this.store, manifest: this.manifest, id: this.id, changes: sorted, version: height }));
    } else {
      this.pending ??= await PendingHeights.open(this.store, this.manifest, this.id);
      applied.root = toHex(await this.pending.apply(sorted));
      if (!hold || this.pending.bytes > this.budget) {
        this.direct ||= this.pending.heights === 1 && this.pending.bytes > this.budget;
        this.wrote(applied, await this.writeHeld(height, applied.root));
      }
    }
    this.state = { version: height, root: applied.root };
    if (metadata.root !== null && metadata.root !== applied.root) {
      throw new ChangesetRootMismatch(`applying the changeset gives root ${applied.root}, the changeset states ${metadata.root}`, { height });
    }
    return applied;
  }

  /**
   * Writes what is held and switches the store to the last height applied (atomically: a crash
   * leaves the old checkpoint or this one); the applier goes on from there.
   */
  async commit(): Promise<Omit<ApplyResult, 'heights'>> {
    if (this.pending) {
      this.wrote(undefined, await this.writeHeld(this.version, this.root));
    }
    if (!this.written) return { manifest: this.old, manifestBytes: this.oldBytes, id: this.id };
    const { manifest, manifestBytes, id } = this.written;
    await commit(this.store, this.old, this.oldBytes, this.written);
    this.old = manifest;
    this.oldBytes = manifestBytes;
    this.written = undefined;
    return { manifest, manifestBytes, id };
  }

  /** Drops what was applied since the last commit: held heights, and files nothing references. */
  async discard(): Promise<void> {
    this.pending = undefined;
    this.manifest = this.old;
    this.id = toHex(backend().sha256(this.oldBytes));
    this.written = undefined;
    this.state = { version: this.old.version, root: this.old.root };
    await collectGarbage(this.store);
  }

  /**
   * The held heights' net change written as the checkpoint at `version`, whose root they gave as
   * `root`; the held leaves are let go first.
   */
  private async writeHeld(version: number, root: string): Promise<WrittenCheckpoint> {
    const { base, covers: current } = this.pending!;
    const changes = this.pending!.changes();
    this.pending = undefined;
    const written = await rechunk({ store: this.store, manifest: this.manifest, id: this.id, changes, version, covers: base, current });
    if (written.manifest.root !== root) throw new Error(`internal: heights applied in memory give root ${root}, their files ${written.manifest.root}`);
    return written;
  }

  private wrote(applied: HeightApplied | undefined, written: WrittenCheckpoint): void {
    this.written = written;
    ({ manifest: this.manifest, id: this.id } = written);
    if (applied) Object.assign(applied, { root: written.manifest.root, chunksWritten: written.chunksWritten, bytesWritten: written.bytesWritten });
  }
}

export interface AppendOptions {
  /** Compute the new root (and manifest) without writing anything. */
  dryRun?: boolean;
}

/**
 * Applies a value set to the checkpoint at its own version — no new version, as Penumbra's
 * `append_value_set` / `commit_in_place` — and returns the new checkpoint. Every key, old and
 * new, stays provable: the result is a complete checkpoint (every chunk with its range proof
 * against the new root), exactly what a fresh create of the new state at this version writes.
 * With `dryRun`, nothing is written: the post-upgrade root is known before anything changes.
 */
export async function appendInPlace(store: Store, pairs: AsyncIterable<Pair> | Iterable<Pair>, opts: AppendOptions = {}): Promise<WrittenCheckpoint> {
  assertStore(store, 'store');
  assertIterable(pairs, 'pairs', false);
  assertObject(opts, 'opts');
  const { bytes: oldBytes, manifest: old } = await storedManifest(store);
  const changes = await sortChanges(pairs);
  let written: WrittenCheckpoint;
  try {
    written = await rechunk({ store, manifest: old, id: toHex(backend().sha256(oldBytes)), changes, version: old.version, dryRun: opts.dryRun });
  } catch (err) {
    if (!opts.dryRun) await collectGarbage(store);
    throw err;
  }
  if (!opts.dryRun) await commit(store, old, oldBytes, written);
  return written;
}
