// Typed access to the CometBFT simple Merkle exports of the core (assembly/merkle.ts).
import type { CoreExports, Scratch } from './abi.js';

export interface MerkleCore {
  /** Root of the items (SHA-256 of nothing for none). */
  root(items: readonly Uint8Array[]): Uint8Array;
  /** Leaf hash of item `index` and its aunts, leaf → root. */
  aunts(items: readonly Uint8Array[], index: number): { leafHash: Uint8Array; aunts: Uint8Array[] };
  /** Whether `item` is leaf `index` of `total` under `root` (aunts are 32 bytes each; `leafHash` checked when given). */
  verify(item: Uint8Array, leafHash: Uint8Array | null, total: number, index: number, aunts: readonly Uint8Array[], root: Uint8Array): boolean;
}

export function createMerkleCore(core: CoreExports, scratch: Scratch): MerkleCore {
  /** Lays the items out (data, then u32 offsets) and leaves room for the work area; returns addresses. */
  function placeItems(items: readonly Uint8Array[], extra: number) {
    const n = items.length;
    let dataLen = 0;
    let longest = 0;
    for (const it of items) {
      dataLen += it.length;
      longest = Math.max(longest, it.length);
    }
    const offsetsAt = (dataLen + 3) & ~3;
    const workAt = offsetsAt + 4 * (n + 1);
    const total = workAt + 32 * n + 1 + longest + extra;
    const base = scratch.ensure(total);
    const mem = scratch.view(base, total);
    const offsets = new Uint32Array(n + 1);
    let off = 0;
    items.forEach((it, i) => {
      mem.set(it, off);
      offsets[i] = off;
      off += it.length;
    });
    offsets[n] = off;
    mem.set(new Uint8Array(offsets.buffer), offsetsAt);
    return { data: base, offsets: base + offsetsAt, work: base + workAt, extra: base + total - extra };
  }

  return {
    root(items) {
      const at = placeItems(items, 32);
      core.merkleRoot(at.data, at.offsets, items.length, at.work, at.extra);
      return scratch.view(at.extra, 32).slice();
    },
    aunts(items, index) {
      const at = placeItems(items, 32 * 101);
      const count = core.merkleAunts(at.data, at.offsets, items.length, index, at.work, at.extra);
      const out = scratch.view(at.extra, 32 * (count + 1));
      return {
        leafHash: out.slice(0, 32),
        aunts: Array.from({ length: count }, (_, i) => out.slice(32 * (i + 1), 32 * (i + 2))),
      };
    },
    verify(item, leafHash, total, index, aunts, root) {
      const size = item.length + 32 + 32 + 32 * aunts.length + 33 + item.length;
      const base = scratch.ensure(size);
      const mem = scratch.view(base, size);
      mem.set(item, 0);
      let off = item.length;
      const leafAt = off;
      if (leafHash) mem.set(leafHash, off);
      off += 32;
      const rootAt = off;
      mem.set(root, off);
      off += 32;
      const auntsAt = off;
      for (const a of aunts) {
        mem.set(a, off);
        off += 32;
      }
      return core.merkleVerify(base, item.length, leafHash ? base + leafAt : 0, total, index, base + auntsAt, aunts.length,
        base + rootAt, base + off) === 1;
    },
  };
}
