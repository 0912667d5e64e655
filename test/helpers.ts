// Test helpers shared by the Node and browser projects: an independent SHA-256 oracle
// (WebCrypto, present in both), hex, and a seeded PRNG so failures can be replayed.

export async function oracleSha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data as BufferSource));
}

export function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** xorshift32: deterministic bytes for reproducible random tests. */
export function rng(seed: number): { next(): number; bytes(n: number): Uint8Array; int(max: number): number } {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
  return {
    next,
    int: (max) => next() % max,
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = next() & 0xff;
      return out;
    },
  };
}

/** The bytes of `parts` back to back. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** What the tests need of a manifest to find its files (docs/FORMAT.md, "Proof packs"). */
interface ManifestFiles {
  chunks: ReadonlyArray<{ digest: string; proof: string; proofSize: number }>;
  proofPacks?: readonly string[];
}

/** Every chunk and proof file of `m`, by the format's layout (written here independently of src/). */
export function manifestFiles(m: ManifestFiles): string[] {
  return [...m.chunks.map((c) => `chunks/${c.digest}`), ...(m.proofPacks ?? m.chunks.map((c) => c.proof)).map((d) => `proofs/${d}`)];
}

/**
 * Chunk `i`'s proof, read with `read` (a store's get, a source's fetch): its own file in format
 * version 1; in version 2 its slice of pack ⌊i / 256⌋, after the proofs of the chunks before it there.
 */
export async function proofBytes(read: (path: string) => Promise<Uint8Array | undefined>, m: ManifestFiles, i: number): Promise<Uint8Array> {
  if (!m.proofPacks) return (await read(`proofs/${m.chunks[i].proof}`))!;
  const first = i - (i % 256);
  const offset = m.chunks.slice(first, i).reduce((s, c) => s + c.proofSize, 0);
  const pack = (await read(`proofs/${m.proofPacks[Math.floor(i / 256)]}`))!;
  return pack.slice(offset, offset + m.chunks[i].proofSize);
}
