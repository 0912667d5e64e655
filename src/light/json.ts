// Light blocks back to the JSON shape the CometBFT RPC writes (what decode.ts reads): for the
// light store, the devnet and evidence in errors.
import { toHexUpper } from '../hex.js';
import { formatTime } from './time.js';
import type { BlockId, Commit, Header, LightBlock, ValidatorSet } from './types.js';

const HEX = toHexUpper;

function base64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin);
}

function blockIdJson(id: BlockId) {
  return { hash: HEX(id.hash), parts: { total: id.partSetHeader.total, hash: HEX(id.partSetHeader.hash) } };
}

export function headerJson(h: Header) {
  return {
    version: { block: String(h.version.block), app: String(h.version.app) },
    chain_id: h.chainId,
    height: String(h.height),
    time: formatTime(h.time),
    last_block_id: blockIdJson(h.lastBlockId),
    last_commit_hash: HEX(h.lastCommitHash),
    data_hash: HEX(h.dataHash),
    validators_hash: HEX(h.validatorsHash),
    next_validators_hash: HEX(h.nextValidatorsHash),
    consensus_hash: HEX(h.consensusHash),
    app_hash: HEX(h.appHash),
    last_results_hash: HEX(h.lastResultsHash),
    evidence_hash: HEX(h.evidenceHash),
    proposer_address: HEX(h.proposerAddress),
  };
}

export function commitJson(c: Commit) {
  return {
    height: String(c.height),
    round: c.round,
    block_id: blockIdJson(c.blockId),
    signatures: c.signatures.map((s) => ({
      block_id_flag: s.blockIdFlag,
      validator_address: HEX(s.validatorAddress),
      timestamp: formatTime(s.timestamp),
      signature: s.signature.length ? base64(s.signature) : null,
    })),
  };
}

export function validatorSetJson(set: ValidatorSet) {
  return {
    validators: set.validators.map((v) => ({
      address: HEX(v.address),
      pub_key: { type: 'tendermint/PubKeyEd25519', value: base64(v.pubKey) },
      voting_power: String(v.votingPower),
      proposer_priority: '0',
    })),
  };
}

/** `{ signed_header, validator_set, next_validator_set }` as `decodeLightBlock` reads it. */
export function lightBlockJson(block: LightBlock) {
  return {
    signed_header: { header: headerJson(block.signedHeader.header), commit: commitJson(block.signedHeader.commit) },
    ...(block.validatorSet ? { validator_set: validatorSetJson(block.validatorSet) } : {}),
    ...(block.nextValidatorSet ? { next_validator_set: validatorSetJson(block.nextValidatorSet) } : {}),
  };
}
