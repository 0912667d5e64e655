// trustedRoot: the app hash of a verified header as a checkpoint root (JMT chains), or a store's
// root proven under it (Cosmos SDK chains); verifyCheckpoint takes it as it is.
import { describe, expect, it } from 'vitest';
import {
  LightClient, trustedRoot,
} from '../src/light/index.js';
import { appHash, storeProof } from '../src/merkle/index.js';
import { encodeCommitmentProof } from '../src/ics23/index.js';
import { verifyCheckpoint } from '../src/checkpoint/transfer.js';
import { InvalidArgument, ProofInvalid, RootMismatch } from '../src/errors.js';
import { sampleCheckpoint, samplePairs } from './checkpoint-fixtures.js';
import { chain, chainProvider, timeOf, validators } from './light-chain.js';
import { nobleVerifier } from './light-oracle.js';
import { fromHex, hex } from './helpers.js';

const vals = validators('root', 4);
const client = (c: ReturnType<typeof chain>) => LightClient.create({
  primary: chainProvider(c, 20), trust: { height: 1, hash: hex(c.hash(1)) },
  trustingPeriodMs: 3600_000, now: timeOf(20) + 1000, verifier: nobleVerifier,
});

describe('trustedRoot', () => {
  it('a JMT chain: the proven app hash is the checkpoint root verifyCheckpoint accepts', async () => {
    const sample = await sampleCheckpoint(samplePairs(300));
    const c = chain({ validatorsAt: () => vals, appHashAt: (h) => (h === 12 ? fromHex(sample.root) : new Uint8Array(32)) });
    const trusted = await trustedRoot(await client(c), 12);
    expect(trusted).toMatchObject({ root: sample.root, height: 12, appHash: sample.root });
    const result = await verifyCheckpoint({ sources: [sample.source], root: trusted });
    expect(result.manifest.root).toBe(sample.root);
    // Another height's app hash is not this checkpoint's root.
    const other = await trustedRoot(await client(c), 11);
    await expect(verifyCheckpoint({ sources: [sample.source], root: other })).rejects.toBeInstanceOf(RootMismatch);
  });

  it('a Cosmos SDK chain: a store root proven under the app hash; a wrong root or proof is refused', async () => {
    const stores = Object.fromEntries(['acc', 'bank', 'gov', 'ibc', 'staking'].map((n, i) => [n, new Uint8Array(32).fill(i + 1)]));
    const c = chain({ validatorsAt: () => vals, appHashAt: () => appHash(stores) });
    const lc = await client(c);
    const proof = encodeCommitmentProof(storeProof(stores, 'ibc'));
    const trusted = await trustedRoot(lc, 7, { name: 'ibc', root: stores.ibc, proof });
    expect(trusted).toMatchObject({ root: hex(stores.ibc), store: 'ibc', appHash: hex(appHash(stores)) });
    await expect(trustedRoot(lc, 7, { name: 'ibc', root: stores.bank, proof })).rejects.toBeInstanceOf(ProofInvalid);
    await expect(trustedRoot(lc, 7, { name: 'bank', root: stores.bank, proof })).rejects.toBeInstanceOf(ProofInvalid);
    await expect(trustedRoot(lc, 7)).resolves.toMatchObject({ root: hex(appHash(stores)) });
    const short = chain({ validatorsAt: () => vals, appHashAt: () => new Uint8Array(8) });
    await expect(trustedRoot(await client(short), 5)).rejects.toBeInstanceOf(InvalidArgument);
  });
});
