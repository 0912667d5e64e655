// The ICS23 vectors (test/vectors/ics23/README.md) loaded as JSON modules, so the same code runs
// in Node and in the browser.
import { iavlSpec, smtSpec, tendermintSpec, type ProofSpec } from '../src/ics23/index.js';
import { fromHex } from './helpers.js';
import jmtDerived from './vectors/ics23/jmt_derived_vectors.json';

const files = import.meta.glob<{ key: string; value: string; root: string; proof: string }>(
  './vectors/ics23/{iavl,tendermint,smt}/*.json', { eager: true, import: 'default' });

export type TreeName = 'iavl' | 'tendermint' | 'smt';
export const specOf: Record<TreeName, ProofSpec> = { iavl: iavlSpec, tendermint: tendermintSpec, smt: smtSpec };

export interface Vector {
  name: string;
  tree: TreeName;
  exist: boolean;
  key: Uint8Array;
  value: Uint8Array;
  root: Uint8Array;
  proof: Uint8Array;
}

export const upstreamVectors: Vector[] = Object.entries(files).map(([path, v]) => {
  const [, tree, file] = /\/(iavl|tendermint|smt)\/(\w+)\.json$/.exec(path)!;
  return {
    name: `${tree}/${file}`, tree: tree as TreeName, exist: file.startsWith('exist'),
    key: fromHex(v.key), value: fromHex(v.value), root: fromHex(v.root), proof: fromHex(v.proof),
  };
}).sort((a, b) => a.name.localeCompare(b.name));

/**
 * Byte range of a vector's proof that a mutation may leave valid: the NonExistenceProof's own
 * `key` field, which no implementation checks (the neighbours carry the proof).
 */
export function uncheckedRange(v: Vector): [number, number] {
  if (v.exist) return [0, 0];
  let p = 1;
  while (v.proof[p] & 0x80) p++;
  p++;
  if (v.proof[p] !== 0x0a) return [0, 0];
  return [p, p + 2 + v.proof[p + 1]];
}

export interface JmtVector {
  set: string;
  root: Uint8Array;
  key: Uint8Array;
  value: Uint8Array;
  existProof: Uint8Array;
  absentKey: Uint8Array;
  nonexistProof: Uint8Array;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

export const jmtVectors: JmtVector[] = jmtDerived.map((d) => ({
  set: d.set,
  root: fromHex(d.root),
  key: utf8(d.proof_key),
  value: utf8(Object.fromEntries(d.pairs)[d.proof_key]),
  existProof: fromHex(d.ics23_exist_commitmentproof_hex),
  absentKey: utf8(d.nonexist_key),
  nonexistProof: fromHex(d.ics23_nonexist_commitmentproof_hex),
}));

/** Decodes Go's base64 JSON bytes (null stays empty). */
export function fromBase64(s: string | null | undefined): Uint8Array {
  if (!s) return new Uint8Array(0);
  const bin = atob(s);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}
