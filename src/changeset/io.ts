// Changesets in a Store (writing) and from a Source (reading): `changeset.json` plus
// `pieces/<digest>`, the same static layout for a directory, IndexedDB or an HTTP server.
// Reading checks each piece's size and digest before decoding it, and names height and index
// in every error.
import type { Store } from '../store/store.js';
import type { Source } from '../net/source.js';
import type { Pair } from '../tree/pairs.js';
import type { ChangesetToApply } from '../checkpoint/apply.js';
import { backend } from '../core/load.js';
import { toHex } from '../hex.js';
import {
  ChangesetWriter, decodeChangesetPiece, parseChangesetMetadata, MAX_CHANGESET_METADATA_BYTES,
  type ChangesetMetadata, type ChangesetRoots, type Piece,
} from '../format/changeset.js';
import { ChangesetNotFound, ChangesetPieceCorrupted, ChangesetPieceNotFound, LightsnapError } from '../errors.js';
import { assertArray, assertInteger, assertIterable, assertMethods, assertObject } from '../assert.js';
import { assertStore } from '../store/store.js';

export const CHANGESET_METADATA_PATH = 'changeset.json';
export const piecePath = (digest: string): string => `pieces/${digest}`;

export interface WrittenChangeset {
  metadata: ChangesetMetadata;
  metadataBytes: Uint8Array;
  /** SHA-256 of changeset.json. */
  id: string;
}

/**
 * Writes the changeset of `changes` (in order) to `store`: each piece as it fills, the
 * metadata last, so a reader never sees metadata naming a piece that is not there.
 */
export async function writeChangeset(store: Store, height: number, changes: AsyncIterable<Pair> | Iterable<Pair>,
  roots: ChangesetRoots = {}, opts: { maxPieceBytes?: number } = {}): Promise<WrittenChangeset> {
  assertStore(store, 'store');
  assertIterable(changes, 'changes', false);
  const writer = new ChangesetWriter(height, opts);
  const put = (p: Piece) => store.put([[piecePath(p.digest), p.bytes]]);
  for await (const change of changes) {
    const closed = writer.add(change);
    if (closed) await put(closed);
  }
  const { last, metadata, metadataBytes } = writer.finish(roots);
  if (last) await put(last);
  await store.flush?.();
  await store.put([[CHANGESET_METADATA_PATH, metadataBytes]]);
  await store.flush?.();
  return { metadata, metadataBytes, id: toHex(backend().sha256(metadataBytes)) };
}

const isCode = (err: unknown, code: string) => err instanceof LightsnapError && err.code === code;

/** Fetches and parses a changeset's metadata. */
export async function loadChangesetMetadata(source: Source): Promise<ChangesetMetadata> {
  assertMethods(source, 'source', 'a Source', ['fetch']);
  let bytes: Uint8Array;
  try {
    bytes = await source.fetch(CHANGESET_METADATA_PATH, { maxBytes: MAX_CHANGESET_METADATA_BYTES });
  } catch (err) {
    if (isCode(err, 'ChunkNotFound') || isCode(err, 'CheckpointNotFound')) {
      throw new ChangesetNotFound(`${source.name} holds no ${CHANGESET_METADATA_PATH}`, { source: source.name, cause: err });
    }
    throw err;
  }
  return parseChangesetMetadata(bytes, source.name);
}

/** Fetches piece `index` of a changeset and checks its size and digest (not yet decoded). */
export async function fetchPiece(source: Source, metadata: ChangesetMetadata, index: number): Promise<Uint8Array> {
  assertMethods(source, 'source', 'a Source', ['fetch']);
  assertObject(metadata, 'metadata');
  assertArray(metadata.pieces, 'metadata.pieces');
  assertInteger(index, 'index', 0, metadata.pieces.length - 1);
  const entry = metadata.pieces[index];
  const ctx = { height: metadata.height, piece: index, source: source.name };
  let bytes: Uint8Array;
  try {
    bytes = await source.fetch(piecePath(entry.digest), { maxBytes: entry.size });
  } catch (err) {
    if (isCode(err, 'ChunkNotFound') || isCode(err, 'CheckpointNotFound')) {
      throw new ChangesetPieceNotFound(`piece ${entry.digest} is missing`, { ...ctx, cause: err });
    }
    if (isCode(err, 'ChunkCorrupted')) throw new ChangesetPieceCorrupted(`piece is larger than the ${entry.size} bytes its metadata states`, { ...ctx, cause: err });
    throw err;
  }
  if (bytes.length !== entry.size) {
    throw new ChangesetPieceCorrupted(`piece is ${bytes.length} bytes, the metadata says ${entry.size}`, ctx);
  }
  if (toHex(backend().sha256(bytes)) !== entry.digest) throw new ChangesetPieceCorrupted('piece does not match its digest', ctx);
  return bytes;
}

/** The changes of a changeset, in order, one verified piece at a time. */
export async function* readChanges(source: Source, metadata: ChangesetMetadata): AsyncGenerator<Pair> {
  assertObject(metadata, 'metadata');
  assertArray(metadata.pieces, 'metadata.pieces');
  for (let i = 0; i < metadata.pieces.length; i++) {
    const bytes = await fetchPiece(source, metadata, i);
    const changes = decodeChangesetPiece(bytes, { height: metadata.height, index: i, source: source.name });
    if (changes.length !== metadata.pieces[i].changes) {
      throw new ChangesetPieceCorrupted(`piece holds ${changes.length} changes, the metadata says ${metadata.pieces[i].changes}`,
        { height: metadata.height, piece: i, source: source.name });
    }
    yield* changes;
  }
}

/** A changeset at a Source (a directory, URL or store), ready to apply: metadata now, pieces as they are read. */
export async function openChangeset(source: Source): Promise<ChangesetToApply> {
  const metadata = await loadChangesetMetadata(source);
  return { metadata, changes: readChanges(source, metadata) };
}
