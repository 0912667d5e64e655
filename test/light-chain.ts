// Generated chains for light-client tests: DevChain (src/devnet) signing with @noble/curves
// keys from seeds, so the same chains are made in Node and in the browser.
import { ed25519 } from '@noble/curves/ed25519.js';
import { DevChain, type ChainSpec, type DevValidator } from '../src/devnet/chain.js';
import { parseTime } from '../src/light/time.js';
import { lightBlockJson } from '../src/light/json.js';

/** A validator whose key is derived from `name`. */
export function devValidator(name: string, votingPower: bigint | number = 10n): DevValidator {
  const seed = new Uint8Array(32);
  new TextEncoder().encodeInto(name.padEnd(32, '.'), seed);
  const pubKey = ed25519.getPublicKey(seed);
  return { pubKey, votingPower: BigInt(votingPower), sign: (message) => ed25519.sign(message, seed) };
}

export function validators(prefix: string, count: number, power: bigint | number = 10n): DevValidator[] {
  return Array.from({ length: count }, (_, i) => devValidator(`${prefix}-${i}`, power));
}

export const GENESIS = parseTime('2026-01-01T00:00:00Z')!;
/** Milliseconds since the epoch of a height's time in a chain started at GENESIS, one block a second. */
export const timeOf = (height: number) => Number(GENESIS / 1_000_000n) + (height - 1) * 1000;

export function chain(spec: Partial<ChainSpec> & Pick<ChainSpec, 'validatorsAt'>): DevChain {
  return new DevChain({ chainId: 'test-chain', genesisTime: GENESIS, ...spec });
}

/** A provider serving a DevChain up to `latest`, counting requests; `tamper` may replace an answer. */
export function chainProvider(c: DevChain, latest: number, name = 'chain', tamper?: (height: number, block: object) => unknown) {
  const asked: number[] = [];
  return {
    name,
    asked,
    async lightBlock(height: number) {
      const h = height === 0 ? latest : height;
      asked.push(h);
      if (h > latest) throw new Error(`height ${h} is not yet committed`);
      const block = lightBlockJson(c.lightBlock(h));
      return tamper ? tamper(h, block) : block;
    },
  };
}
