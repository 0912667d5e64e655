// The key space of the tree: key hashes as 256-bit big-endian integers. Chunk intervals tile
// it: lo₀ = MIN_KEY_HASH, loᵢ₊₁ = nextKeyHash(hiᵢ), the last hi = MAX_KEY_HASH.
import { assertBytes } from '../../assert.js';
import { InvalidArgument } from '../../errors.js';

/** The first and last key hash of the key space. */
export const MIN_KEY_HASH: Uint8Array = new Uint8Array(32);
export const MAX_KEY_HASH: Uint8Array = new Uint8Array(32).fill(0xff);

/** The key hash plus one; InvalidArgument for MAX_KEY_HASH, which has no successor. */
export function nextKeyHash(keyHash: Uint8Array): Uint8Array {
  assertBytes(keyHash, 'keyHash');
  if (keyHash.length !== 32) throw new InvalidArgument(`keyHash must be 32 bytes, got ${keyHash.length}`);
  const out = keyHash.slice();
  for (let i = out.length - 1; i >= 0; i--) {
    out[i] = (out[i] + 1) & 0xff;
    if (out[i] !== 0) return out;
  }
  throw new InvalidArgument('no key hash follows ff…ff');
}

/** A key hash as a 256-bit integer, for interval arithmetic. */
export const keyHashToBig = (h: Uint8Array): bigint => BigInt('0x' + Array.from(h, (b) => b.toString(16).padStart(2, '0')).join(''));
