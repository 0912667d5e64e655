// Collects the proof paths of watched leaves from the root engine's sibling events: every op
// on a stack entry holding watched leaves reports (leaf-index range, depth, side, sibling), in
// bottom → root order per leaf, so each watched leaf ends with its full SparseMerkleProof.
import type { SiblingEvent } from '../core/jmt.js';
import type { Leaf } from './hash.js';
import type { SparseMerkleProof } from './proof.js';

export interface WatchedPath {
  index: number;
  leaf: Leaf;
  /** Sibling hashes bottom → root; siblings[i] joins at depth (siblings.length - 1 - i). */
  siblings: Uint8Array[];
  /**
   * Optional: the hashes of the nodes on the path, bottom → root beside `siblings` (hashes[i] is
   * the node at depth siblings.length - i), when whoever found the path had them; a range proof
   * then takes them instead of hashing the path again.
   */
  hashes?: Uint8Array[];
}

export class WatchedPaths {
  private readonly paths: WatchedPath[] = [];

  /** Registers leaf `index` (indices must be registered in increasing order). */
  watch(index: number, keyHash: Uint8Array, valueHash: Uint8Array): WatchedPath {
    const path = { index, leaf: { keyHash: keyHash.slice(), valueHash: valueHash.slice() }, siblings: [] };
    this.paths.push(path);
    return path;
  }

  /** Applies the root engine's sibling events. */
  readonly onEvents = (events: readonly SiblingEvent[]): void => {
    for (const { first, last, hash } of events) {
      for (let i = this.lowerBound(first); i < this.paths.length && this.paths[i].index <= last; i++) {
        this.paths[i].siblings.push(hash);
      }
    }
  };

  private lowerBound(index: number): number {
    let lo = 0;
    let hi = this.paths.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.paths[mid].index < index) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export function proofOf(path: WatchedPath): SparseMerkleProof {
  return { leaf: path.leaf, siblings: path.siblings };
}
