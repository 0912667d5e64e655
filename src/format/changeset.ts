// Changesets (docs/FORMAT.md, "Changeset"): the ordered puts and deletes of one height, split
// into content-addressed pieces of at most 1,000,000 bytes (Kwil's MaxChunkSize), each
// decodable on its own, plus canonical JSON metadata naming every piece's digest and size and
// the roots before and after. Everything read here is untrusted: every length is checked
// against the bytes left and the format's limits.
import { backend } from '../core/load.js';
import { toHex } from '../hex.js';
import { MAX_KEY_LENGTH } from './chunk.js';
import { HEX64, jsonFields, parseCanonicalJson, preview } from './json-fields.js';
import type { Pair } from '../tree/pairs.js';
import { ChangeTooLarge, ChangesetInvalid, InvalidArgument } from '../errors.js';
import { assertArray, assertBytes, assertIterable, assertObject } from '../assert.js';

export const CHANGESET_FORMAT = 'lightsnap/changeset';
export const CHANGESET_FORMAT_VERSION = 1;
/** Largest piece file (Kwil's MaxChunkSize). */
export const MAX_PIECE_BYTES = 1_000_000;
/** Most pieces one height may have (~65 GB of changes). */
export const MAX_PIECES = 1 << 16;
/** Largest changeset.json accepted (bounds what a reader takes in before any check). */
export const MAX_CHANGESET_METADATA_BYTES = 16 << 20;
export const PIECE_MAGIC = new Uint8Array([0x4c, 0x53, 0x43, 0x53]); // "LSCS"
/** Magic, format version (u8), height (u64), piece index (u32), change count (u32). */
export const PIECE_HEADER_BYTES = 21;
/** Per put: op (u8), key length (u32), value length (u32); a delete has no value length. */
export const PUT_OVERHEAD = 9;
export const DELETE_OVERHEAD = 5;
/** Largest key + value of one put: what fits in a piece next to the header and its lengths. */
export const MAX_CHANGE_BYTES = MAX_PIECE_BYTES - PIECE_HEADER_BYTES - PUT_OVERHEAD;

const OP_DELETE = 0;
const OP_PUT = 1;

export interface PieceEntry {
  /** SHA-256 of the piece file, lowercase hex: the file is `pieces/<digest>`. */
  digest: string;
  size: number;
  /** Changes in this piece. */
  changes: number;
}

export interface ChangesetMetadata {
  format: typeof CHANGESET_FORMAT;
  formatVersion: typeof CHANGESET_FORMAT_VERSION;
  height: number;
  /** Changes over all pieces. */
  changes: number;
  /** Root of the state this changeset applies to (null: not stated, not checked). */
  prevRoot: string | null;
  /** Root of the state after it (null: not stated, not checked). */
  root: string | null;
  pieces: PieceEntry[];
}

export interface ChangesetRoots {
  prevRoot?: string | null;
  root?: string | null;
}

export interface Piece {
  index: number;
  digest: string;
  bytes: Uint8Array;
  changes: number;
}

export interface EncodedChangeset {
  metadata: ChangesetMetadata;
  /** changeset.json: canonical; its SHA-256 is the changeset's id. */
  metadataBytes: Uint8Array;
  pieces: Piece[];
}

function checkHeight(height: unknown): number {
  if (typeof height !== 'number' || !Number.isSafeInteger(height) || height < 0) {
    throw new InvalidArgument(`height must be a non-negative integer, got ${String(height)}`);
  }
  return height;
}

function checkRoot(root: unknown, what: string): string | null {
  if (root === undefined || root === null) return null;
  if (typeof root !== 'string' || !HEX64.test(root)) throw new InvalidArgument(`${what} must be 64 lowercase hex digits or null`);
  return root;
}

/** How a key is named in errors: text when it is printable, else hex. */
export function describeKey(key: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(key.subarray(0, 64));
  const printable = /^[\x20-\x7e]*$/.test(text) && key.length > 0;
  const shown = printable ? JSON.stringify(text) : `0x${toHex(key.subarray(0, 32))}`;
  return key.length > (printable ? 64 : 32) ? `${shown}… (${key.length} bytes)` : shown;
}

