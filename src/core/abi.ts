// The WASM ABI, in one place: the exports of assembly/index.ts and the scratch-memory
// convention (inputs copied to the scratch region, outputs read back from it).

/** Raw exports of the core, exactly as assembly/index.ts declares them. */
export interface CoreExports {
  readonly memory: WebAssembly.Memory;
  /** Ensures `bytes` of scratch; returns its base address, or 0 if impossible. */
  reserve(bytes: number): number;
  sha256(src: number, len: number, out: number): void;
  sha256Init(state: number): void;
  sha256Compress(state: number, src: number, blocks: number): void;
  sha256Finish(state: number, tail: number, tailLen: number, total: number, out: number): void;
  /** Hashes `n` 64-byte messages back to back at `src`; digests back to back at `out`. */
  sha256Batch64(src: number, n: number, out: number): void;
  /** Hashes `n` messages; message i is `data[offsets[i], offsets[i + 1])` (offsets: u32[n + 1]). */
  sha256BatchVar(data: number, offsets: number, n: number, out: number): void;
  /** Checks a chunk's layout; offsets and area starts to `work` (src/core/chunk.ts). Leaf count or status. */
  chunkDecode(src: number, len: number, maxLeaves: number, maxKeyLen: number, work: number): number;
  /** Verifies a chunk in one call (assembly/chunk_verify.ts); 0 or a status (src/core/status.ts). */
  chunkVerify(src: number, len: number, leaves: number, maxKeyLen: number, root: number, lo: number, hi: number,
    proof: number, proofLen: number, proofDigest: number, work: number, state: number, engineWork: number, hashes: number): number;
  /**
   * FastCDC v2020: length of the chunk starting at `src` in a window of `len` bytes (its gear
   * hash, u64 little-endian, written at `hashOut`); FASTCDC_NEED_MORE when `len < max` and
   * `eof` is 0; FASTCDC_BAD_PARAMS for sizes or a level outside fastcdc-rs's limits.
   */
  fastcdcCut(src: number, len: number, min: number, avg: number, max: number, level: number, eof: number, hashOut: number): number;
  /** The ronomon variant of `fastcdcCut` (no level; the hash written is a u32, zero-extended). */
  fastcdcCutRonomon(src: number, len: number, min: number, avg: number, max: number, eof: number, hashOut: number): number;
  /** Xors the 64-bit seed `hi:lo` into the gear tables (0 restores the published ones). */
  fastcdcSeed(lo: number, hi: number): void;
  /** Bytes of a JMT root stream's state block and of the work area its calls need. */
  jmtStateSize(): number;
  jmtWorkSize(): number;
  jmtRootInit(state: number, baseDepth: number): void;
  /** Returns leaves consumed, or a negative code (see src/core/jmt.ts). */
  jmtRootFeed(state: number, work: number, leaves: number, n: number, watch: number, events: number, eventCap: number): number;
  jmtRootFinish(state: number, work: number, events: number, eventCap: number, out: number): number;
  jmtRootErrorIndex(state: number): number;
  jmtRootEventCount(state: number): number;
  jmtLeafHashes(work: number, leaves: number, n: number, out: number): void;
  jmtInternalHashes(work: number, pairs: number, n: number, out: number): void;
  // ICS23 (assembly/ics23.ts): verification returns 1 valid, 0 invalid, -1/-2 malformed proof/spec.
  ics23VerifyMembership(proof: number, proofLen: number, spec: number, specLen: number, root: number, rootLen: number,
    key: number, keyLen: number, value: number, valueLen: number): number;
  ics23VerifyNonMembership(proof: number, proofLen: number, spec: number, specLen: number, root: number, rootLen: number,
    key: number, keyLen: number): number;
  ics23CommitmentRoot(proof: number, proofLen: number, out: number): number;
  ics23Reason(): number;
  ics23DecodeError(): number;
  ics23DecodeErrorAt(): number;
  ics23HashOp(hashOp: number, src: number, len: number, out: number): number;
  ics23ApplyLeaf(op: number, opLen: number, key: number, keyLen: number, value: number, valueLen: number, out: number): number;
  ics23ApplyInner(op: number, opLen: number, child: number, childLen: number, out: number): number;
  ics23Calculate(proof: number, proofLen: number, out: number): number;
  ics23CheckAgainstSpec(proof: number, proofLen: number, spec: number, specLen: number): number;
  ics23CheckLeaf(op: number, opLen: number, spec: number, specLen: number): number;
  ics23EmptyBranches(op: number, opLen: number, spec: number, specLen: number): number;
  ics23Decode(type: number, p: number, len: number, out: number, capacity: number): number;
  /** 0, or the negative code of the first failed check (src/core/jmt.ts). `valueHash` 0: non-membership. */
  jmtVerifyProof(root: number, keyHash: number, valueHash: number, proof: number, len: number): number;
  jmtVerifyRange(root: number, lo: number, hi: number, leaves: number, n: number, proof: number, len: number,
    state: number, work: number): number;
  // CometBFT simple Merkle (assembly/merkle.ts). Items: data + u32 offsets[n + 1].
  merkleRoot(data: number, offsets: number, n: number, work: number, out: number): void;
  merkleAunts(data: number, offsets: number, n: number, index: number, work: number, out: number): number;
  merkleVerify(item: number, itemLen: number, leaf: number, total: number, index: number, aunts: number, auntCount: number,
    root: number, buf: number): number;
  // ed25519 with ZIP-215 rules (assembly/ed25519.ts): 1 valid, 0 invalid.
  ed25519Verify(publicKey: number, signature: number, msg: number, msgLen: number): number;
  /** Items: publicKey ‖ signature (96 bytes each); messages: data + u32 offsets[n + 1]; 16-byte coefficients. */
  ed25519VerifyBatch(items: number, n: number, msgs: number, offsets: number, coeffs: number, work: number): number;
  ed25519BatchWorkSize(n: number): number;
}

export const FASTCDC_NEED_MORE = -1;
export const FASTCDC_BAD_PARAMS = -2;

/** Scratch memory of one core instance, handed out in bump order for a single call. */
export class Scratch {
  readonly core: CoreExports;
  private base = 0;
  private capacity = 0;

  constructor(core: CoreExports) {
    this.core = core;
  }

  /** Returns the base of at least `bytes` of scratch, growing memory when needed. */
  ensure(bytes: number): number {
    if (bytes > this.capacity) {
      let want = Math.max(bytes, this.capacity * 2, 1 << 16);
      let base = this.core.reserve(want);
      if (base === 0) {
        want = bytes;
        base = this.core.reserve(bytes);
      }
      if (base === 0) throw new RangeError(`the WASM core cannot reserve ${bytes} bytes of scratch memory`);
      this.base = base;
      this.capacity = want;
    }
    return this.base;
  }

  private whole: Uint8Array | null = null;

  /** All of core memory, the same view until memory grows (growth detaches it): no view per call. */
  heap(): Uint8Array {
    const buffer = this.core.memory.buffer;
    if (this.whole === null || this.whole.buffer !== buffer) this.whole = new Uint8Array(buffer);
    return this.whole;
  }

  /** A fresh view of `length` bytes at `ptr` (memory growth detaches older views). */
  view(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.core.memory.buffer, ptr, length);
  }
}
