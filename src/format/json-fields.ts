// The checks every JSON manifest (manifest.json, stream.json) makes on untrusted bytes: a size
// bound before parsing, each field's type and range, and canonical bytes (so a manifest's id,
// the SHA-256 of its bytes, is well defined). Every failure is a ManifestInvalid naming the
// field and, where it applies, the chunk.
import { ManifestInvalid } from '../errors.js';
import { equalBytes } from '../bytes.js';

export function fail(message: string, chunk?: number): never {
  throw new ManifestInvalid(message, { chunk });
}

export function int(value: unknown, what: string, min: number, max: number, chunk?: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    fail(`${what} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`, chunk);
  }
  return value;
}

const HEX64 = /^[0-9a-f]{64}$/;

export function hex64(value: unknown, what: string, chunk?: number): string {
  if (typeof value !== 'string' || !HEX64.test(value)) fail(`${what} must be 64 lowercase hex digits`, chunk);
  return value;
}

export function object(value: unknown, what: string, chunk?: number): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} must be an object`, chunk);
  return value as Record<string, unknown>;
}

export function array(value: unknown, what: string, min: number, max: number): unknown[] {
  if (!Array.isArray(value) || value.length < min || value.length > max) fail(`${what} must be an array of ${min} to ${max} entries`);
  return value;
}

/**
 * Parses `bytes` as UTF-8 JSON (at most `maxBytes`), validates the value and accepts it only if
 * `encode` gives back exactly these bytes. `what` names the file in messages.
 */
export function parseCanonicalJson<T>(bytes: Uint8Array, what: string, maxBytes: number,
  validate: (value: unknown) => T, encode: (value: T) => Uint8Array): T {
  if (bytes.length > maxBytes) fail(`${what} is ${bytes.length} bytes, over the limit of ${maxBytes}`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    fail(`${what} is not valid UTF-8 JSON: ${(err as Error).message}`);
  }
  const parsed = validate(value);
  const canonical = encode(parsed);
  if (!equalBytes(canonical, bytes)) {
    fail(`${what} is not in canonical form (fields, order or whitespace differ from format 1)`);
  }
  return parsed;
}
