// The node operator's side (after Oasis' MKVS Creator and Checkpointer): checkpoints of several
// versions in one store, sharing identical chunk files; deleting a checkpoint removes only the
// files no remaining checkpoint uses.
import type { Store } from '../store/store.js';
import type { KeyValue } from '../format/chunk.js';
import { parseManifest, type ChunkingParams, type Manifest } from '../format/manifest.js';
import { checkpointFiles } from '../format/proof-pack.js';
import type { Pair } from '../tree/pairs.js';
import type { ProgressListener } from '../progress.js';
import { CheckpointNotFound, InvalidArgument } from '../errors.js';
import type { CheckpointSettings } from './settings.js';
import { defaultChunking } from './splitter.js';
import { assertObject } from '../assert.js';
import { createCheckpoint, createCheckpointFromSorted, type CreatedCheckpoint } from './create.js';
import { coversPath } from './chunk-nodes.js';
import { leafHashesPath } from './leaf-hashes.js';
import { sha256Whole } from '../hash/sha256.js';
import { toHex } from '../hex.js';

const MANIFESTS = 'manifests/';

/** The state at a version: pairs in any order (streamed; sorted externally), or leaves sorted by SHA-256(key). */
export type StateSource = { pairs: AsyncIterable<Pair> | Iterable<Pair> } | { sorted: AsyncIterable<KeyValue> | Iterable<KeyValue> };

export class Creator {
  constructor(readonly store: Store, readonly chunking?: ChunkingParams) {}

  /**
   * Creates the checkpoint of `state` at `version` (replacing one of the same version), with
   * `settings` (from an upgrade plan) overriding the creator's chunking where given.
   */
  async createCheckpoint(version: number, state: StateSource, onProgress?: ProgressListener, settings: CheckpointSettings = {}): Promise<CreatedCheckpoint> {
    assertObject(settings, 'settings');
    const chunking = settings.maxChunkBytes !== undefined ? defaultChunking(settings.maxChunkBytes) : this.chunking;
    const opts = { store: this.store, version, chunking, formatVersion: settings.formatVersion, onProgress };
    const created = 'pairs' in state ? await createCheckpoint(state.pairs, opts) : await createCheckpointFromSorted(state.sorted, opts);
    await this.pointLatest();
    return created;
  }

  /** The manifest of the checkpoint at `version`. */
  async getCheckpoint(version: number): Promise<Manifest> {
    return parseManifest(await this.manifestBytes(version));
  }

  private async manifestBytes(version: number): Promise<Uint8Array> {
    const bytes = await this.store.get(`${MANIFESTS}${version}.json`);
    if (!bytes) throw new CheckpointNotFound(`there is no checkpoint of version ${version}`);
    return bytes;
  }

  /** Versions of every checkpoint in the store, oldest first. */
  async getCheckpoints(): Promise<number[]> {
    const keys = await this.store.keys(MANIFESTS);
    return keys.map((k) => Number(k.slice(MANIFESTS.length).replace(/\.json$/, '')))
      .filter((v) => Number.isSafeInteger(v)).sort((a, b) => a - b);
  }

  /**
   * Deletes a checkpoint and every chunk and proof file that no other checkpoint uses, with the
   * index files an apply kept for them (leaf hashes of its chunks, its covers).
   */
  async deleteCheckpoint(version: number): Promise<void> {
    const doomedBytes = await this.manifestBytes(version);
    const doomed = parseManifest(doomedBytes);
    const kept = new Set<string>();
    for (const v of await this.getCheckpoints()) {
      if (v === version) continue;
      for (const file of checkpointFiles(await this.getCheckpoint(v))) kept.add(file);
    }
    const files = checkpointFiles(doomed).filter((f) => !kept.has(f));
    const indexes = [
      coversPath(toHex(await sha256Whole(doomedBytes))),
      ...doomed.chunks.filter((c) => !kept.has(`chunks/${c.digest}`)).map((c) => leafHashesPath(c.digest)),
    ];
    await this.store.delete([`${MANIFESTS}${version}.json`]);
    await this.store.delete([...files, ...indexes]);
    await this.pointLatest();
  }

  /** manifest.json is always the newest checkpoint's manifest (absent when there is none). */
  private async pointLatest(): Promise<void> {
    const versions = await this.getCheckpoints();
    if (versions.length === 0) {
      await this.store.delete(['manifest.json']);
      return;
    }
    const bytes = await this.store.get(`${MANIFESTS}${versions[versions.length - 1]}.json`);
    await this.store.put([['manifest.json', bytes!]]);
  }
}

export interface CheckpointerOptions {
  creator: Creator;
  /** Take a checkpoint at every version that is a multiple of this. */
  interval: number;
  /** Keep this many newest checkpoints; older ones are deleted. */
  numKept: number;
  /** The state at a version, read when a checkpoint is due. */
  state(version: number): Promise<StateSource> | StateSource;
  /** The settings in force at a version, e.g. `(v) => checkpointSettingsAt(plan, v)`. */
  settingsAt?(version: number): CheckpointSettings;
  onCheckpoint?(created: CreatedCheckpoint): void;
}

/** Takes checkpoints as versions are committed, and prunes old ones. */
export class Checkpointer {
  private last: Promise<void> = Promise.resolve();

  constructor(private readonly opts: CheckpointerOptions) {
    for (const [name, min] of [['interval', 1], ['numKept', 1]] as const) {
      const v = opts[name];
      if (!Number.isSafeInteger(v) || v < min) throw new InvalidArgument(`${name} must be an integer ≥ ${min}, got ${v}`);
    }
  }

  /**
   * Tells the checkpointer a version was committed. Checkpoints run one at a time, in order;
   * the returned promise settles when this version's work (if any) is done.
   */
  notifyNewVersion(version: number): Promise<void> {
    const run = async () => {
      if (version % this.opts.interval !== 0) return;
      const settings = this.opts.settingsAt?.(version);
      const created = await this.opts.creator.createCheckpoint(version, await this.opts.state(version), undefined, settings);
      this.opts.onCheckpoint?.(created);
      const versions = await this.opts.creator.getCheckpoints();
      for (const old of versions.slice(0, Math.max(0, versions.length - this.opts.numKept))) {
        await this.opts.creator.deleteCheckpoint(old);
      }
    };
    this.last = this.last.then(run, run);
    return this.last;
  }
}