/**
 * Splits one height's changes, in order, into pieces as they fill: add() returns a finished
 * piece when the next change does not fit in the current one; finish() returns the last piece
 * and the metadata. Memory: one piece.
 */
export class ChangesetWriter {
  readonly height: number;
  private readonly maxPieceBytes: number;
  private current: Uint8Array[] = [];
  private currentBytes = PIECE_HEADER_BYTES;
  private currentChanges = 0;
  private readonly entries: PieceEntry[] = [];
  private total = 0;

  /** `maxPieceBytes` below the format's 1,000,000 is for tests and small transports. */
  constructor(height: number, opts: { maxPieceBytes?: number } = {}) {
    this.height = checkHeight(height);
    const max = opts.maxPieceBytes ?? MAX_PIECE_BYTES;
    if (!Number.isSafeInteger(max) || max < 64 || max > MAX_PIECE_BYTES) {
      throw new InvalidArgument(`maxPieceBytes must be an integer from 64 to ${MAX_PIECE_BYTES}, got ${max}`);
    }
    this.maxPieceBytes = max;
  }

  /** Adds the next change (`value: null` deletes); returns the piece it closed, if any. */
  add(change: Pair): Piece | undefined {
    const i = this.total;
    if (!(change?.key instanceof Uint8Array) || (change.value !== null && !(change.value instanceof Uint8Array))) {
      throw new InvalidArgument(`change ${i} must be { key: Uint8Array, value: Uint8Array | null }`);
    }
    const { key, value } = change;
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw new ChangeTooLarge(`change ${i} has a ${key.length}-byte key; keys must be 1 to ${MAX_KEY_LENGTH} bytes`, { height: this.height });
    }
    const size = (value ? PUT_OVERHEAD + value.length : DELETE_OVERHEAD) + key.length;
    if (PIECE_HEADER_BYTES + size > this.maxPieceBytes) {
      throw new ChangeTooLarge(`the change of key ${describeKey(key)} is ${size} bytes and does not fit in a piece of ${this.maxPieceBytes} `
        + `bytes (key + value must be at most ${this.maxPieceBytes - PIECE_HEADER_BYTES - PUT_OVERHEAD} bytes)`, { height: this.height });
    }
    let closed: Piece | undefined;
    if (this.currentBytes + size > this.maxPieceBytes) closed = this.close();
    const record = new Uint8Array(size);
    const view = new DataView(record.buffer);
    record[0] = value ? OP_PUT : OP_DELETE;
    view.setUint32(1, key.length, true);
    if (value) {
      view.setUint32(5, value.length, true);
      record.set(key, 9);
      record.set(value, 9 + key.length);
    } else {
      record.set(key, 5);
    }
    this.current.push(record);
    this.currentBytes += size;
    this.currentChanges++;
    this.total++;
    return closed;
  }

  /** Closes the last piece (none if there are no changes) and returns it with the metadata. */
  finish(roots: ChangesetRoots = {}): { last?: Piece; metadata: ChangesetMetadata; metadataBytes: Uint8Array } {
    const prevRoot = checkRoot(roots.prevRoot, 'prevRoot');
    const root = checkRoot(roots.root, 'root');
    const last = this.currentChanges > 0 ? this.close() : undefined;
    const metadata: ChangesetMetadata = {
      format: CHANGESET_FORMAT, formatVersion: CHANGESET_FORMAT_VERSION, height: this.height, changes: this.total, prevRoot, root,
      pieces: this.entries.slice(),
    };
    return { last, metadata, metadataBytes: encodeChangesetMetadata(metadata) };
  }

  private close(): Piece {
    if (this.entries.length === MAX_PIECES) throw new ChangeTooLarge(`more than ${MAX_PIECES} pieces in one height`, { height: this.height });
    const bytes = new Uint8Array(this.currentBytes);
    const view = new DataView(bytes.buffer);
    bytes.set(PIECE_MAGIC, 0);
    bytes[4] = CHANGESET_FORMAT_VERSION;
    view.setUint32(5, this.height % 2 ** 32, true);
    view.setUint32(9, Math.floor(this.height / 2 ** 32), true);
    view.setUint32(13, this.entries.length, true);
    view.setUint32(17, this.currentChanges, true);
    let at = PIECE_HEADER_BYTES;
    for (const r of this.current) {
      bytes.set(r, at);
      at += r.length;
    }
    const piece: Piece = { index: this.entries.length, digest: toHex(backend().sha256(bytes)), bytes, changes: this.currentChanges };
    this.entries.push({ digest: piece.digest, size: bytes.length, changes: piece.changes });
    this.current = [];
    this.currentBytes = PIECE_HEADER_BYTES;
    this.currentChanges = 0;
    return piece;
  }
}

