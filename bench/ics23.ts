// ICS23 verifications per second on the upstream vectors (cosmos/ics23 testdata), lightsnap
// against @confio/ics23 in the same process, per spec; then calculateExistenceRoot and the
// `ics23` codec namespace against 0.6.8's. @confio/ics23 takes decoded objects, so
// it is timed both on objects and including protobuf decoding; lightsnap on bytes (its native
// input) and on objects (encoded to bytes per call).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as confio from '@confio/ics23';
import { initSync } from '../src/core/load.js';
import {
  verifyMembership, verifyNonMembership, calculateExistenceRoot, ics23, iavlSpec, tendermintSpec, smtSpec, type ProofSpec,
  type CommitmentProof, type ExistenceProof,
} from '../src/ics23/index.js';
import { report, type Result } from './harness.js';

const dir = fileURLToPath(new URL('../test/vectors/ics23/', import.meta.url));
const cases = ['exist_left', 'exist_middle', 'exist_right', 'nonexist_left', 'nonexist_middle', 'nonexist_right'];
const hexBytes = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

interface Case { exist: boolean; proof: Uint8Array; decoded: confio.ics23.CommitmentProof; root: Uint8Array; key: Uint8Array; value: Uint8Array }

function load(tree: string): Case[] {
  return cases.map((c) => {
    const v = JSON.parse(readFileSync(`${dir}${tree}/${c}.json`, 'utf8'));
    const proof = hexBytes(v.proof);
    return { exist: c.startsWith('exist'), proof, decoded: confio.ics23.CommitmentProof.decode(proof),
      root: hexBytes(v.root), key: hexBytes(v.key), value: hexBytes(v.value) };
  });
}

/**
 * Best of 7 runs by this process's CPU time (user + system), after a warm-up: the machine is
 * shared with other jobs, and wall time there measures the neighbours as much as the code.
 */
async function measure(name: string, work: { items: number }, fn: () => void): Promise<Result> {
  fn();
  let best = Infinity;
  for (let i = 0; i < 7; i++) {
    const t0 = process.cpuUsage();
    fn();
    const t = process.cpuUsage(t0);
    best = Math.min(best, (t.user + t.system) / 1e6);
  }
  return { name, seconds: best, bytes: 0, items: work.items };
}

function ours(cs: Case[], spec: ProofSpec, useObjects: boolean, rounds: number): void {
  for (let r = 0; r < rounds; r++) {
    for (const c of cs) {
      const proof = useObjects ? (c.decoded as CommitmentProof) : c.proof;
      const ok = c.exist ? verifyMembership(proof, spec, c.root, c.key, c.value) : verifyNonMembership(proof, spec, c.root, c.key);
      if (!ok) throw new Error('lightsnap rejected a vector');
    }
  }
}

function theirs(cs: Case[], spec: confio.ics23.IProofSpec, decode: boolean, rounds: number): void {
  for (let r = 0; r < rounds; r++) {
    for (const c of cs) {
      const proof = decode ? confio.ics23.CommitmentProof.decode(c.proof) : c.decoded;
      const ok = c.exist ? confio.verifyMembership(proof, spec, c.root, c.key, c.value)
        : confio.verifyNonMembership(proof, spec, c.root, c.key);
      if (!ok) throw new Error('@confio/ics23 rejected a vector');
    }
  }
}

export async function run(): Promise<void> {
  const kind = initSync();
  console.log(`\n(core: ${kind}; a run verifies the 6 vectors of a spec 400 times; best of 7 by CPU time)`);
  const rounds = 400;
  const items = rounds * 6;
  for (const [tree, spec, peer] of [['iavl', iavlSpec, confio.iavlSpec], ['tendermint', tendermintSpec, confio.tendermintSpec]] as const) {
    const cs = load(tree);
    const results: Result[] = [
      await measure('@confio/ics23 0.6.8 (decoded objects)', { items }, () => theirs(cs, peer, false, rounds)),
      await measure('@confio/ics23 0.6.8 (decode + verify)', { items }, () => theirs(cs, peer, true, rounds)),
      await measure('lightsnap (protobuf bytes)', { items }, () => ours(cs, spec, false, rounds)),
      await measure('lightsnap (decoded objects)', { items }, () => ours(cs, spec, true, rounds)),
    ];
    report(`ICS23 ${tree}: verifications/s on the 6 upstream vectors`, results);
  }
  // The rest of the 0.6.8 API on the same 12 IAVL and Tendermint vectors: the root of every
  // existence proof in them (calculateExistenceRoot, on decoded objects as both take them), and
  // decoding / re-encoding the proof bytes through the `ics23` codec namespace.
  const peers = [...load('iavl'), ...load('tendermint')];
  const existence = peers.flatMap((c) => [c.decoded.exist, c.decoded.nonexist?.left, c.decoded.nonexist?.right])
    .filter((x): x is confio.ics23.IExistenceProof => !!x);
  const roots = rounds * 2;
  report(`ICS23 calculateExistenceRoot: roots/s of the ${existence.length} existence proofs in the iavl and tendermint vectors`, [
    await measure('@confio/ics23 0.6.8', { items: roots * existence.length }, () => {
      for (let r = 0; r < roots; r++) for (const ex of existence) confio.calculateExistenceRoot(ex);
    }),
    await measure('lightsnap', { items: roots * existence.length }, () => {
      for (let r = 0; r < roots; r++) for (const ex of existence) calculateExistenceRoot(ex as ExistenceProof);
    }),
  ]);
  const codecRounds = rounds * 2;
  const decodedOurs = peers.map((c) => ics23.CommitmentProof.decode(c.proof));
  report(`ICS23 codec: CommitmentProof.decode / .encode().finish() per second, the 12 iavl and tendermint proofs`, [
    await measure('@confio/ics23 0.6.8 decode (protobufjs)', { items: codecRounds * peers.length }, () => {
      for (let r = 0; r < codecRounds; r++) for (const c of peers) confio.ics23.CommitmentProof.decode(c.proof);
    }),
    await measure('lightsnap decode (WASM decoder)', { items: codecRounds * peers.length }, () => {
      for (let r = 0; r < codecRounds; r++) for (const c of peers) ics23.CommitmentProof.decode(c.proof);
    }),
    await measure('@confio/ics23 0.6.8 encode (protobufjs)', { items: codecRounds * peers.length }, () => {
      for (let r = 0; r < codecRounds; r++) for (const c of peers) confio.ics23.CommitmentProof.encode(c.decoded).finish();
    }),
    await measure('lightsnap encode', { items: codecRounds * peers.length }, () => {
      for (let r = 0; r < codecRounds; r++) for (const d of decodedOurs) ics23.CommitmentProof.encode(d).finish();
    }),
  ]);
  // @confio/ics23 0.6.8 cannot check these (its smtSpec predates prehashed keys).
  const smt = load('smt');
  report('ICS23 smt: verifications/s on the 6 upstream vectors (no peer can check them)', [
    await measure('lightsnap (protobuf bytes)', { items }, () => ours(smt, smtSpec, false, rounds)),
    await measure('lightsnap (decoded objects)', { items }, () => ours(smt, smtSpec, true, rounds)),
  ]);
}
