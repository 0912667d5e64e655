// Restoring a checkpoint into a Store (after Oasis' MKVS Restorer). Only verified chunks are
// stored, each together with its progress record; a restore survives a kill at any instant
// and resumes without refetching what is stored. When the last chunk lands, manifest.json is
// written, and the store then holds an ordinary checkpoint directory: servable and queryable.
//
// Store layout: chunks/<digest>, proofs/<digest>, manifest.json (complete only), and while a
// restore runs: restore/manifest.json, restore/done/<index>. In format version 2 a chunk's
// progress record holds its proof until the end, when the proofs are packed as the manifest
// says (../format/proof-pack.ts); in version 1 the record is empty and the proof has its file.
import type { Store } from '../store/store.js';
import { MANIFEST_FILE, parseManifest, type Manifest } from '../format/manifest.js';
import {
  CheckpointError, ChunkAlreadyRestored, ChunkNotFound, NoRestoreInProgress, RestoreAlreadyInProgress, RootMismatch,
} from '../errors.js';
import { localVerifier, type Verifier } from './verify.js';
import { concatBytes, equalBytes } from '../bytes.js';
import { InvalidArgument, ManifestInvalid } from '../errors.js';
import { sha256, sha256Whole } from '../hash/sha256.js';
import { checkpointFiles, packChunks } from '../format/proof-pack.js';
import { readStoredProof } from './proofs.js';
import { toHex } from '../hex.js';

const PENDING_MANIFEST = 'restore/manifest.json';
const DONE = 'restore/done/';
const EMPTY = new Uint8Array(0);

export interface RestorerOptions {
  store: Store;
  /** Where chunks are verified (default: this thread). */
  verifier?: Verifier;
}

/** What a store holds of a restore, as `Restorer.status` reports it. */
export interface RestoreStatus {
  /** The checkpoint restored, or being restored. */
  manifest: Manifest;
  /** Whether every chunk is in and the store is an ordinary checkpoint directory. */
  complete: boolean;
  /** Indices of the chunks stored and verified so far (every index when complete). */
  stored: number[];
}

export class Restorer {
  /**
   * What `store` holds: a complete restore, one an interruption left (with the chunks it
   * stored), or nothing (undefined). Reads only; a pending restore resumes with startRestore.
   */
  static async status(store: Store): Promise<RestoreStatus | undefined> {
    const pending = await store.get(PENDING_MANIFEST);
    const bytes = pending ?? await store.get(MANIFEST_FILE);
    if (!bytes) return undefined;
    const manifest = parseManifest(bytes);
    if (!pending) return { manifest, complete: true, stored: manifest.chunks.map((_, i) => i) };
    const stored = (await store.keys(DONE)).map((k) => Number(k.slice(DONE.length)))
      .filter((i) => Number.isInteger(i) && i >= 0 && i < manifest.chunks.length).sort((a, b) => a - b);
    return { manifest, complete: false, stored };
  }


  private readonly store: Store;
  private readonly verifier: Verifier;
  private manifest?: Manifest;
  private manifestBytes?: Uint8Array;
  private done = new Set<number>();
  /** Chunk files the store held when the restore started (one listing, not a read per chunk). */
  private present = new Set<string>();

  constructor(opts: RestorerOptions) {
    this.store = opts.store;
    this.verifier = opts.verifier ?? localVerifier;
  }