/** The changeset of one height's changes (applied in order; `value: null` deletes), in memory. */
export function encodeChangeset(height: number, changes: Iterable<Pair>, roots: ChangesetRoots = {},
  opts: { maxPieceBytes?: number } = {}): EncodedChangeset {
  assertIterable(changes, 'changes');
  const writer = new ChangesetWriter(height, opts);
  const pieces: Piece[] = [];
  for (const change of changes) {
    const closed = writer.add(change);
    if (closed) pieces.push(closed);
  }
  const { last, metadata, metadataBytes } = writer.finish(roots);
  if (last) pieces.push(last);
  return { metadata, metadataBytes, pieces };
}

/** The canonical bytes of changeset metadata: fixed key order, no whitespace, a final newline. */
export function encodeChangesetMetadata(m: ChangesetMetadata): Uint8Array {
  assertObject(m, 'metadata');
  assertArray(m.pieces, 'metadata.pieces');
  m.pieces.forEach((p, i) => assertObject(p, `metadata.pieces[${i}]`));
  const canonical = {
    format: m.format, formatVersion: m.formatVersion, height: m.height, changes: m.changes, prevRoot: m.prevRoot, root: m.root,
    pieces: m.pieces.map((p) => ({ digest: p.digest, size: p.size, changes: p.changes })),
  };
  return new TextEncoder().encode(JSON.stringify(canonical) + '\n');
}

/**
 * Parses changeset.json: checks every field and bound, refuses an unknown format version by
 * name, and refuses bytes that are not the canonical encoding (so the id is well defined).
 */
export function parseChangesetMetadata(bytes: Uint8Array, source?: string): ChangesetMetadata {
  assertBytes(bytes, 'bytes');
  let height: number | undefined;
  const reject = (why: string, piece?: number): never => { throw new ChangesetInvalid(why, { height, piece, source }); };
  const { int, hex64, hex64OrNull, object, array } = jsonFields(reject);
  const validate = (value: unknown): ChangesetMetadata => {
    const m = object(value, 'changeset metadata');
    if (m.format !== CHANGESET_FORMAT) reject(`format must be ${JSON.stringify(CHANGESET_FORMAT)}, got ${preview(m.format)}`);
    if (m.formatVersion !== CHANGESET_FORMAT_VERSION) {
      reject(`changeset formatVersion ${preview(m.formatVersion)} is not supported (this lightsnap reads ${CHANGESET_FORMAT_VERSION})`);
    }
    height = int(m.height, 'height', 0, Number.MAX_SAFE_INTEGER);
    const changes = int(m.changes, 'changes', 0, Number.MAX_SAFE_INTEGER);
    const prevRoot = hex64OrNull(m.prevRoot, 'prevRoot');
    const root = hex64OrNull(m.root, 'root');
    let sum = 0;
    const pieces = array(m.pieces, 'pieces', 0, MAX_PIECES).map((raw, i): PieceEntry => {
      const p = object(raw, `pieces[${i}]`, i);
      const digest = hex64(p.digest, 'digest', i);
      const size = int(p.size, 'size', 0, MAX_PIECE_BYTES, i);
      const count = int(p.changes, 'changes', 0, MAX_PIECE_BYTES, i);
      if (count === 0) reject('a piece holds at least one change', i);
      if (PIECE_HEADER_BYTES + count * (DELETE_OVERHEAD + 1) > size) reject(`${count} changes cannot fit in ${size} bytes`, i);
      sum += count;
      return { digest, size, changes: count };
    });
    if (sum !== changes) reject(`changes is ${changes} but the pieces hold ${sum}`);
    return { format: CHANGESET_FORMAT, formatVersion: CHANGESET_FORMAT_VERSION, height, changes, prevRoot, root, pieces };
  };
  return parseCanonicalJson(bytes, 'changeset metadata', MAX_CHANGESET_METADATA_BYTES, validate, encodeChangesetMetadata, reject);
}

