// Wrapper of the core's chunk exports (assembly/chunk.ts, chunk_verify.ts): the one chunk
// decoder, and the one-call verification of a chunk against its manifest entry. Each copies
// the chunk (and proof) into scratch once and crosses into WASM once.
import type { CoreExports, Scratch } from './abi.js';

/** Where each key and value sits in a chunk: leaf i's key is chunk[keys[i], keys[i + 1]). */
export interface ChunkLayout {
  count: number;
  /** n + 1 offsets into the chunk. */
  keys: Uint32Array;
  values: Uint32Array;
}

export interface ChunkLimits {
  maxLeaves: number;
  maxKeyLength: number;
}

/** What a chunk must be: its manifest entry's leaf count, interval and proof, and the root. */
export interface ChunkClaim {
  leaves: number;
  maxKeyLength: number;
  root: Uint8Array;
  lo: Uint8Array;
  hi: Uint8Array;
  proof: Uint8Array;
  /** SHA-256 the proof must have. */
  proofDigest: Uint8Array;
}

/** A chunk that proved out: its layout and its leaves packed as n × (keyHash ‖ valueHash). */
export interface VerifiedLayout extends ChunkLayout {
  hashes: Uint8Array;
}

export interface ChunkCore {
  /** The chunk's layout, or a negative status (src/core/status.ts). */
  decode(chunk: Uint8Array, limits: ChunkLimits): ChunkLayout | number;
  /**
   * One crossing: the proof's digest, the chunk's layout, every key and value hashed, the range
   * proof checked against the root. Returns 0 or a negative status (src/core/status.ts).
   */
  verify(chunk: Uint8Array, claim: ChunkClaim): number;
  /** `verify`, and on success the chunk's layout and leaf hashes (for queries). */
  verifyAndDecode(chunk: Uint8Array, claim: ChunkClaim): VerifiedLayout | number;
}

const align = (n: number) => (n + 15) & ~15;
/** Bytes of chunkDecode's work area for `maxLeaves` leaves (two offset tables, two area starts). */
const layoutBytes = (maxLeaves: number) => align(2 * (maxLeaves + 1) * 4 + 8);
/** Every leaf takes at least 9 bytes (two lengths and a non-empty key). */
const mostLeaves = (chunkBytes: number) => Math.floor(Math.max(0, chunkBytes - 8) / 9);

export function createChunkCore(core: CoreExports, scratch: Scratch): ChunkCore {
  const stateSize = align(core.jmtStateSize());
  const engineWorkSize = align(core.jmtWorkSize());

  /** Reads chunkDecode's work area back as absolute offsets. */
  function readLayout(work: number, maxLeaves: number, n: number): ChunkLayout {
    const words = new Uint32Array(core.memory.buffer, work, 2 * (maxLeaves + 1) + 2);
    const keyArea = words[2 * (maxLeaves + 1)];
    const valueArea = words[2 * (maxLeaves + 1) + 1];
    const keys = new Uint32Array(n + 1);
    const values = new Uint32Array(n + 1);
    for (let i = 0; i <= n; i++) {
      keys[i] = keyArea + words[i];
      values[i] = valueArea + words[maxLeaves + 1 + i];
    }
    return { count: n, keys, values };
  }

  function decode(chunk: Uint8Array, limits: ChunkLimits): ChunkLayout | number {
    const maxLeaves = Math.min(limits.maxLeaves, mostLeaves(chunk.length));
    const work = layoutBytes(maxLeaves);
    const base = scratch.ensure(work + chunk.length);
    scratch.view(base + work, chunk.length).set(chunk);
    const n = core.chunkDecode(base + work, chunk.length, maxLeaves, limits.maxKeyLength, base);
    return n < 0 ? n : readLayout(base, maxLeaves, n);
  }

  function run(chunk: Uint8Array, claim: ChunkClaim, keep: boolean): VerifiedLayout | number {
    // A chunk cannot hold more leaves than its bytes allow: never reserve more than that.
    const leaves = Math.min(claim.leaves, mostLeaves(chunk.length) + 1);
    // Layout: state | engine work | root lo hi digest | chunkDecode work | hashes | chunk | proof.
    const fixed = stateSize + engineWorkSize;
    const work = fixed + 128;
    const hashes = work + layoutBytes(leaves);
    const at = hashes + align(leaves * 64);
    const proofAt = at + align(chunk.length);
    const base = scratch.ensure(proofAt + claim.proof.length);
    const view = scratch.view(base, proofAt + claim.proof.length);
    view.set(claim.root, fixed);
    view.set(claim.lo, fixed + 32);
    view.set(claim.hi, fixed + 64);
    view.set(claim.proofDigest, fixed + 96);
    view.set(chunk, at);
    view.set(claim.proof, proofAt);
    const status = core.chunkVerify(base + at, chunk.length, leaves, claim.maxKeyLength,
      base + fixed, base + fixed + 32, base + fixed + 64, base + proofAt, claim.proof.length, base + fixed + 96,
      base + work, base, base + stateSize, base + hashes);
    if (status !== 0 || !keep) return status;
    return { ...readLayout(base + work, leaves, leaves), hashes: scratch.view(base + hashes, leaves * 64).slice() };
  }

  return {
    decode,
    verify: (chunk, claim) => run(chunk, claim, false) as number,
    verifyAndDecode: (chunk, claim) => run(chunk, claim, true),
  };
}
