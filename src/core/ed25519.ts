// ed25519 signature verification with CometBFT's rules (ZIP-215: curve25519-voi
// VerifyOptionsZIP_215), one at a time or many at once. The rules live in assembly/ed25519.ts.
import { assertBytes } from '../assert.js';
import { InvalidArgument } from '../errors.js';
import { backend } from './load.js';
import type { Ed25519Item } from './ed25519-core.js';

export type { Ed25519Item };

/** Most signatures handed to the core in one batch call (bounds its work area, ~3 KiB each). */
const MAX_CALL_ITEMS = 256;
/** Most message bytes copied into the core's memory for one batch call. */
const MAX_CALL_MESSAGE_BYTES = 1 << 20;
/** Longest message accepted: it is copied whole into the core's memory. */
export const MAX_ED25519_MESSAGE_BYTES = 64 << 20;
/** A group this small that fails as a batch is settled one signature at a time. */
const INDIVIDUAL_BELOW = 8;

function checkItem(publicKey: unknown, message: unknown, signature: unknown, where: string): void {
  assertBytes(publicKey, `${where}publicKey`);
  assertBytes(message, `${where}message`, MAX_ED25519_MESSAGE_BYTES);
  assertBytes(signature, `${where}signature`);
  if (publicKey.length !== 32) throw new InvalidArgument(`${where}publicKey must be 32 bytes, got ${publicKey.length}`);
  if (signature.length !== 64) throw new InvalidArgument(`${where}signature must be 64 bytes, got ${signature.length}`);
}

/**
 * Whether `signature` is a valid ed25519 signature of `message` by `publicKey` under ZIP-215:
 * A and R must decode (non-canonical encodings allowed), s < ℓ, and [8][s]B = [8]R + [8][k]A.
 * A bad signature is `false`; only arguments of the wrong type or length (a message over
 * MAX_ED25519_MESSAGE_BYTES included) throw InvalidArgument.
 */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  checkItem(publicKey, message, signature, '');
  return backend().ed25519.verify(publicKey, message, signature);
}

/**
 * Verifies many signatures; verdict i is exactly `ed25519Verify` of item i. All are first
 * checked together as one random linear combination (coefficients from
 * `crypto.getRandomValues`, unknown to whoever made the signatures), which costs much less than
 * one check each. A failing group is halved and its halves checked the same way, so one bad
 * signature among many costs a few extra group checks rather than a check of every signature;
 * when both halves fail, or the group is small, each is checked on its own.
 */
export function ed25519VerifyBatch(items: ReadonlyArray<Ed25519Item>): boolean[] {
  if (!Array.isArray(items)) throw new InvalidArgument('items must be an array of { publicKey, message, signature }');
  items.forEach((it, i) => {
    if (it == null || typeof it !== 'object') throw new InvalidArgument(`items[${i}] must be { publicKey, message, signature }`);
    checkItem(it.publicKey, it.message, it.signature, `items[${i}].`);
  });
  const core = backend().ed25519;
  const verdicts = new Array<boolean>(items.length).fill(false);
  const one = (i: number) => { verdicts[i] = core.verify(items[i].publicKey, items[i].message, items[i].signature); };
  const together = (from: number, to: number): boolean => {
    for (let at = from, end = from; at < to; at = end) {
      // Up to MAX_CALL_ITEMS signatures whose messages fit MAX_CALL_MESSAGE_BYTES (at least one).
      let bytes = items[at].message.length;
      end = at + 1;
      while (end < to && end - at < MAX_CALL_ITEMS && bytes + items[end].message.length <= MAX_CALL_MESSAGE_BYTES) {
        bytes += items[end++].message.length;
      }
      const coeffs = crypto.getRandomValues(new Uint8Array(16 * (end - at)));
      if (!core.verifyBatch(items.slice(at, end), coeffs)) return false;
    }
    verdicts.fill(true, from, to);
    return true;
  };
  /** Settles [from, to), known to hold at least one bad signature. */
  const settle = (from: number, to: number): void => {
    if (to - from < INDIVIDUAL_BELOW) {
      for (let i = from; i < to; i++) one(i);
      return;
    }
    const mid = (from + to) >>> 1;
    const leftOk = together(from, mid);
    if (!together(mid, to)) {
      if (leftOk) settle(mid, to);
      else for (let i = from; i < to; i++) one(i);
    } else if (!leftOk) settle(from, mid);
  };
  if (items.length > 0 && !together(0, items.length)) settle(0, items.length);
  return verdicts;
}
