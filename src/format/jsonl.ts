// State as JSON lines: one `{"key": K, "value": V}` per line, where a string starting with
// `0x` is hex bytes and any other string is UTF-8 text; `"value": null` deletes the key; a
// later line for a key overrides an earlier one. Read as a stream; every error names its line.
import { JsonLinesError } from '../errors.js';
import { decodeHexInto } from '../hex.js';
import { MAX_KEY_LENGTH } from './chunk.js';
import type { Pair } from '../tree/pairs.js';
import { assertBytes, assertIterable, assertString } from '../assert.js';

/** Longest line accepted: bounds memory on input without newlines. */
export const MAX_LINE_BYTES = 64 << 20;

const utf8 = new TextEncoder();

/** Decodes a key or value string: `0x…` is hex, anything else UTF-8. */
export function decodeBytesString(s: string, what: string, line = 0): Uint8Array {
  assertString(s, 'the string');
  if (!s.startsWith('0x')) return utf8.encode(s);
  const digits = s.slice(2);
  const out = new Uint8Array(digits.length >>> 1);
  if (digits.length % 2 !== 0 || decodeHexInto(digits, out) >= 0) {
    throw new JsonLinesError(line, `${what} starts with 0x but is not whole bytes of hex`);
  }
  return out;
}

/** Parses one line (1-based `line` for errors). Blank lines yield undefined. */
export function parseLine(text: string, line: number): Pair | undefined {
  assertString(text, 'text');
  if (text.trim() === '') return undefined;
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    throw new JsonLinesError(line, `not valid JSON (${(err as Error).message})`);
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new JsonLinesError(line, 'expected an object {"key": …, "value": …}');
  const { key, value } = obj as Record<string, unknown>;
  if (typeof key !== 'string') throw new JsonLinesError(line, '"key" must be a string');
  if (key === '' || key === '0x') throw new JsonLinesError(line, '"key" must not be empty');
  if (value !== null && typeof value !== 'string') throw new JsonLinesError(line, '"value" must be a string or null');
  const keyBytes = decodeBytesString(key, '"key"', line);
  // The limit of every checkpoint (docs/FORMAT.md): a state `root` accepts, `create` must too.
  if (keyBytes.length > MAX_KEY_LENGTH) throw new JsonLinesError(line, `"key" is ${keyBytes.length} bytes; keys must be 1 to ${MAX_KEY_LENGTH} bytes`);
  return { key: keyBytes, value: value === null ? null : decodeBytesString(value, '"value"', line) };
}

/** Reads JSON lines from a byte stream, yielding each pair in order. */
export async function* readJsonLines(input: AsyncIterable<Uint8Array>): AsyncGenerator<Pair> {
  assertIterable(input, 'input', false);
  // Lines are cut from the bytes and each is decoded alone, so an error names its own line.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 0;
  const take = (bytes: Uint8Array) => {
    line++;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      throw new JsonLinesError(line, 'not valid UTF-8');
    }
    return parseLine(text, line);
  };
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const joined = (tail: Uint8Array) => {
    if (pending.length === 0) return tail;
    const out = new Uint8Array(pendingBytes + tail.length);
    let pos = 0;
    for (const p of pending) { out.set(p, pos); pos += p.length; }
    out.set(tail, pos);
    pending = [];
    pendingBytes = 0;
    return out;
  };
  for await (const piece of input) {
    assertBytes(piece, 'a piece of the input');
    let start = 0;
    let nl: number;
    while ((nl = piece.indexOf(0x0a, start)) >= 0) {
      const pair = take(joined(piece.subarray(start, nl)));
      start = nl + 1;
      if (pair) yield pair;
    }
    if (start < piece.length) {
      pending.push(piece.slice(start));
      pendingBytes += piece.length - start;
    }
    if (pendingBytes > MAX_LINE_BYTES) throw new JsonLinesError(line + 1, `longer than ${MAX_LINE_BYTES} bytes`);
  }
  const last = take(joined(new Uint8Array(0)));
  if (last) yield last;
}
