// Wrapper of the core's chunk decoder (assembly/chunk.ts): one copy of the chunk into scratch,
// one call that checks its layout and hashes every key and value.
import type { Backend } from './backend.js';

/** Why the core refused a chunk's layout, by its status code. */
const LAYOUT_ERRORS: Record<number, string> = {
  [-1]: 'truncated: shorter than its header and length tables',
  [-2]: 'not a lightsnap chunk (bad magic bytes)',
  [-3]: 'declares more leaves than allowed',
  [-4]: 'has a key longer than allowed',
  [-5]: 'its key and value lengths do not add up to its size',
  [-6]: 'has an empty key',
};

export interface LeafHashes {
  count: number;
  /** SHA-256 of each key, 32 bytes per leaf. */
  keyHashes: Uint8Array;
  /** SHA-256 of each value, 32 bytes per leaf. */
  valueHashes: Uint8Array;
}

export interface ChunkLimits {
  maxLeaves: number;
  maxKeyLength: number;
}

/** Decodes a chunk file and hashes its keys and values; returns a reason string if malformed. */
export function chunkLeafHashes(b: Backend, chunk: Uint8Array, limits: ChunkLimits): LeafHashes | string {
  const align = (n: number) => (n + 15) & ~15;
  // Every leaf takes at least 9 bytes (two lengths and a non-empty key): no need for more room.
  limits = { ...limits, maxLeaves: Math.min(limits.maxLeaves, Math.floor(Math.max(0, chunk.length - 8) / 9)) };
  const work = align(chunk.length);
  const workBytes = align(2 * (limits.maxLeaves + 1) * 4 + 8);
  const hashesBytes = limits.maxLeaves * 32;
  const base = b.scratch.ensure(work + workBytes + 2 * hashesBytes);
  b.scratch.view(base, chunk.length).set(chunk);
  const kh = base + work + workBytes;
  const vh = kh + hashesBytes;
  const n = b.core.chunkLeafHashes(base, chunk.length, limits.maxLeaves, limits.maxKeyLength, base + work, kh, vh);
  if (n < 0) return LAYOUT_ERRORS[n] ?? `rejected by the core (status ${n})`;
  return { count: n, keyHashes: b.scratch.view(kh, n * 32).slice(), valueHashes: b.scratch.view(vh, n * 32).slice() };
}
