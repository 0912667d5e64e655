// The state the create crash campaign writes (test/create-crash.node.test.ts and its child,
// test/fixtures/create-child.ts): pairs in random order, with overwrites and deletes.
import type { Pair } from '../src/tree/pairs.js';
import { rng } from './helpers.js';

const enc = new TextEncoder();

export function* statePairs(n: number, seed: number): Generator<Pair> {
  const r = rng(seed);
  for (let i = 0; i < n; i++) {
    const key = enc.encode(`key-${r.int(n)}`);
    yield { key, value: r.int(9) === 0 ? null : r.bytes(20 + r.int(120)) };
  }
}