/**
 * Decodes one piece on its own. It must be piece `index` of `height` (both are in its header,
 * so a piece served for the wrong slot is refused); every length is checked.
 */
export function decodeChangesetPiece(bytes: Uint8Array, expect: { height: number; index: number; source?: string }): Pair[] {
  assertBytes(bytes, 'bytes');
  assertObject(expect, 'expect');
  const { height, index: piece, source } = expect;
  const fail = (why: string): never => { throw new ChangesetInvalid(`malformed changeset piece: ${why}`, { height, piece, source }); };
  if (bytes.length > MAX_PIECE_BYTES) fail(`${bytes.length} bytes, over the limit of ${MAX_PIECE_BYTES}`);
  if (bytes.length < PIECE_HEADER_BYTES) fail('shorter than its header');
  if (!PIECE_MAGIC.every((b, i) => bytes[i] === b)) fail('bad magic bytes');
  if (bytes[4] !== CHANGESET_FORMAT_VERSION) fail(`piece format version ${bytes[4]} is not supported (this lightsnap reads ${CHANGESET_FORMAT_VERSION})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const gotHeight = view.getUint32(5, true) + view.getUint32(9, true) * 2 ** 32;
  if (gotHeight !== height) fail(`it belongs to height ${gotHeight}`);
  const gotIndex = view.getUint32(13, true);
  if (gotIndex !== piece) fail(`it is piece ${gotIndex}`);
  const count = view.getUint32(17, true);
  if (count === 0) fail('no changes');
  if (count > (bytes.length - PIECE_HEADER_BYTES) / (DELETE_OVERHEAD + 1)) fail(`${count} changes cannot fit in ${bytes.length} bytes`);
  const out: Pair[] = [];
  let at = PIECE_HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (at + DELETE_OVERHEAD > bytes.length) fail(`change ${i} is truncated`);
    const op = bytes[at];
    if (op !== OP_PUT && op !== OP_DELETE) fail(`change ${i} has unknown operation ${op}`);
    const keyLength = view.getUint32(at + 1, true);
    if (keyLength === 0 || keyLength > MAX_KEY_LENGTH) fail(`change ${i} has a ${keyLength}-byte key (keys are 1 to ${MAX_KEY_LENGTH} bytes)`);
    if (op === OP_DELETE) {
      at += DELETE_OVERHEAD;
      if (at + keyLength > bytes.length) fail(`change ${i} is truncated`);
      out.push({ key: bytes.slice(at, at + keyLength), value: null });
      at += keyLength;
      continue;
    }
    if (at + PUT_OVERHEAD > bytes.length) fail(`change ${i} is truncated`);
    const valueLength = view.getUint32(at + 5, true);
    at += PUT_OVERHEAD;
    if (keyLength + valueLength > bytes.length - at) fail(`change ${i} is truncated`);
    out.push({ key: bytes.slice(at, at + keyLength), value: bytes.slice(at + keyLength, at + keyLength + valueLength) });
    at += keyLength + valueLength;
  }
  if (at !== bytes.length) fail(`${bytes.length - at} bytes follow the last change`);
  return out;
}
