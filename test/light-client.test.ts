// LightClient on generated chains: skipping and sequential verification, backwards through
// LastBlockID, the light store and its pruning, witnesses (agreeing, unresponsive, lying,
// forked) and a primary that lies at a pivot.
import { describe, expect, it } from 'vitest';
import {
  ConflictingHeaders, LightClient, LightVerificationFailed, ProviderUnavailable, TrustedHeaderExpired, type LightClientOptions,
} from '../src/light/index.js';
import { headerHash } from '../src/light/encoding.js';
import { decodeLightBlock } from '../src/light/decode.js';
import { memoryStore } from '../src/store/memory.js';
import { chain, chainProvider, timeOf, validators } from './light-chain.js';
import { nobleVerifier } from './light-oracle.js';
import { hex } from './helpers.js';

const sets = Array.from({ length: 5 }, (_, epoch) => validators(`epoch${epoch}`, 4));
// A validator set that changes every 10 heights, fully (no overlap between epochs).
const swapping = chain({ validatorsAt: (h) => sets[Math.min(4, Math.floor((h - 1) / 10))] });
const stable4 = validators('s', 4);
const fork = (from: number) => chain({
  validatorsAt: () => stable4,
  appHashAt: (h) => (h >= from ? new Uint8Array(32).fill(0xee) : new Uint8Array(32)),
});
const stable = fork(Infinity);
const hashOf = (c: ReturnType<typeof chain>, h: number) => hex(headerHash(c.lightBlock(h).signedHeader.header)).toUpperCase();

function options(extra: Partial<LightClientOptions> & Pick<LightClientOptions, 'primary'>): LightClientOptions {
  return {
    trust: { height: 1, hash: hashOf(stable, 1) },
    trustingPeriodMs: 3600_000, now: timeOf(60) + 1000, verifier: nobleVerifier, ...extra,
  };
}

