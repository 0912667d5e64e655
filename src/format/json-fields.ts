// The checks every JSON file lightsnap reads (manifest.json, stream.json, changeset.json,
// migration.json) makes on untrusted bytes: a size bound before parsing, nesting bounded before
// parsing, each field's type and range, and canonical bytes (so a file's id, the SHA-256 of its
// bytes, is well defined). Each file turns a failure into its own typed error through a
// `Reject`; manifests' is ManifestInvalid naming the field and, where it applies, the chunk.
import { ManifestInvalid } from '../errors.js';
import { equalBytes } from '../bytes.js';

/** Throws the caller's typed error for `why`; `item` is the index of the entry at fault, if any. */
export type Reject = (why: string, item?: number) => never;

export function fail(message: string, chunk?: number): never {
  throw new ManifestInvalid(message, { chunk });
}

/** A short description of an untrusted JSON value for a message: never the whole of a large one. */
export function preview(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length} entries`;
  if (value !== null && typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 70 ? `${value.slice(0, 70)}…` : value);
  return String(value);
}

/** Deepest nesting of arrays and objects accepted in a JSON file (format 1's files need 3). */
export const MAX_JSON_DEPTH = 16;

/** How deep `text` nests arrays and objects, counting no further than `limit` + 1. */
function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length && deepest <= limit; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/**
 * The value of untrusted UTF-8 JSON bytes. Nesting deeper than MAX_JSON_DEPTH is refused before
 * parsing: what works on the value afterwards (checks, messages, re-encoding) may recurse.
 * `reject` turns a reason into the caller's typed error.
 */
export function parseJsonBytes(bytes: Uint8Array, what: string, reject: (why: string) => never = fail): unknown {
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    reject(`${what} is not valid UTF-8`);
  }
  if (nestingDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) reject(`${what} nests arrays and objects more than ${MAX_JSON_DEPTH} deep`);
  try {
    return JSON.parse(text);
  } catch (err) {
    return reject(`${what} is not valid JSON: ${(err as Error).message}`);
  }
}

export const HEX64 = /^[0-9a-f]{64}$/;

/** The field checks, each failing through `reject`. */
export function jsonFields(reject: Reject) {
  return {
    int(value: unknown, what: string, min: number, max: number, item?: number): number {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
        reject(`${what} must be an integer from ${min} to ${max}, got ${preview(value)}`, item);
      }
      return value as number;
    },
    hex64(value: unknown, what: string, item?: number): string {
      if (typeof value !== 'string' || !HEX64.test(value)) reject(`${what} must be 64 lowercase hex digits`, item);
      return value as string;
    },
    /** A root that may be left unstated. */
    hex64OrNull(value: unknown, what: string, item?: number): string | null {
      if (value !== null && (typeof value !== 'string' || !HEX64.test(value))) reject(`${what} must be 64 lowercase hex digits or null`, item);
      return value as string | null;
    },
    object(value: unknown, what: string, item?: number): Record<string, unknown> {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) reject(`${what} must be an object`, item);
      return value as Record<string, unknown>;
    },
    array(value: unknown, what: string, min: number, max: number): unknown[] {
      if (!Array.isArray(value) || value.length < min || value.length > max) reject(`${what} must be an array of ${min} to ${max} entries`);
      return value as unknown[];
    },
  };
}

/** The manifests' field checks (ManifestInvalid). */
export const { int, hex64, object, array } = jsonFields(fail);

/**
 * Parses `bytes` as UTF-8 JSON (at most `maxBytes`), validates the value and accepts it only if
 * `encode` gives back exactly these bytes. `what` names the file in messages.
 */
export function parseCanonicalJson<T>(bytes: Uint8Array, what: string, maxBytes: number,
  validate: (value: unknown) => T, encode: (value: T) => Uint8Array, reject: Reject = fail): T {
  if (bytes.length > maxBytes) reject(`${what} is ${bytes.length} bytes, over the limit of ${maxBytes}`);
  const parsed = validate(parseJsonBytes(bytes, what, reject));
  const canonical = encode(parsed);
  if (!equalBytes(canonical, bytes)) {
    reject(`${what} is not in canonical form (fields, order or whitespace differ from format 1)`);
  }
  return parsed;
}
