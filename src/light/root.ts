// The root a checkpoint is checked against, proven from the chain: the app hash of a header the
// light client verified. For chains whose app hash is the state tree's root (a JMT: Penumbra)
// that is the checkpoint's root; for Cosmos SDK chains the app hash commits to every store's
// root, and a store's root is proven under it by the `ics23:simple` proof the SDK returns
// (SPECS §3.2–3.3). Note CometBFT's convention: the app hash in header H is the state after
// block H - 1, so a snapshot taken at height H is proven by header H + 1.
import { InvalidArgument, ProofInvalid } from '../errors.js';
import { toHex } from '../hex.js';
import { checkMultistoreProof } from '../merkle/multistore.js';
import { LightClient } from './client.js';

export interface TrustedRoot {
  /** The root for verifyCheckpoint / restoreCheckpoint: 64 lowercase hex digits. */
  root: string;
  /** The verified header's height and hash (uppercase hex). */
  height: number;
  headerHash: string;
  /** The header's app hash, lowercase hex. */
  appHash: string;
  /** The store whose root this is, for a Cosmos SDK chain. */
  store?: string;
  /** Voting power whose Commit votes the header carries, of the validators' total. */
  signedPower: bigint;
  totalPower: bigint;
}

export interface StoreRootProof {
  /** The store's name in the multistore (`bank`, `ibc`, …). */
  name: string;
  /** The store's root hash, as the query answer gave it. */
  root: Uint8Array;
  /** Its `ics23:simple` CommitmentProof under the app hash (protobuf bytes). */
  proof: Uint8Array;
}

/**
 * Verifies the header at `height` with `client` and returns its app hash as a checkpoint root,
 * or, given `store`, that store's root proven under the app hash (throws ProofInvalid if the
 * proof does not hold).
 */
export async function trustedRoot(client: LightClient, height: number, store?: StoreRootProof): Promise<TrustedRoot> {
  if (!(client instanceof LightClient)) throw new InvalidArgument('client must be a LightClient');
  const verified = await client.verifyTo(height);
  const appHash = verified.appHash;
  const base = {
    height: verified.height, headerHash: verified.hash, appHash: toHex(appHash),
    signedPower: verified.signedPower, totalPower: verified.totalPower,
  };
  if (!store) {
    if (appHash.length !== 32) {
      throw new InvalidArgument(`the app hash at height ${verified.height} is ${appHash.length} bytes, not a 32-byte tree root; pass the store whose root you want`);
    }
    return { root: toHex(appHash), ...base };
  }
  if (typeof store !== 'object' || typeof store.name !== 'string' || !(store.root instanceof Uint8Array) || !(store.proof instanceof Uint8Array)) {
    throw new InvalidArgument('store must be { name, root: Uint8Array, proof: Uint8Array }');
  }
  if (store.root.length !== 32) throw new InvalidArgument(`store root must be 32 bytes, got ${store.root.length}`);
  const verdict = checkMultistoreProof([{ type: 'ics23:simple', key: new TextEncoder().encode(store.name), data: store.proof }],
    appHash, [store.name], store.root);
  if (!verdict.valid) {
    throw new ProofInvalid(verdict.reason, `the root of store ${JSON.stringify(store.name)} is not proven under the app hash at height ${verified.height}: ${verdict.reason}`);
  }
  return { root: toHex(store.root), store: store.name, ...base };
}