describe('LightClient', () => {
  it('skips to a far header when the validators stay; sequential verification reaches the same header', async () => {
    const primary = chainProvider(stable, 50);
    const client = await LightClient.create(options({ primary }));
    const v = await client.verifyTo(50);
    expect(v).toMatchObject({ height: 50, hash: hashOf(stable, 50) });
    expect(primary.asked).toEqual([1, 50]);
    const seq = await LightClient.create(options({ primary: chainProvider(stable, 50), sequential: true }));
    expect((await seq.verifyTo(50)).hash).toBe(v.hash);
  });

  it('bisects across full validator swaps (pivot at 9/16), storing the trace', async () => {
    const primary = chainProvider(swapping, 45);
    const store = memoryStore();
    const client = await LightClient.create(options({ primary, store, trust: { height: 1, hash: hashOf(swapping, 1) } }));
    expect((await client.verifyTo(45)).hash).toBe(hashOf(swapping, 45));
    // 1 + (45 - 1) * 9 / 16 = 25, then toward 25 from 1: 14, then 8, …; every fetched header was needed.
    expect(primary.asked.slice(0, 4)).toEqual([1, 45, 25, 14]);
    const stored = (await store.keys('light/')).map((k) => Number(k.slice(6))).sort((a, b) => a - b);
    expect(stored[0]).toBe(1);
    expect(stored.at(-1)).toBe(45);
    // Each epoch is trusted through the next validators of a header of the epoch before, so
    // every epoch has a stored header; far fewer than the 45 heights were fetched.
    for (const epoch of [0, 1, 2, 3, 4]) expect(stored.some((h) => Math.floor((h - 1) / 10) === epoch), `epoch ${epoch}`).toBe(true);
    expect(new Set(primary.asked).size).toBe(primary.asked.length);
    expect(primary.asked.length).toBeLessThan(20);
  });

  it('a target signed by under 2/3 fails, naming its height', async () => {
    const weak = chain({ validatorsAt: () => stable4, voteAt: (h, _v, i) => (h === 30 && i >= 2 ? 'absent' : 'commit') });
    const client = await LightClient.create(options({ primary: chainProvider(weak, 50), trust: { height: 1, hash: hashOf(weak, 1) } }));
    const err = await client.verifyTo(30).catch((e: any) => e);
    expect(err).toBeInstanceOf(LightVerificationFailed);
    expect(err).toMatchObject({ height: 30, source: 'chain' });
    expect(err.reason).toMatch(/signed 20 of 40/);
  });

  it('a primary that lies at a pivot fails the bisection, naming that height', async () => {
    const liar = chainProvider(swapping, 45, 'liar', (h, block) => (h === 25 ? { ...block, signed_header: { ...(block as any).signed_header,
      header: { ...(block as any).signed_header.header, app_hash: 'FF'.repeat(32) } } } : block));
    const client = await LightClient.create(options({ primary: liar, trust: { height: 1, hash: hashOf(swapping, 1) } }));
    await expect(client.verifyTo(45)).rejects.toMatchObject({ name: 'LightVerificationFailed', height: 25, source: 'liar' });
  });

  it('an expired trust root is refused; a header that expires before the next call too', async () => {
    await expect(LightClient.create(options({ primary: chainProvider(stable, 50), now: timeOf(1) + 3600_000 })))
      .rejects.toBeInstanceOf(TrustedHeaderExpired);
    let now = timeOf(50);
    const client = await LightClient.create(options({ primary: chainProvider(stable, 50), now: () => now }));
    now = timeOf(1) + 3600_000 + 1;
    await expect(client.verifyTo(40)).rejects.toBeInstanceOf(TrustedHeaderExpired);
  });

  it('a wrong trusted hash is refused', async () => {
    await expect(LightClient.create(options({ primary: chainProvider(stable, 50), trust: { height: 2, hash: hashOf(stable, 3) } })))
      .rejects.toMatchObject({ name: 'LightVerificationFailed', height: 2 });
  });

  it('verifies backwards through LastBlockID hashes, and catches a header that is not the parent', async () => {
    const client = await LightClient.create(options({ primary: chainProvider(stable, 50), trust: { height: 40, hash: hashOf(stable, 40) } }));
    expect((await client.verifyTo(33)).hash).toBe(hashOf(stable, 33));
    const other = fork(30);
    const liar = chainProvider(stable, 50, 'liar', (h, block) => (h === 35 ? chainProvider(other, 50).lightBlock(35) : block));
    const c2 = await LightClient.create(options({ primary: liar, trust: { height: 40, hash: hashOf(stable, 40) } }));
    // 36 is checked against 37 (fine), 35 against 36's LastBlockID: the fork's 35 is not it.
    await expect(c2.verifyTo(33)).rejects.toMatchObject({ name: 'LightVerificationFailed', height: 35 });
  });

  it('prunes the store to pruningSize blocks', async () => {
    const store = memoryStore();
    const client = await LightClient.create(options({ primary: chainProvider(stable, 50), store, pruningSize: 3, sequential: true }));
    await client.verifyTo(10);
    expect((await store.keys('light/')).length).toBe(3);
    expect((await client.latestTrusted())!.height).toBe(10);
  });

  describe('witnesses', () => {
    it('agreeing witnesses are asked for every verified header', async () => {
      const w = chainProvider(stable, 50, 'w');
      const client = await LightClient.create(options({ primary: chainProvider(stable, 50), witnesses: [w] }));
      await client.verifyTo(50);
      expect(w.asked).toEqual([1, 50]);
      expect(client.droppedWitnesses).toEqual([]);
    });

    it('an unresponsive witness is dropped and named; with none left the client stops', async () => {
      const down = { name: 'http://down.example/', lightBlock: async () => { throw new ProviderUnavailable('http://down.example/', 'timed out'); } };
      const events: unknown[] = [];
      const client = await LightClient.create(options({ primary: chainProvider(stable, 50), witnesses: [chainProvider(stable, 50, 'w'), down], onEvent: (e) => events.push(e) }));
      expect(client.droppedWitnesses).toEqual([{ witness: 'http://down.example/', reason: 'http://down.example/: timed out' }]);
      expect(events).toContainEqual({ type: 'witness-dropped', witness: 'http://down.example/', reason: 'http://down.example/: timed out' });
      await client.verifyTo(20);
      const lonely = await LightClient.create(options({ primary: chainProvider(stable, 50), witnesses: [chainProvider(stable, 5, 'short')] }));
      await expect(lonely.verifyTo(20)).rejects.toBeInstanceOf(ProviderUnavailable);
      expect(lonely.droppedWitnesses[0].witness).toBe('short');
    });

    it('a witness serving a header altered after signing is dropped, not believed', async () => {
      const altered = chainProvider(stable, 50, 'altered', (h, block) => (h === 50 ? { ...block, signed_header: { ...(block as any).signed_header,
        header: { ...(block as any).signed_header.header, app_hash: 'AB'.repeat(32) } } } : block));
      const client = await LightClient.create(options({ primary: chainProvider(stable, 50), witnesses: [altered, chainProvider(stable, 50, 'honest')] }));
      expect((await client.verifyTo(50)).hash).toBe(hashOf(stable, 50));
      expect(client.droppedWitnesses.map((d) => d.witness)).toEqual(['altered']);
      expect(client.droppedWitnesses[0].reason).toMatch(/height 50/);
    });

    it('a witness serving a validly signed fork stops the client with both headers', async () => {
      const forked = fork(30);
      const client = await LightClient.create(options({ primary: chainProvider(stable, 50), witnesses: [chainProvider(forked, 50, 'forked')] }));
      const err = await client.verifyTo(50).catch((e: any) => e);
      expect(err).toBeInstanceOf(ConflictingHeaders);
      expect(err.height).toBe(50);
      expect(err.primary).toMatchObject({ source: 'chain', hash: hashOf(stable, 50) });
      expect(err.witness).toMatchObject({ source: 'forked', hash: hashOf(forked, 50) });
      // The evidence is the two light blocks themselves.
      expect(hex(headerHash(decodeLightBlock(err.witness.lightBlock).signedHeader.header)).toUpperCase()).toBe(hashOf(forked, 50));
      expect(err.primary.lightBlock.signed_header.header.app_hash).not.toBe(err.witness.lightBlock.signed_header.header.app_hash);
      expect((await client.latestTrusted())!.height).toBe(1);
    });
  });

  it('options are checked', async () => {
    await expect(LightClient.create({ ...options({ primary: chainProvider(stable, 5) }), primary: {} as never })).rejects.toThrow(/primary/);
    const client = await LightClient.create(options({ primary: chainProvider(stable, 5) }));
    await expect(client.verifyTo(-1)).rejects.toThrow(/height/);
  });
});
