// The WASM core's exports: the ABI that src/core/ wraps. Every function takes pointers into
// the scratch region handed out by `reserve`.
export { reserve } from './memory';
export { sha256Into as sha256, initState as sha256Init, compressBlocks as sha256Compress, finishTail as sha256Finish } from './sha256';
export { hash64Batch as sha256Batch64, hashVarBatch as sha256BatchVar } from './sha256_batch';
export { chunkDecode } from './chunk';
export { chunkVerify } from './chunk_verify';
export { fastcdcCut, fastcdcCutRonomon, fastcdcSeed } from './fastcdc';
export {
  stateSize as jmtStateSize, workSize as jmtWorkSize, rootInit as jmtRootInit, rootFeed as jmtRootFeed,
  rootFinish as jmtRootFinish, rootErrorIndex as jmtRootErrorIndex, rootEventCount as jmtRootEventCount,
  leafHashes as jmtLeafHashes, internalHashes as jmtInternalHashes,
} from './jmt_root';
export {
  ics23VerifyMembership, ics23VerifyNonMembership, ics23CommitmentRoot, ics23Reason, ics23DecodeError, ics23DecodeErrorAt,
  ics23HashOp, ics23ApplyLeaf, ics23ApplyInner, ics23Calculate, ics23CheckAgainstSpec, ics23CheckLeaf, ics23EmptyBranches, ics23Decode,
} from './ics23';
export { verifyProof as jmtVerifyProof } from './jmt_proof';
export { verifyRange as jmtVerifyRange } from './jmt_range';
export { merkleRoot, merkleAunts, merkleVerify } from './merkle';
export { ed25519Verify, ed25519VerifyBatch, ed25519BatchWorkSize } from './ed25519';
