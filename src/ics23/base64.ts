// Base64 for the bytes fields of ICS23 JSON objects (protobufjs's `bytes: String` form).
import { InvalidArgument } from '../errors.js';

/** Standard base64 (URL-safe letters accepted, padding optional), as protobufjs reads it. */
export function fromBase64(s: string, where: string): Uint8Array {
  let bin: string;
  try {
    bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    throw new InvalidArgument(`${where}: not valid base64`);
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Standard base64 with padding. */
export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
