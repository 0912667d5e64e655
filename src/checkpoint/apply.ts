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
  const bytes = await store.get(MANIFEST_FILE);
  if (!bytes) throw new CheckpointNotFound('the store holds no checkpoint (no manifest.json)');
  return parseManifest(bytes);
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
  assertStore(store, 'store');
  assertArray(changesets, 'changesets');
  changesets.forEach((c, i) => { assertObject(c, `changesets[${i}]`); assertObject(c.metadata, `changesets[${i}].metadata`); });
  assertObject(opts, 'opts');
  const expectRoot = checkRoot(opts.expectRoot, 'expectRoot');
  const budget = opts.pendingBytes ?? DEFAULT_PENDING_BYTES;
  if (!Number.isSafeInteger(budget) || budget < 0) throw new InvalidArgument(`pendingBytes must be a non-negative integer, got ${String(budget)}`);
  const ordered = [...changesets].sort((a, b) => a.metadata.height - b.metadata.height);
  const oldBytes = await store.get(MANIFEST_FILE);
  if (!oldBytes) throw new CheckpointNotFound('the store holds no checkpoint (no manifest.json)');
  const old = parseManifest(oldBytes);
  // The last checkpoint written (not switched to), and the state after the heights so far.
  let manifest = old;
  let id = toHex(backend().sha256(oldBytes));
  let written: WrittenCheckpoint | undefined;
  let { version, root } = old;
  let pending: PendingHeights | undefined;
  let held = 0;
  // Once a single held height passes the budget, holding does not pay: each height is written.
  let direct = budget === 0;
  const heights: HeightApplied[] = [];
  try {
    for (const [i, { metadata, changes }] of ordered.entries()) {
      const { height } = metadata;
      if (height <= version) {
        // A changeset for a height the state has already reached does not apply to this state:
        // the same verdict (and exit status) as a prevRoot that is not the current root.
        throw new PrevRootMismatch(`changeset of height ${height} does not follow version ${version}${heights.length ? '' : ' of the checkpoint'}`, { height });
      }
      if (metadata.prevRoot !== null && metadata.prevRoot !== root) {
        throw new PrevRootMismatch(`the changeset applies to root ${metadata.prevRoot}, the state at version ${version} has root ${root}`, { height });
      }
      const sorted = await sortChanges(changes);
      const last = i === ordered.length - 1;
      const applied: HeightApplied = { height, root, chunksWritten: 0, bytesWritten: 0 };
      if (!pending && (last || direct)) {
        written = await rechunk({ store, manifest, id, changes: sorted, version: height });
      } else {
        // Held in memory; written at the last height, or once the heights so far hold the budget.
        pending ??= await PendingHeights.open(store, manifest, id);
        applied.root = toHex(await pending.apply(sorted));
        held++;
        if (last || pending.bytes > budget) {
          direct = held === 1;
          held = 0;
          // The held leaves are let go before the write: it reads what it needs from the old files.
          const { base, covers: current } = pending;
          const net = pending.changes();
          pending = undefined;
          written = await rechunk({ store, manifest, id, changes: net, version: height, covers: base, current });
          if (written.manifest.root !== applied.root) throw new Error(`internal: heights applied in memory give root ${applied.root}, their files ${written.manifest.root}`);
        } else {
          written = undefined;
        }
      }
      if (written) {
        ({ manifest, id } = written);
        Object.assign(applied, { root: manifest.root, chunksWritten: written.chunksWritten, bytesWritten: written.bytesWritten });
      }
      ({ height: version, root } = applied);
      if (metadata.root !== null && metadata.root !== root) {
        throw new ChangesetRootMismatch(`applying the changeset gives root ${root}, the changeset states ${metadata.root}`, { height });
      }
      heights.push(applied);
      opts.onHeight?.(applied);
    }
    if (expectRoot !== undefined && expectRoot !== root) {
      throw new ChangesetRootMismatch(`the final state has root ${root}, expected ${expectRoot}`, { height: version });
    }
  } catch (err) {
    await collectGarbage(store);
    throw err;
  }
  if (!written) return { manifest: old, manifestBytes: oldBytes, id, heights };
  await commit(store, old, oldBytes, written);
  return { manifest: written.manifest, manifestBytes: written.manifestBytes, id: written.id, heights };
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
  const oldBytes = await store.get(MANIFEST_FILE);
  if (!oldBytes) throw new CheckpointNotFound('the store holds no checkpoint (no manifest.json)');
  const old = parseManifest(oldBytes);
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
