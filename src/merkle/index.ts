// CometBFT simple Merkle trees, the Cosmos app hash and multistore (abci_query) proofs.
export { merkleRoot, merkleProof, verifyMerkleProof, MAX_AUNTS, type MerkleProof } from './tree.js';
export { appHash, storeLeaf, storeProof, type StoreRoots } from './app-hash.js';
export {
  verifyMultistoreProof, checkMultistoreProof, type ProofOp, type MultistoreVerdict, type MultistoreReason,
} from './multistore.js';
