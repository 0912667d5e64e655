// Hex encoding for digests and keys; decoding reports the offending position.
import { InvalidArgument } from './errors.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]];
  return s;
}

/** Value of each hex digit's char code; -1 for any other character. */
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  DIGIT[i.toString(16).charCodeAt(0)] = i;
  DIGIT[i.toString(16).toUpperCase().charCodeAt(0)] = i;
}

/**
 * Decodes the hex digits of `hex` (even length, no prefix) into `out`; returns -1, or the
 * position of the first character that is not a hex digit.
 */
export function decodeHexInto(hex: string, out: Uint8Array): number {
  for (let i = 0; i < out.length; i++) {
    const a = hex.charCodeAt(2 * i);
    const b = hex.charCodeAt(2 * i + 1);
    const hi = a < 128 ? DIGIT[a] : -1;
    const lo = b < 128 ? DIGIT[b] : -1;
    if (hi < 0) return 2 * i;
    if (lo < 0) return 2 * i + 1;
    out[i] = (hi << 4) | lo;
  }
  return -1;
}

/** Decodes lowercase or uppercase hex (no prefix); `what` names the value in errors. */
export function fromHex(hex: string, what = 'hex string'): Uint8Array {
  if (hex.length % 2 !== 0) throw new InvalidArgument(`${what} has an odd number of hex digits (${hex.length})`);
  const out = new Uint8Array(hex.length / 2);
  const bad = decodeHexInto(hex, out);
  if (bad >= 0) throw new InvalidArgument(`${what} has a non-hex character at position ${bad}`);
  return out;
}

/** Upper-case hex, as CometBFT writes hashes in its RPC answers and logs. */
export function toHexUpper(bytes: Uint8Array): string {
  return toHex(bytes).toUpperCase();
}
