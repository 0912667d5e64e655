// Random leaf sets for the JMT tests: uniform key hashes, and key hashes forced to share long
// prefixes (so splits land deep and at every bit position).
import { hex, type rng } from './helpers.js';
import { refCompare, type RefLeaf } from './jmt-reference.js';

export type Rng = ReturnType<typeof rng>;

export function randomLeaves(r: Rng, n: number, sharedPrefixBytes = 0): RefLeaf[] {
  const prefix = r.bytes(32);
  const seen = new Set<string>();
  const leaves: RefLeaf[] = [];
  while (leaves.length < n) {
    const keyHash = r.bytes(32);
    const keep = sharedPrefixBytes > 0 ? r.int(sharedPrefixBytes + 1) : 0;
    keyHash.set(prefix.subarray(0, keep));
    if (keep < 32 && r.int(2) === 0) keyHash[keep] = (prefix[keep] & 0xf0) | (keyHash[keep] & 0x0f);
    const id = hex(keyHash);
    if (seen.has(id)) continue;
    seen.add(id);
    leaves.push({ keyHash, valueHash: r.bytes(32) });
  }
  return leaves.sort((a, b) => refCompare(a.keyHash, b.keyHash));
}

export function packLeaves(leaves: RefLeaf[]): Uint8Array {
  const out = new Uint8Array(leaves.length * 64);
  leaves.forEach((l, i) => {
    out.set(l.keyHash, i * 64);
    out.set(l.valueHash, i * 64 + 32);
  });
  return out;
}

/** Global fuzz scale: `JMT_FUZZ_ROUNDS` (Node) multiplies the campaign sizes; 1 by default. */
export function fuzzScale(): number {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return Math.max(1, Number(env?.JMT_FUZZ_ROUNDS ?? 1) || 1);
}
