// Typed wrapper over the core's JMT exports (assembly/jmt_*.ts): hashing batches and the
// streaming root engine. Inputs are copied into scratch per call; a stream's state block lives
// here on the TS side, so any number of streams can be open at once.
import type { CoreExports, Scratch } from './abi.js';

/** Bytes of one sibling event as the core writes it: first, last, depth, side (u32 LE), hash[32]. */
const SIBLING_EVENT_SIZE = 48;

/**
 * A sibling hash the root engine joined into the stack entry holding watched leaves
 * [first, last]: every watched leaf in that range has `hash` as its sibling at `depth`.
 */
export interface SiblingEvent {
  first: number;
  last: number;
  depth: number;
  /** 0: the sibling is the left child, 1: the right. */
  side: number;
  hash: Uint8Array;
}

/** Leaves copied into WASM memory per crossing. */
const LEAVES_PER_CALL = 16384;
const EVENT_CAP = 8192;

/** A root computation over leaves fed in strictly increasing key-hash order. */
export interface JmtRootStream {
  /**
   * Feeds `leaves` (n × 64 bytes: keyHash || valueHash). `watch`, when given, holds one flag
   * byte per leaf: the sibling events of flagged leaves go to the stream's `onEvents`.
   * Returns 0, or a negative status (JMT_* in src/core/status.ts) with the offending leaf's
   * index in `errorIndex`.
   */
  feed(leaves: Uint8Array, watch?: Uint8Array): number;
  /** Index (counting every leaf fed) of the leaf a failed feed stopped at. */
  readonly errorIndex: number;
  /** Ends the stream; returns the root of the subtree (the placeholder when empty). */
  finish(): Uint8Array;
}

export interface JmtCore {
  /** Leaf hashes of n × (keyHash || valueHash); returns n × 32 bytes. */
  leafHashes(leaves: Uint8Array): Uint8Array;
  /** Internal hashes of n × (left || right); returns n × 32 bytes. */
  internalHashes(pairs: Uint8Array): Uint8Array;
  /**
   * Opens a root stream for a subtree at `baseDepth` (0: the whole tree); every leaf must lie
   * in that subtree. `onEvents` receives the sibling events of watched leaves, in order.
   */
  rootStream(baseDepth: number, onEvents?: (events: SiblingEvent[]) => void): JmtRootStream;
  /**
   * Checks an encoded SparseMerkleProof for `keyHash`: membership of `valueHash`, or
   * non-membership when it is null. Returns 0 or a negative status (proofFailure in status.ts).
   */
  verifyProof(root: Uint8Array, keyHash: Uint8Array, valueHash: Uint8Array | null, proof: Uint8Array): number;
  /**
   * Checks an encoded range proof: `leaves` (n × 64) are exactly the tree's leaves with key
   * hash in [lo, hi]. Returns 0 or a negative status (rangeFailure in status.ts).
   */
  verifyRange(root: Uint8Array, lo: Uint8Array, hi: Uint8Array, leaves: Uint8Array, proof: Uint8Array): number;
}