  /**
   * Starts restoring the checkpoint that `manifestBytes` describes, which must name the
   * trusted `root`. Resumes a restore of the same checkpoint left in the store, or repairs a
   * completed one, re-checking every stored chunk in full; refuses a different checkpoint with
   * RestoreAlreadyInProgress.
   */
  async startRestore(manifestBytes: Uint8Array, root: string): Promise<Manifest> {
    const manifest = parseManifest(manifestBytes);
    if (manifest.root !== root) throw new RootMismatch(`the manifest's root ${manifest.root} is not the trusted root ${root}`);
    // Read at once: one after another, each would wait for its own round trip to the store.
    const [pending, completed, present, recorded] = await Promise.all([this.store.get(PENDING_MANIFEST),
      this.store.get(MANIFEST_FILE), this.store.keys('chunks/'), this.store.keys(DONE).then((keys) => new Set(keys))]);
    if (pending && !equalBytes(pending, manifestBytes)) {
      throw new RestoreAlreadyInProgress('another checkpoint is being restored into this store; abort it first');
    }
    this.manifest = manifest;
    this.manifestBytes = manifestBytes;
    const complete = !pending && equalBytes(completed ?? EMPTY, manifestBytes);
    this.present = new Set(present);
    this.done = await this.recoverProgress(manifest);
    if (complete && this.done.size === manifest.chunks.length) return manifest; // intact: nothing to write
    // Damaged or new: the store no longer claims a complete checkpoint until every chunk is back.
    if (!pending) await this.store.put([[PENDING_MANIFEST, manifestBytes]]);
    if (complete) await this.store.delete([MANIFEST_FILE]);
    // Records are added for recovered chunks that lack one (a record may hold the chunk's proof).
    const missing = [...this.done].filter((i) => !recorded.has(DONE + i));
    if (missing.length) await this.store.put(missing.map((i) => [DONE + i, EMPTY] as const));
    if (this.done.size === manifest.chunks.length) await this.finish();
    return manifest;
  }

  /** The checkpoint being restored, if any. */
  currentCheckpoint(): Manifest | undefined {
    return this.manifest;
  }

  /** Indices of the chunks not restored yet. */
  pendingChunks(): number[] {
    const m = this.requireRestore();
    return m.chunks.map((_, i) => i).filter((i) => !this.done.has(i));
  }

  /**
   * The bytes of chunk `index` if the store already has that file (from an earlier checkpoint
   * that shares it), so only its proof needs fetching. Still unverified: restoreChunk checks it.
   */
  async localChunk(index: number): Promise<Uint8Array | undefined> {
    const entry = this.requireRestore().chunks[index];
    const key = entry && `chunks/${entry.digest}`;
    if (!key || !this.present.has(key)) return undefined;
    const bytes = await this.store.get(key);
    if (bytes && toHex(sha256(bytes)) === entry.digest) return bytes;
    // A damaged file is no one's chunk: drop it, so the next source's proof is not blamed for it.
    this.present.delete(key);
    await this.store.delete([key]);
    return undefined;
  }

  /**
   * Verifies chunk `index` and stores it with its progress record. Returns true when the
   * restore is complete. Restoring a chunk that is already stored throws ChunkAlreadyRestored.
   * With `handOver`, the caller gives `chunk` and `proof` up and must not use them again: a
   * worker pool then moves them to its worker and back instead of copying them (and if that
   * worker dies they are lost: WorkerFailed, and the caller fetches them again).
   */
  async restoreChunk(index: number, chunk: Uint8Array, proof: Uint8Array, source?: string,
    opts: { handOver?: boolean } = {}): Promise<boolean> {
    const m = this.requireRestore();
    if (!Number.isInteger(index) || index < 0 || index >= m.chunks.length) {
      throw new ChunkNotFound(`there is no chunk ${index}; the checkpoint has ${m.chunks.length}`);
    }
    if (this.done.has(index)) throw new ChunkAlreadyRestored('this chunk is already restored', { chunk: index });
    const entry = m.chunks[index];
    const input = { root: m.root, index, entry, chunk, proof, source };
    const verified = opts?.handOver && this.verifier.verifyMovedChunk
      ? await this.verifier.verifyMovedChunk(input)
      : (await this.verifier.verifyChunk(input), { chunk, proof });
    if (this.manifest !== m) return false; // aborted while verifying: store nothing
    await this.store.put(m.proofPacks
      ? [[`chunks/${entry.digest}`, verified.chunk], [DONE + index, verified.proof]]
      : [[`chunks/${entry.digest}`, verified.chunk], [`proofs/${entry.proof}`, verified.proof], [DONE + index, EMPTY]]);
    this.done.add(index);
    if (this.done.size < m.chunks.length) return false;
    await this.finish();
    return true;
  }

