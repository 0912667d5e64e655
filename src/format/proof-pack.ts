// Where each chunk's range proof lives (docs/FORMAT.md, "Proof packs"). Format version 1 keeps
// one file per proof; version 2 packs the proofs of every PROOFS_PER_PACK consecutive chunks into
// one file, because every proof changes with the root: a checkpoint updated per height would
// otherwise write (and delete) one file per chunk per height, however small the change.
import type { Manifest } from './manifest.js';

/** Chunks whose proofs share one pack file (format version 2): pack k holds chunks [256k, 256k + 256). */
export const PROOFS_PER_PACK = 256;

/** Where chunk `index`'s proof is: bytes [offset, offset + size) of the file `path`, which is `fileSize` bytes. */
export interface ProofLocation {
  path: string;
  /** SHA-256 of the whole file, lowercase hex (the file is named by it). */
  fileDigest: string;
  fileSize: number;
  offset: number;
  size: number;
  /** The pack's index (version 2), or undefined for a file of its own. */
  pack?: number;
}

/** Number of proof packs a version 2 manifest of `chunks` chunks has. */
export const packCount = (chunks: number): number => Math.ceil(chunks / PROOFS_PER_PACK);

/** The chunks [first, end) whose proofs pack `pack` holds. */
export function packChunks(pack: number, chunks: number): [first: number, end: number] {
  return [pack * PROOFS_PER_PACK, Math.min(chunks, (pack + 1) * PROOFS_PER_PACK)];
}

/** Where chunk `index`'s proof is stored. */
export function proofLocation(manifest: Manifest, index: number): ProofLocation {
  const entry = manifest.chunks[index];
  if (manifest.proofPacks === undefined) {
    return { path: `proofs/${entry.proof}`, fileDigest: entry.proof, fileSize: entry.proofSize, offset: 0, size: entry.proofSize };
  }
  const pack = Math.floor(index / PROOFS_PER_PACK);
  const [first, end] = packChunks(pack, manifest.chunks.length);
  let offset = 0;
  let fileSize = 0;
  for (let i = first; i < end; i++) {
    if (i < index) offset += manifest.chunks[i].proofSize;
    fileSize += manifest.chunks[i].proofSize;
  }
  const fileDigest = manifest.proofPacks[pack];
  return { path: `proofs/${fileDigest}`, fileDigest, fileSize, offset, size: entry.proofSize, pack };
}

/** Every chunk and proof file `manifest` references (what a store must keep for it). */
export function checkpointFiles(manifest: Manifest): string[] {
  const chunks = manifest.chunks.map((c) => `chunks/${c.digest}`);
  const proofs = manifest.proofPacks ?? manifest.chunks.map((c) => c.proof);
  return [...chunks, ...proofs.map((d) => `proofs/${d}`)];
}
