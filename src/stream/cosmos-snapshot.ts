// Checking a Cosmos SDK state-sync snapshot's chunks (SPECS.md §4): each chunk's SHA-256 must
// be the metadata's chunk_hashes[i], in index order, and the SHA-256 of all chunks' bytes must
// be the snapshot's hash. (These guard against corruption, not against a lying node: only the
// app hash after restore binds a snapshot to chain state.)
import { backend } from '../core/load.js';
import { toHex } from '../hex.js';
import { ChunkCorrupted, ManifestInvalid } from '../errors.js';
import type { Sha256State } from '../core/backend.js';
import { assertBytes } from '../assert.js';

export interface CosmosSnapshot {
  height: bigint;
  format: number;
  chunks: number;
  hash: Uint8Array;
  chunkHashes: Uint8Array[];
}

/** Most chunks a snapshot may declare (10 MB each: 100 TB). */
const MAX_SNAPSHOT_CHUNKS = 10_000_000;

/** A bounded protobuf reader over one message. */
class Reader {
  pos = 0;
  constructor(private readonly bytes: Uint8Array, private readonly what: string) {}
  get done(): boolean { return this.pos >= this.bytes.length; }
  fail(why: string): never { throw new ManifestInvalid(`${this.what}: ${why} at byte ${this.pos}`); }
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.bytes.length) this.fail('truncated varint');
      const b = this.bytes[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
    }
    return this.fail('varint longer than 10 bytes');
  }
  lengthDelimited(): Uint8Array {
    const len = this.varint();
    if (len > BigInt(this.bytes.length - this.pos)) this.fail(`length ${len} runs past the end`);
    const out = this.bytes.subarray(this.pos, this.pos + Number(len));
    this.pos += Number(len);
    return out;
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 2) this.lengthDelimited();
    else if (wireType === 1 || wireType === 5) {
      const n = wireType === 1 ? 8 : 4;
      if (this.pos + n > this.bytes.length) this.fail('truncated fixed field');
      this.pos += n;
    } else this.fail(`unsupported wire type ${wireType}`);
  }
}

/**
 * Decodes an ABCI `Snapshot` (height = 1, format = 2, chunks = 3, hash = 4, metadata = 5) whose
 * metadata is the SDK's `Metadata { repeated bytes chunk_hashes = 1 }`, and checks it as the
 * SDK's Restore does: chunks > 0, one 32-byte hash per chunk, height > 0.
 */
export function decodeCosmosSnapshot(bytes: Uint8Array): CosmosSnapshot {
  assertBytes(bytes, 'bytes');
  const r = new Reader(bytes, 'snapshot');
  const s: CosmosSnapshot = { height: 0n, format: 0, chunks: 0, hash: new Uint8Array(0), chunkHashes: [] };
  while (!r.done) {
    const tag = Number(r.varint());
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === 0) s.height = r.varint();
    else if (field === 2 && wire === 0) s.format = Number(r.varint() & 0xffffffffn);
    else if (field === 3 && wire === 0) s.chunks = Number(r.varint() & 0xffffffffn);
    else if (field === 4 && wire === 2) s.hash = r.lengthDelimited().slice();
    else if (field === 5 && wire === 2) {
      const m = new Reader(r.lengthDelimited(), 'snapshot metadata');
      while (!m.done) {
        const t = Number(m.varint());
        if (t === (1 << 3 | 2)) {
          if (s.chunkHashes.length >= MAX_SNAPSHOT_CHUNKS) m.fail(`more than ${MAX_SNAPSHOT_CHUNKS} chunk hashes`);
          s.chunkHashes.push(m.lengthDelimited().slice());
        } else m.skip(t & 7);
      }
    } else r.skip(wire);
  }
  if (s.height === 0n || s.height > 0x7fffffffffffffffn) throw new ManifestInvalid(`snapshot height ${s.height} is out of range`);
  if (s.chunks === 0) throw new ManifestInvalid('snapshot has no chunks');
  if (s.chunkHashes.length !== s.chunks) throw new ManifestInvalid(`snapshot declares ${s.chunks} chunks but lists ${s.chunkHashes.length} chunk hashes`);
  s.chunkHashes.forEach((h, i) => { if (h.length !== 32) throw new ManifestInvalid(`chunk hash ${i} is ${h.length} bytes, not 32`, { chunk: i }); });
  if (s.hash.length !== 32) throw new ManifestInvalid(`snapshot hash is ${s.hash.length} bytes, not 32`);
  return s;
}

/** Checks a snapshot's chunks as they arrive, in index order. */
export class CosmosSnapshotVerifier {
  private next = 0;
  private readonly whole: Sha256State = backend().sha256Stream();

  constructor(private readonly snapshot: CosmosSnapshot) {}

  /** Chunks accepted so far. */
  get accepted(): number {
    return this.next;
  }

  /** Checks the next chunk; ChunkCorrupted (with its index) means: refetch it, from another peer. */
  push(chunk: Uint8Array, source?: string): void {
    const index = this.next;
    if (index >= this.snapshot.chunks) throw new ManifestInvalid(`the snapshot has only ${this.snapshot.chunks} chunks`, { chunk: index, source });
    if (toHex(backend().sha256(chunk)) !== toHex(this.snapshot.chunkHashes[index])) {
      throw new ChunkCorrupted('chunk does not match its hash in the snapshot metadata', { chunk: index, source });
    }
    this.whole.update(chunk);
    this.next++;
  }

  /** After the last chunk: checks the count and the hash of the whole stream. */
  finish(): void {
    if (this.next !== this.snapshot.chunks) throw new ManifestInvalid(`${this.next} of ${this.snapshot.chunks} chunks were given`);
    if (toHex(this.whole.digest()) !== toHex(this.snapshot.hash)) {
      throw new ChunkCorrupted('the chunks are each right but together do not hash to the snapshot hash');
    }
  }
}
