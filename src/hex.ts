// Hex encoding for digests and keys; decoding reports the offending position.
import { InvalidArgument } from './errors.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]];
  return s;
}

/** Decodes lowercase or uppercase hex (no prefix); `what` names the value in errors. */
export function fromHex(hex: string, what = 'hex string'): Uint8Array {
  if (hex.length % 2 !== 0) throw new InvalidArgument(`${what} has an odd number of hex digits (${hex.length})`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const byte = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    if (!/^[0-9a-fA-F]{2}$/.test(hex.slice(i * 2, i * 2 + 2))) {
      throw new InvalidArgument(`${what} has a non-hex character at position ${i * 2}`);
    }
    out[i] = byte;
  }
  return out;
}

/** Upper-case hex, as CometBFT writes hashes in its RPC answers and logs. */
export function toHexUpper(bytes: Uint8Array): string {
  return toHex(bytes).toUpperCase();
}
