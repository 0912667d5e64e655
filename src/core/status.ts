// The meaning of every status code the core's JMT and chunk exports return (assembly/jmt_root.ts,
// jmt_proof.ts, jmt_range.ts, chunk.ts, chunk_verify.ts): one table per export family, so no
// caller outside src/core reads a bare number.

/** Root engine (jmtRootFeed): a leaf not above the previous one, or outside the subtree. */
export const JMT_NOT_INCREASING = -1;
export const JMT_OUTSIDE_SUBTREE = -2;

/** jmtVerifyProof: why a SparseMerkleProof was refused. */
const PROOF_REASONS: Readonly<Record<number, string>> = {
  [-1]: 'truncated',
  [-2]: 'unknown format version',
  [-3]: 'invalid flags',
  [-4]: 'more than 256 siblings',
  [-5]: 'trailing bytes',
  [-6]: 'no leaf in a membership proof',
  [-7]: 'leaf is for another key',
  [-8]: 'value does not match the leaf',
  [-9]: 'the key exists (non-membership claimed)',
  [-10]: "the proof's leaf is not on the key's path",
  [-11]: 'root mismatch',
};

/** jmtVerifyRange (and chunkVerify's last step): why a range proof was refused. */
const RANGE_REASONS: Readonly<Record<number, string>> = {
  [-1]: 'truncated',
  [-2]: 'unknown format version',
  [-3]: 'unknown node tag',
  [-4]: 'trailing bytes',
  [-5]: 'lo is above hi',
  [-6]: 'chunk leaves are not strictly increasing',
  [-7]: 'a chunk leaf lies outside [lo, hi]',
  [-8]: 'an outside leaf is misplaced or inside [lo, hi]',
  [-9]: 'a chunk leaf lies in a node the proof says holds no chunk leaf',
  [-10]: 'a node the proof says holds one chunk leaf holds none',
  [-11]: 'chunk leaves left over',
  [-12]: 'root mismatch',
};

/** chunkDecode and chunkVerify: why a chunk file's layout was refused. */
const LAYOUT_REASONS: Readonly<Record<number, string>> = {
  [-101]: 'truncated: shorter than its header and length tables',
  [-102]: 'not a lightsnap chunk (bad magic bytes)',
  [-103]: 'declares more leaves than allowed',
  [-104]: 'has a key longer than allowed',
  [-105]: 'its key and value lengths do not add up to its size',
  [-106]: 'has an empty key',
};
/** chunkVerify: fewer leaves than the manifest says; the proof's digest is wrong. */
export const CHUNK_LEAF_COUNT = -107;
export const CHUNK_PROOF_DIGEST = -108;

const unknown = (status: number) => `status ${status} from the core`;

export const proofFailure = (status: number): string => PROOF_REASONS[status] ?? unknown(status);
export const rangeFailure = (status: number): string => RANGE_REASONS[status] ?? unknown(status);
/** Why a chunk's layout was refused, or undefined when `status` is not a layout status. */
export const layoutFailure = (status: number): string | undefined => LAYOUT_REASONS[status];

/** What a chunkVerify status means: which file is at fault, and why. */
export type ChunkVerdict =
  | { kind: 'ok' }
  | { kind: 'proof-digest' }
  | { kind: 'layout'; reason: string }
  | { kind: 'leaf-count' }
  | { kind: 'range'; reason: string };

export function chunkVerdict(status: number): ChunkVerdict {
  if (status === 0) return { kind: 'ok' };
  if (status === CHUNK_PROOF_DIGEST) return { kind: 'proof-digest' };
  if (status === CHUNK_LEAF_COUNT) return { kind: 'leaf-count' };
  const layout = layoutFailure(status);
  if (layout) return { kind: 'layout', reason: layout };
  return { kind: 'range', reason: rangeFailure(status) };
}
