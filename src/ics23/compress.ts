// Batch proof compression (upstream @confio/ics23 0.10's compress / decompress, Go's
// Compress / Decompress): every distinct InnerOp of a batch is stored once in lookupInners and
// paths become indexes into it. Distinct means a distinct encoding, as in Go and Rust (0.10's
// JavaScript keyed its table by array identity, so it shared nothing).
import { InvalidArgument } from '../errors.js';
import { assertArray, assertObject } from '../assert.js';
import { toHex } from '../hex.js';
import { encodeInnerOp } from './encode.js';
import type {
  BatchProof, CommitmentProof, CompressedBatchProof, CompressedExistenceProof, ExistenceProof, InnerOp,
} from './types.js';

/** A CommitmentProof with its batch compressed; any other proof is returned as it is. */
export function compress(proof: CommitmentProof): CommitmentProof {
  assertObject(proof, 'proof');
  return proof.batch ? { compressed: compressBatch(proof.batch) } : proof;
}

/** A CommitmentProof with its compressed batch expanded; any other proof is returned as it is. */
export function decompress(proof: CommitmentProof): CommitmentProof {
  assertObject(proof, 'proof');
  return proof.compressed ? { batch: decompressBatch(proof.compressed) } : proof;
}

export function compressBatch(batch: BatchProof): CompressedBatchProof {
  assertObject(batch, 'batch');
  if (batch.entries != null) assertArray(batch.entries, 'batch.entries');
  const lookupInners: InnerOp[] = [];
  const index = new Map<string, number>();
  const exist = (ex: ExistenceProof | null | undefined): CompressedExistenceProof | undefined => ex ? {
    key: ex.key, value: ex.value, leaf: ex.leaf,
    path: (ex.path ?? []).map((op) => {
      const sig = toHex(encodeInnerOp(op));
      let i = index.get(sig);
      if (i === undefined) {
        i = lookupInners.length;
        lookupInners.push(op);
        index.set(sig, i);
      }
      return i;
    }),
  } : undefined;
  const entries = (batch.entries ?? []).map((e, i) => {
    if (e.exist) return { exist: exist(e.exist) };
    if (e.nonexist) return { nonexist: { key: e.nonexist.key, left: exist(e.nonexist.left), right: exist(e.nonexist.right) } };
    throw new InvalidArgument(`batch entry ${i} has neither exist nor nonexist`);
  });
  return { entries, lookupInners };
}

export function decompressBatch(compressed: CompressedBatchProof): BatchProof {
  assertObject(compressed, 'compressed');
  if (compressed.entries != null) assertArray(compressed.entries, 'compressed.entries');
  if (compressed.lookupInners != null) assertArray(compressed.lookupInners, 'compressed.lookupInners');
  const lookup = compressed.lookupInners ?? [];
  const exist = (ex: CompressedExistenceProof | null | undefined, where: string): ExistenceProof | undefined => ex ? {
    key: ex.key, value: ex.value, leaf: ex.leaf,
    path: (ex.path ?? []).map((i) => {
      if (!Number.isInteger(i) || i < 0 || i >= lookup.length) {
        throw new InvalidArgument(`${where}: path index ${i} is outside lookupInners (${lookup.length} entries)`);
      }
      return lookup[i];
    }),
  } : undefined;
  const entries = (compressed.entries ?? []).map((e, i) => {
    const where = `compressed batch entry ${i}`;
    if (e.exist) return { exist: exist(e.exist, where) };
    if (e.nonexist) {
      return { nonexist: { key: e.nonexist.key, left: exist(e.nonexist.left, where), right: exist(e.nonexist.right, where) } };
    }
    throw new InvalidArgument(`${where} has neither exist nor nonexist`);
  });
  return { entries };
}
