// The Cosmos SDK app hash from its stores' root hashes (store/types/commit_info.go; SPECS §3.2),
// and a store's proof under it in ICS23 form (store/internal/proofs/convert.go; §3.3).
import { backend } from '../core/load.js';
import { InvalidArgument } from '../errors.js';
import { HashOp, LengthOp, type CommitmentProof, type InnerOp } from '../ics23/types.js';
import { merkleProof, merkleRoot } from './tree.js';
import { assertBytes, assertObject, assertString } from '../assert.js';

/** Store name → that store's root hash (its commit ID hash). */
export type StoreRoots = Record<string, Uint8Array> | Iterable<readonly [string, Uint8Array]>;

const utf8 = new TextEncoder();

function uvarint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** The stores as (name bytes, root) sorted by name bytes, as the SDK's map does. */
function sortedStores(stores: StoreRoots): Array<{ name: Uint8Array; root: Uint8Array }> {
  const entries = Symbol.iterator in Object(stores)
    ? [...(stores as Iterable<readonly [string, Uint8Array]>)] : Object.entries(stores as Record<string, Uint8Array>);
  const list = entries.map(([name, root]) => {
    if (typeof name !== 'string' || !(root instanceof Uint8Array)) throw new InvalidArgument('stores map names to Uint8Array roots');
    return { name: utf8.encode(name), root };
  });
  list.sort((a, b) => compareBytes(a.name, b.name));
  for (let i = 1; i < list.length; i++) {
    if (compareBytes(list[i - 1].name, list[i].name) === 0) throw new InvalidArgument('store names must be distinct');
  }
  return list;
}

/** The Merkle leaf of one store: uvarint(len(name)) || name || uvarint(32) || SHA-256(root). */
export function storeLeaf(name: Uint8Array, root: Uint8Array): Uint8Array {
  assertBytes(name, 'name');
  assertBytes(root, 'root');
  const valueHash = backend().sha256(root);
  return Uint8Array.from([...uvarint(name.length), ...name, ...uvarint(valueHash.length), ...valueHash]);
}

/** The app hash of a multistore: the simple Merkle root of its store leaves; empty for no stores. */
export function appHash(stores: StoreRoots): Uint8Array {
  assertObject(stores, 'stores');
  const list = sortedStores(stores);
  if (list.length === 0) return new Uint8Array(0);
  return merkleRoot(list.map((s) => storeLeaf(s.name, s.root)));
}

/**
 * The ICS23 existence proof (TendermintSpec) of store `name` → its root under the app hash, as
 * the SDK builds it for `abci_query` (the `ics23:simple` proof op).
 */
export function storeProof(stores: StoreRoots, name: string): CommitmentProof {
  assertObject(stores, 'stores');
  assertString(name, 'name');
  const list = sortedStores(stores);
  const wanted = utf8.encode(name);
  const index = list.findIndex((s) => compareBytes(s.name, wanted) === 0);
  if (index < 0) throw new InvalidArgument(`no store named ${JSON.stringify(name)}`);
  const proof = merkleProof(list.map((s) => storeLeaf(s.name, s.root)), index);
  // Walk down from the root to learn on which side the leaf is at each level (buildPath).
  const rightSide: boolean[] = [];
  for (let total = proof.total, i = index; total > 1;) {
    let k = 1;
    while (k * 2 < total) k *= 2;
    rightSide.push(i >= k);
    if (i >= k) { i -= k; total -= k; } else { total = k; }
  }
  const path: InnerOp[] = proof.aunts.map((aunt, a) => {
    const fromRight = rightSide[rightSide.length - 1 - a];
    return fromRight
      ? { hash: HashOp.SHA256, prefix: Uint8Array.from([1, ...aunt]) }
      : { hash: HashOp.SHA256, prefix: Uint8Array.of(1), suffix: aunt };
  });
  return {
    exist: {
      key: wanted, value: list[index].root, path,
      leaf: { hash: HashOp.SHA256, prehashKey: HashOp.NO_HASH, prehashValue: HashOp.SHA256, length: LengthOp.VAR_PROTO, prefix: Uint8Array.of(0) },
    },
  };
}
