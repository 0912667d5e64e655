// ed25519 test cases and their expected verdicts, the oracle being @noble/curves
// `ed25519.verify` (ZIP-215 rules by default). Signatures are made here from secret scalars, so
// cases can mix small-order (torsion) components into A and R, which only cofactored
// verification accepts, besides bit flips, s ≥ ℓ and non-canonical encodings.
import { ed25519 as noble } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concat, fromHex, rng } from './helpers.js';
import zip215 from './vectors/ed25519/zip215.json';

export interface Case {
  kind: string;
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
  /** noble's verdict. */
  valid: boolean;
}

const Point = noble.Point;
const L = Point.Fn.ORDER;
const P = Point.Fp.ORDER;

const le = (x: bigint, n = 32) => Uint8Array.from({ length: n }, (_, i) => Number((x >> BigInt(8 * i)) & 255n));
const fromLe = (b: Uint8Array) => b.reduceRight((x, v) => (x << 8n) | BigInt(v), 0n);

export function oracle(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  return noble.verify(signature, message, publicKey);
}

/** The small-order points, from the ZIP-215 vectors' keys (which include non-canonical encodings). */
const smallOrderEncodings = [...new Set(zip215.map((c) => c.vk_bytes))].map(fromHex);
const torsion = smallOrderEncodings.map((b) => Point.fromBytes(b, true));

/** Encodings with y ≥ p (y + p for the few y < 19 that are on the curve), either sign. */
export const nonCanonicalEncodings: Uint8Array[] = [];
for (let y = 0n; y < 19n; y++) {
  for (const sign of [0n, 1n]) {
    const enc = le(y + P + (sign << 255n));
    try {
      Point.fromBytes(enc, true);
      nonCanonicalEncodings.push(enc);
    } catch { /* y is no curve point's coordinate */ }
  }
}

function flipBit(b: Uint8Array, r: ReturnType<typeof rng>): Uint8Array {
  const out = b.slice();
  if (out.length) out[r.int(out.length)] ^= 1 << r.int(8);
  return out;
}

/** `count` seeded cases: a valid signature (sometimes with torsion in A or R) and its mutations. */
export function makeCases(seed: number, count: number): Case[] {
  const r = rng(seed);
  const out: Case[] = [];
  const push = (kind: string, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => {
    if (out.length < count) out.push({ kind, publicKey, message, signature, valid: oracle(publicKey, message, signature) });
  };
  while (out.length < count) {
    const { scalar: a, point: A } = noble.utils.getExtendedPublicKey(r.bytes(32));
    const message = r.bytes(r.int(3) === 0 ? r.int(300) : 110);
    const nonce = fromLe(r.bytes(64)) % L;
    const withTorsion = r.int(4);
    const Rp = Point.BASE.multiply(nonce).add(withTorsion === 1 ? torsion[r.int(torsion.length)] : Point.ZERO);
    const Ap = withTorsion === 2 ? A.add(torsion[r.int(torsion.length)]) : A;
    const R = Rp.toBytes();
    const publicKey = Ap.toBytes();
    const k = fromLe(sha512(concat(R, publicKey, message))) % L;
    const s = (nonce + k * a) % L;
    const signature = concat(R, le(s));
    const kind = ['plain', 'torsion in R', 'torsion in A', 'plain'][withTorsion];
    push(`valid (${kind})`, publicKey, message, signature);
    push('message bit flipped', publicKey, flipBit(message, r), signature);
    push('key bit flipped', flipBit(publicKey, r), message, signature);
    push('R bit flipped', publicKey, message, concat(flipBit(R, r), le(s)));
    push('s bit flipped', publicKey, message, concat(R, flipBit(le(s), r)));
    push('s + ℓ', publicKey, message, concat(R, le(s + L)));
    push('s = ℓ', publicKey, message, concat(R, le(L)));
    push('s = 2^256 - 1', publicKey, message, concat(R, le(2n ** 256n - 1n)));
    push('small-order key', smallOrderEncodings[r.int(smallOrderEncodings.length)], message, signature);
    push('small-order R', publicKey, message, concat(smallOrderEncodings[r.int(smallOrderEncodings.length)], le(s)));
    push('non-canonical key', nonCanonicalEncodings[r.int(nonCanonicalEncodings.length)], message, signature);
    push('non-canonical R', publicKey, message, concat(nonCanonicalEncodings[r.int(nonCanonicalEncodings.length)], le(s)));
    push('random key', r.bytes(32), message, signature);
    push('random R', publicKey, message, concat(r.bytes(32), le(s)));
  }
  return out;
}
