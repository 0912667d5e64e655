// The CometBFT RPC provider against the devnet's RPC answers (through a fetch double, so the
// same test runs in Node and the browser), and against hostile answers.
import { describe, expect, it } from 'vitest';
import {
  LightBlockMalformed, LightClient, ProviderUnavailable, rpcProvider,
} from '../src/light/index.js';
import { headerHash } from '../src/light/encoding.js';
import { devnetRpc } from '../src/devnet/rpc.js';
import { chain, timeOf, validators } from './light-chain.js';
import { nobleVerifier } from './light-oracle.js';
import { hex } from './helpers.js';

const seven = validators('rpc', 7);
const c = chain({ validatorsAt: (h) => (h < 20 ? seven : [...seven.slice(2), ...validators('rpc-b', 2)]) });
const answer = devnetRpc(c, () => 40);
type Rewrite = (url: URL, body: Record<string, any>) => unknown;

function serve(rewrite?: Rewrite): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    const a = answer(url);
    if (!a) return new Response('not found', { status: 404 });
    const body = rewrite && a.status === 200 ? JSON.stringify(rewrite(url, JSON.parse(a.body))) : a.body;
    return new Response(body, { status: a.status });
  }) as typeof fetch;
}
const provider = (rewrite?: Rewrite, extra = {}) => rpcProvider('http://rpc.test/', { fetch: serve(rewrite), perPage: 3, retries: 1, backoffMs: 1, ...extra });

describe('rpcProvider', () => {
  it('serves light blocks a LightClient verifies, paging through validators', async () => {
    const primary = provider();
    expect(await primary.status()).toEqual({ chainId: 'test-chain', latestHeight: 40 });
    const block = (await primary.lightBlock(25)) as { validator_set: { validators: unknown[] } };
    expect(block.validator_set.validators).toHaveLength(7);
    const client = await LightClient.create({
      primary, witnesses: [provider()], trust: { height: 1, hash: hex(headerHash(c.header(1))) },
      trustingPeriodMs: 3600_000, now: timeOf(40) + 1000, verifier: nobleVerifier,
    });
    const v = await client.verifyTo(0);
    expect(v.height).toBe(40);
    expect(v.hash).toBe(hex(c.hash(40)).toUpperCase());
  });

  it('a height the node does not have is ProviderUnavailable with the node\'s reason', async () => {
    const err: any = await provider().lightBlock(41).catch((e: any) => e);
    expect(err).toBeInstanceOf(ProviderUnavailable);
    expect(err.message).toMatch(/500/);
  });

  it('hostile answers are typed errors naming the endpoint', async () => {
    const cases: Array<[string, Rewrite]> = [
      ['another height', (url, b) => (url.pathname.endsWith('commit') ? { ...b, result: { ...b.result, signed_header: { ...b.result.signed_header, header: { ...b.result.signed_header.header, height: '24' } } } } : b)],
      ['validators of another height', (url, b) => (url.pathname.endsWith('validators') ? { ...b, result: { ...b.result, block_height: '3' } } : b)],
      ['a huge validator count', (url, b) => (url.pathname.endsWith('validators') ? { ...b, result: { ...b.result, total: '1000000' } } : b)],
      ['a total that changes between pages', (url, b) => (url.pathname.endsWith('validators') ? { ...b, result: { ...b.result, total: String(6 + Number(url.searchParams.get('page'))) } } : b)],
      ['an empty page', (url, b) => (url.pathname.endsWith('validators') ? { ...b, result: { ...b.result, validators: [] } } : b)],
      ['too many on a page', (url, b) => (url.pathname.endsWith('validators') ? { ...b, result: { ...b.result, validators: [...b.result.validators, ...b.result.validators] } } : b)],
      ['no result', () => ({ jsonrpc: '2.0', id: -1 })],
      ['not an object', () => 42],
    ];
    for (const [what, rewrite] of cases) {
      const err: any = await provider(rewrite).lightBlock(25).catch((e: any) => e);
      expect(err, what).toBeInstanceOf(LightBlockMalformed);
      expect(err.path, what).toMatch(/^http:\/\/rpc\.test\/(commit|validators)/);
    }
    const notJson = rpcProvider('http://rpc.test/', { fetch: (async () => new Response('<html>')) as typeof fetch });
    await expect(notJson.lightBlock(1)).rejects.toBeInstanceOf(LightBlockMalformed);
    const rpcError = rpcProvider('http://rpc.test/', { fetch: (async () => new Response(JSON.stringify({ error: { message: 'Internal error', data: 'pruned' } }))) as typeof fetch });
    await expect(rpcError.lightBlock(1)).rejects.toThrow(/pruned/);
    const huge = provider(undefined, { maxResponseBytes: 1000 });
    await expect(huge.lightBlock(25)).rejects.toBeInstanceOf(ProviderUnavailable);
  });
});
