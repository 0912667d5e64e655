// lightsnap/light: a CometBFT light client (SPECS §11). Browser-safe.
export { verifyLightBlock, DEFAULT_TRUST_LEVEL, DEFAULT_CLOCK_DRIFT_MS, BLOCK_PROTOCOL, type VerifyOptions, type VerifyResult,
  type Verdict, type VerifyFailure, type TrustLevel, type TimeInput } from './verify.js';
export type { BatchVerifier, SignatureCheck } from './commit.js';
export { decodeLightBlock, decodeSignedHeader, decodeValidatorSet, MAX_VALIDATORS, MAX_CHAIN_ID_LENGTH } from './decode.js';
export type { LightBlock, SignedHeader, Header, Commit, CommitSig, Validator, ValidatorSet, BlockId } from './types.js';
export { BlockIdFlag } from './types.js';
export { LightBlockMalformed, LightVerificationFailed, TrustedHeaderExpired, ConflictingHeaders, ProviderUnavailable } from '../errors.js';
export { LightClient, type LightClientOptions, type LightClientEvent, type TrustRoot, type VerifiedHeader } from './client.js';
export type { Provider } from './provider.js';
export { rpcProvider, type RpcProvider, type RpcProviderOptions } from './rpc-provider.js';
export { trustedRoot, type TrustedRoot, type StoreRootProof } from './root.js';