export function createJmtCore(core: CoreExports, scratch: Scratch): JmtCore {
  const stateSize = core.jmtStateSize();
  const workSize = core.jmtWorkSize();

  function hashBatch(input: Uint8Array, stride: number, fn: (work: number, src: number, n: number, out: number) => void): Uint8Array {
    const n = input.length / stride;
    const out = new Uint8Array(n * 32);
    for (let first = 0; first < n; first += LEAVES_PER_CALL) {
      const count = Math.min(LEAVES_PER_CALL, n - first);
      const base = scratch.ensure(workSize + count * (stride + 32));
      const src = base + workSize;
      const dst = src + count * stride;
      scratch.view(src, count * stride).set(input.subarray(first * stride, (first + count) * stride));
      fn(base, src, count, dst);
      out.set(scratch.view(dst, count * 32), first * 32);
    }
    return out;
  }

  function rootStream(baseDepth: number, onEvents?: (events: SiblingEvent[]) => void): JmtRootStream {
    const state = new Uint8Array(stateSize);
    let errorIndex = -1;
    {
      const base = scratch.ensure(stateSize);
      core.jmtRootInit(base, baseDepth);
      state.set(scratch.view(base, stateSize));
    }

    /** Lays out one call: state | work | leaves | watch flags | events. */
    function enter(leafCount: number): { base: number; work: number; leaves: number; watch: number; events: number } {
      const base = scratch.ensure(stateSize + workSize + leafCount * 65 + EVENT_CAP * SIBLING_EVENT_SIZE);
      const work = base + stateSize;
      const leaves = work + workSize;
      const watch = leaves + leafCount * 64;
      const events = watch + leafCount;
      scratch.view(base, stateSize).set(state);
      return { base, work, leaves, watch, events };
    }

    function leave(base: number, events: number): void {
      state.set(scratch.view(base, stateSize));
      const count = core.jmtRootEventCount(base);
      if (count > 0 && onEvents) onEvents(decodeEvents(scratch.view(events, count * SIBLING_EVENT_SIZE)));
    }

    return {
      get errorIndex() {
        return errorIndex;
      },
      feed(leaves: Uint8Array, watch?: Uint8Array): number {
        const n = leaves.length >>> 6;
        let done = 0;
        while (done < n) {
          const count = Math.min(LEAVES_PER_CALL, n - done);
          const at = enter(count);
          scratch.view(at.leaves, count * 64).set(leaves.subarray(done * 64, (done + count) * 64));
          if (watch) scratch.view(at.watch, count).set(watch.subarray(done, done + count));
          const consumed = core.jmtRootFeed(at.base, at.work, at.leaves, count, watch ? at.watch : 0, at.events, EVENT_CAP);
          if (consumed < 0) {
            errorIndex = core.jmtRootErrorIndex(at.base);
            return consumed;
          }
          leave(at.base, at.events);
          done += consumed;
        }
        return 0;
      },
      finish(): Uint8Array {
        const at = enter(0);
        const out = at.events + EVENT_CAP * SIBLING_EVENT_SIZE - 32;
        core.jmtRootFinish(at.base, at.work, at.events, EVENT_CAP - 1, out);
        const root = scratch.view(out, 32).slice();
        leave(at.base, at.events);
        return root;
      },
    };
  }

  function verifyProof(root: Uint8Array, keyHash: Uint8Array, valueHash: Uint8Array | null, proof: Uint8Array): number {
    const base = scratch.ensure(96 + proof.length);
    const view = scratch.view(base, 96 + proof.length);
    view.set(root, 0);
    view.set(keyHash, 32);
    if (valueHash) view.set(valueHash, 64);
    view.set(proof, 96);
    return core.jmtVerifyProof(base, base + 32, valueHash ? base + 64 : 0, base + 96, proof.length);
  }

  function verifyRange(root: Uint8Array, lo: Uint8Array, hi: Uint8Array, leaves: Uint8Array, proof: Uint8Array): number {
    const base = scratch.ensure(stateSize + workSize + 96 + leaves.length + proof.length);
    const work = base + stateSize;
    const fixed = work + workSize;
    const view = scratch.view(fixed, 96 + leaves.length + proof.length);
    view.set(root, 0);
    view.set(lo, 32);
    view.set(hi, 64);
    view.set(leaves, 96);
    view.set(proof, 96 + leaves.length);
    return core.jmtVerifyRange(fixed, fixed + 32, fixed + 64, fixed + 96, leaves.length >>> 6,
      fixed + 96 + leaves.length, proof.length, base, work);
  }

  return {
    verifyProof,
    verifyRange,
    leafHashes: (leaves) => hashBatch(leaves, 64, core.jmtLeafHashes),
    internalHashes: (pairs) => hashBatch(pairs, 64, core.jmtInternalHashes),
    rootStream,
  };
}

function decodeEvents(bytes: Uint8Array): SiblingEvent[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: SiblingEvent[] = [];
  for (let at = 0; at < bytes.length; at += SIBLING_EVENT_SIZE) {
    out.push({
      first: view.getUint32(at, true),
      last: view.getUint32(at + 4, true),
      depth: view.getUint32(at + 8, true),
      side: view.getUint32(at + 12, true),
      hash: bytes.slice(at + 16, at + 48),
    });
  }
  return out;
}