  /** Stops the restore and deletes everything it stored. */
  async abortRestore(): Promise<void> {
    const pending = this.manifest ?? await this.pendingManifest();
    if (!pending) throw new NoRestoreInProgress('no restore is in progress');
    this.manifest = undefined;
    this.manifestBytes = undefined;
    this.done = new Set();
    const doneKeys = await this.store.keys(DONE);
    await this.store.delete([...checkpointFiles(pending), ...doneKeys, PENDING_MANIFEST]);
  }

  private requireRestore(): Manifest {
    if (!this.manifest) throw new NoRestoreInProgress('no restore is in progress; call startRestore first');
    return this.manifest;
  }

  private async pendingManifest(): Promise<Manifest | undefined> {
    const bytes = await this.store.get(PENDING_MANIFEST);
    return bytes && parseManifest(bytes);
  }

  /**
   * Chunks whose files are in the store and verify against this checkpoint's root: those of
   * an interrupted restore, and those an earlier checkpoint in this store shares with this one
   * (so moving to a newer checkpoint fetches only what changed). They are verified again, in
   * full: a file stored under another root proves nothing about this one.
   */
  private async recoverProgress(m: Manifest): Promise<Set<number>> {
    const done = new Set<number>();
    for (const [index, entry] of m.chunks.entries()) {
      if (!this.present.has(`chunks/${entry.digest}`)) continue;
      const chunk = await this.store.get(`chunks/${entry.digest}`);
      const proof = chunk && await this.storedProof(m, index);
      if (!chunk || !proof) continue;
      try {
        await this.verifier.verifyChunk({ root: m.root, index, entry, chunk, proof, source: 'the local store' });
      } catch (err) {
        if (err instanceof CheckpointError) continue;
        throw err;
      }
      done.add(index);
    }
    return done;
  }

  /**
   * Chunk `index`'s proof as this store holds it: in its progress record (`record`, when the
   * caller read it already), or in the checkpoint's files.
   */
  private async storedProof(m: Manifest, index: number, record?: Uint8Array): Promise<Uint8Array | undefined> {
    const recorded = record ?? (m.proofPacks && await this.store.get(DONE + index));
    return recorded?.length ? recorded : readStoredProof(this.store, m, index);
  }

  /** Writes the proof packs of a version 2 checkpoint from the proofs its chunks' records hold. */
  private async packProofs(m: Manifest): Promise<void> {
    for (const [pack, digest] of (m.proofPacks ?? []).entries()) {
      const [first, end] = packChunks(pack, m.chunks.length);
      const indices = Array.from({ length: end - first }, (_, k) => first + k);
      // A pack's records are read all at once: one after another, each read would wait for its
      // own round trip (in IndexedDB a transaction), hundreds per pack at the end of a restore.
      const records = await Promise.all(indices.map((i) => this.store.get(DONE + i)));
      const proofs: Uint8Array[] = [];
      for (const [k, i] of indices.entries()) {
        const proof = await this.storedProof(m, i, records[k] ?? EMPTY);
        if (!proof) throw new ChunkNotFound('the proof of a restored chunk is missing from the store', { chunk: i });
        proofs.push(proof);
      }
      const bytes = concatBytes(proofs);
      if (toHex(await sha256Whole(bytes)) !== digest) {
        throw new ManifestInvalid(`proofPacks[${pack}] is not the digest of the proofs of chunks ${first}…${end - 1}`);
      }
      await this.store.put([[`proofs/${digest}`, bytes]]);
    }
  }

  private async finish(): Promise<void> {
    await this.packProofs(this.manifest!);
    await this.store.flush?.();
    await this.store.put([[MANIFEST_FILE, this.manifestBytes!]]);
    await this.store.flush?.();
    await this.store.delete([...(await this.store.keys(DONE)), PENDING_MANIFEST]);
  }
}

/** Checks a caller's root string: 64 lowercase hex digits. */
export function assertRoot(root: unknown): asserts root is string {
  if (typeof root !== 'string' || !/^[0-9a-f]{64}$/.test(root)) {
    throw new InvalidArgument(`the trusted root must be 64 lowercase hex digits, got ${JSON.stringify(root)}`);
  }
}
