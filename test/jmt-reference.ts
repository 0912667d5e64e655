// A plain, obviously-correct model of the JMT (SPECS.md §1.4, binary view), written from the
// spec and hashed with @noble/hashes: the oracle the WASM paths are tested against.
import { sha256 } from '@noble/hashes/sha2.js';
import { concat, hex } from './helpers.js';

export const PLACEHOLDER = new TextEncoder().encode('SPARSE_MERKLE_PLACEHOLDER_HASH__');
const LEAF = new TextEncoder().encode('JMT::LeafNode');
const INTERNAL = new TextEncoder().encode('JMT::IntrnalNode');

export interface RefLeaf {
  keyHash: Uint8Array;
  valueHash: Uint8Array;
}


export const refSha256 = (data: Uint8Array): Uint8Array => sha256(data);
export const refLeafHash = (l: RefLeaf): Uint8Array => sha256(concat(LEAF, l.keyHash, l.valueHash));
export const refInternalHash = (a: Uint8Array, b: Uint8Array): Uint8Array => sha256(concat(INTERNAL, a, b));
export const refBit = (k: Uint8Array, i: number): number => (k[i >> 3] >> (7 - (i & 7))) & 1;

export function refCompare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** Root of the subtree at `depth` holding exactly `leaves` (sorted by key hash). */
export function refSubtree(leaves: RefLeaf[], depth: number): Uint8Array {
  if (leaves.length === 0) return PLACEHOLDER;
  if (leaves.length === 1) return refLeafHash(leaves[0]);
  const left = leaves.filter((l) => refBit(l.keyHash, depth) === 0);
  const right = leaves.filter((l) => refBit(l.keyHash, depth) === 1);
  return refInternalHash(refSubtree(left, depth + 1), refSubtree(right, depth + 1));
}

/** Root of a state given as pairs (later wins, null deletes). */
export function refRoot(pairs: Array<{ key: Uint8Array; value: Uint8Array | null }>): Uint8Array {
  const latest = new Map<string, RefLeaf | null>();
  for (const p of pairs) {
    const keyHash = sha256(p.key);
    latest.set(hex(keyHash), p.value ? { keyHash, valueHash: sha256(p.value) } : null);
  }
  const leaves = [...latest.values()].filter((l): l is RefLeaf => l !== null);
  leaves.sort((a, b) => refCompare(a.keyHash, b.keyHash));
  return refSubtree(leaves, 0);
}

/** SparseMerkleProof siblings (bottom → root) and leaf for `keyHash` in the sorted `leaves`. */
export function refProof(leaves: RefLeaf[], keyHash: Uint8Array): { leaf: RefLeaf | null; siblings: Uint8Array[] } {
  const siblings: Uint8Array[] = [];
  let set = leaves;
  let depth = 0;
  while (set.length > 1) {
    const b = refBit(keyHash, depth);
    const same = set.filter((l) => refBit(l.keyHash, depth) === b);
    const other = set.filter((l) => refBit(l.keyHash, depth) !== b);
    siblings.unshift(refSubtree(other, depth + 1));
    set = same;
    depth++;
  }
  return { leaf: set[0] ?? null, siblings };
}

export const refBig = (h: Uint8Array): bigint => BigInt('0x' + hex(h));
export const refFromBig = (x: bigint): Uint8Array => {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
};

/**
 * The pruned tree of [lo, hi] (DESIGN.md), straight from the full sorted leaf list, in the
 * encoding of docs/FORMAT.md: disjoint nodes as their hash, inside nodes omitted, straddling
 * nodes tagged (0 empty, 1 outside leaf + keyHash + valueHash, 2 inside leaf, 3 internal).
 */
export function refRangeProof(leaves: RefLeaf[], lo: bigint, hi: bigint): Uint8Array {
  const out: number[] = [1];
  const rec = (set: RefLeaf[], depth: number, a: bigint): void => {
    const size = 1n << BigInt(256 - depth);
    const b = a + size - 1n;
    if (b < lo || a > hi) {
      out.push(...refSubtree(set, depth));
      return;
    }
    if (a >= lo && b <= hi) return;
    if (set.length === 0) {
      out.push(0);
      return;
    }
    if (set.length === 1) {
      const k = refBig(set[0].keyHash);
      if (k >= lo && k <= hi) out.push(2);
      else out.push(1, ...set[0].keyHash, ...set[0].valueHash);
      return;
    }
    out.push(3);
    rec(set.filter((l) => refBit(l.keyHash, depth) === 0), depth + 1, a);
    rec(set.filter((l) => refBit(l.keyHash, depth) === 1), depth + 1, a + (size >> 1n));
  };
  rec(leaves, 0, 0n);
  return Uint8Array.from(out);
}

/** Items of an encoded range proof (offset and length of each tag or hash), walked with lo/hi. */
export function refRangeProofItems(proof: Uint8Array, lo: bigint, hi: bigint): Array<{ at: number; len: number }> {
  const items: Array<{ at: number; len: number }> = [];
  let pos = 1;
  const rec = (depth: number, a: bigint): void => {
    const size = 1n << BigInt(256 - depth);
    const b = a + size - 1n;
    if (b < lo || a > hi) {
      items.push({ at: pos, len: 32 });
      pos += 32;
      return;
    }
    if (a >= lo && b <= hi) return;
    const tag = proof[pos];
    const len = tag === 1 ? 65 : 1;
    items.push({ at: pos, len });
    pos += len;
    if (tag === 3) {
      rec(depth + 1, a);
      rec(depth + 1, a + (size >> 1n));
    }
  };
  rec(0, 0n);
  return items;
}
