// The built-in sample state of `lightsnap demo` and `lightsnap devnet`.
import type { Pair } from '../tree/pairs.js';

const enc = new TextEncoder();

/** A deterministic sample state: account balances and some contract storage. */
export function sampleState(n: number): Pair[] {
  let x = 0x9e3779b9;
  const next = () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x >>> 0; };
  return Array.from({ length: n }, (_, i) => {
    const value = new Uint8Array(40 + (next() % 120));
    for (let j = 0; j < value.length; j++) value[j] = next() & 0xff;
    const key = i % 4 === 0 ? `contract/${i.toString(16).padStart(6, '0')}/storage` : `account/${i.toString().padStart(7, '0')}/balance`;
    return { key: enc.encode(key), value };
  });
}
