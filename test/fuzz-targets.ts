// Fuzz targets: every decoder and verifier that takes untrusted bytes, fed random and
// structure-aware mutations of valid inputs. `npm run fuzz` (scripts/fuzz.ts) runs them for a
// time budget on either core; `npm test` runs a short seeded slice (test/fuzz.node.test.ts).
//
// A target's `one(r)` makes one input, runs it, and returns whether it was accepted. It throws
// FuzzFailure when the result is wrong by an independent reference: an accepted input that the
// reference rejects (a canonical re-encoding that differs, @confio/ics23 or @noble/curves
// disagreeing, a forged header accepted). The runner adds the other failures: any exception
// that is not a LightsnapError, a call slower than the stated bound, memory past its bound.
import { ed25519 } from '@noble/curves/ed25519.js';
import * as confio from '@confio/ics23';
import { LightsnapError } from '../src/errors.js';
import { decodeChunk, encodeChunk } from '../src/format/chunk.js';
import { encodeManifest, parseManifest } from '../src/format/manifest.js';
import { encodeStreamManifest, parseStreamManifest } from '../src/format/stream-manifest.js';
import { decodeChangesetPiece, encodeChangeset, encodeChangesetMetadata, parseChangesetMetadata } from '../src/format/changeset.js';
import { parseLine } from '../src/format/jsonl.js';
import { decodeProof, encodeProof, verifyMembership as smtMembership } from '../src/tree/proof.js';
import { verifyMembership, verifyNonMembership } from '../src/ics23/index.js';
import { createCheckpoint } from '../src/checkpoint/create.js';
import { createStreamCheckpoint } from '../src/stream/stream-checkpoint.js';
import { memoryStore } from '../src/store/memory.js';
import { verifyLightBlock, decodeLightBlock } from '../src/light/index.js';
import { headerHash } from '../src/light/encoding.js';
import { lightBlockJson } from '../src/light/json.js';
import { ed25519Verify } from '../src/core/ed25519.js';
import { hex, rng } from './helpers.js';
import { rangeTamperCampaign } from './jmt-tamper.js';
import { randomLeaves } from './jmt-fixtures.js';
import { refProof, refSubtree, type RefLeaf } from './jmt-reference.js';
import { specOf, uncheckedRange, upstreamVectors } from './ics23-vectors.js';
import { samplePairs } from './checkpoint-fixtures.js';
import { parseConfig, parseRunConfig } from '../src/upgrade/config.js';
import { parseCometHeight, parseUpgradeInfo, parseVisorStatus } from '../src/upgrade/sources.js';
import { parseAnswer } from '../src/upgrade/http.js';
import { chain, timeOf, validators } from './light-chain.js';
import { nobleVerifier } from './light-oracle.js';

export type Rng = ReturnType<typeof rng>;

export class FuzzFailure extends Error {}

export interface FuzzTarget {
  name: string;
  /** Milliseconds any one call may take (a hang or blow-up detector, generous for a loaded machine). */
  readonly boundMs: number;
  /** Returns the function that runs one input (true: accepted), or a campaign of many (their count). */
  setup(): Promise<(r: Rng) => boolean | number>;
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Runs `f`; a LightsnapError is a rejection, anything else propagates (the runner calls it a failure). */
function accepts(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (err) {
    if (err instanceof LightsnapError) return false;
    throw err;
  }
}

const INTERESTING = [0, 1, 0x7f, 0x80, 0xff];
const INTERESTING32 = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe];

/** One random byte-level mutation: flips, boundary values, length fields, cuts, growth, splices. */
export function mutateBytes(r: Rng, input: Uint8Array): Uint8Array {
  let b = input.slice();
  const rounds = 1 + r.int(3);
  for (let k = 0; k < rounds; k++) {
    const at = b.length ? r.int(b.length) : 0;
    switch (r.int(8)) {
      case 0: if (b.length) b[at] ^= 1 << r.int(8); break;
      case 1: if (b.length) b[at] = INTERESTING[r.int(INTERESTING.length)]; break;
      case 2: if (b.length >= 4) new DataView(b.buffer).setUint32(r.int(b.length - 3), INTERESTING32[r.int(INTERESTING32.length)], r.int(2) === 0); break;
      case 3: b = b.slice(0, at); break;
      case 4: { const extra = r.bytes(1 + r.int(64)); const out = new Uint8Array(b.length + extra.length); out.set(b.subarray(0, at)); out.set(extra, at); out.set(b.subarray(at), at + extra.length); b = out; break; }
      case 5: { const len = Math.min(b.length - at, 1 + r.int(32)); b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + len)]); break; }
      case 6: { const len = Math.min(b.length - at, 1 + r.int(64)); const dup = b.slice(at, at + len); const to = b.length ? r.int(b.length) : 0; b = Uint8Array.from([...b.subarray(0, to), ...dup, ...b.subarray(to)]); break; }
      default: if (b.length) b[at] = r.int(256);
    }
  }
  return b;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const JSON_VALUES: Json[] = [null, true, 0, -1, 1.5, 2 ** 53, 1e308, '', '0x', 'zz', 'ab'.repeat(32), 'AB'.repeat(32), [], {}, [[[[[[]]]]]]];

/** A structure-aware mutation of a JSON document: a value replaced, a key dropped or added, an array grown or cut, deep nesting. */
export function mutateJson(r: Rng, doc: Json): Json {
  const copy = JSON.parse(JSON.stringify(doc)) as Json;
  const containers: Array<{ parent: Json[] | { [k: string]: Json }; key: string | number }> = [];
  const walk = (v: Json) => {
    if (Array.isArray(v)) v.forEach((x, i) => { containers.push({ parent: v, key: i }); walk(x); });
    else if (v && typeof v === 'object') for (const k of Object.keys(v)) { containers.push({ parent: v, key: k }); walk(v[k]); }
  };
  walk(copy);
  if (containers.length === 0) return JSON_VALUES[r.int(JSON_VALUES.length)];
  const { parent, key } = containers[r.int(containers.length)];
  const slot = parent as Record<string | number, Json>;
  switch (r.int(6)) {
    case 0: slot[key] = JSON_VALUES[r.int(JSON_VALUES.length)]; break;
    case 1: if (Array.isArray(parent)) parent.splice(Number(key), 1); else delete slot[key]; break;
    case 2: if (Array.isArray(parent)) parent.splice(Number(key), 0, JSON.parse(JSON.stringify(parent[Number(key)]))); else slot[`x${r.int(9)}`] = 1; break;
    case 3: { const v = slot[key]; slot[key] = typeof v === 'number' ? v + (r.int(2) ? 1 : -1) : typeof v === 'string' && v.length ? v.slice(0, -1) + 'f' : v; break; }
    case 4: slot[key] = DEEP; break;
    default: if (Array.isArray(parent) && parent.length > 1) { const j = r.int(parent.length); [parent[Number(key)], parent[j]] = [parent[j], parent[Number(key)]]; }
  }
  return copy;
}

const enc = new TextEncoder();
/** Stands for a value nested 100,000 deep, spliced into the text (JSON.stringify itself would overflow). */
const DEEP = '\u0000deep';
const DEEP_TEXT = '['.repeat(100_000) + ']'.repeat(100_000);
const toJsonBytes = (doc: Json) => enc.encode(JSON.stringify(doc).replaceAll(JSON.stringify(DEEP), DEEP_TEXT) + '\n');

/** Mutated bytes of a canonical JSON document: half structure-aware, half byte-level. */
function mutatedJsonBytes(r: Rng, doc: Json, bytes: Uint8Array): Uint8Array {
  return r.int(2) ? toJsonBytes(mutateJson(r, doc)) : mutateBytes(r, bytes);
}

/**
 * A JSON format read as canonical bytes: mutations of a valid file, and any accepted input
 * must be exactly the canonical encoding of what was parsed.
 */
function canonicalJsonTarget<T>(name: string, valid: () => Promise<Uint8Array>, parse: (b: Uint8Array) => T,
  encode: (m: T) => Uint8Array): FuzzTarget {
  return {
    name, boundMs: 2000,
    async setup() {
      const bytes = await valid();
      const doc = JSON.parse(new TextDecoder().decode(bytes)) as Json;
      return (r) => {
        const input = mutatedJsonBytes(r, doc, bytes);
        let parsed: T | undefined;
        const ok = accepts(() => { parsed = parse(input); });
        if (ok && !same(encode(parsed!), input)) throw new FuzzFailure(`${name}: accepted bytes that are not the canonical encoding`);
        return ok;
      };
    },
  };
}

/** A JSON text the upgrade supervisor reads (its config files, a node's answers): parsed or refused with a LightsnapError. */
function jsonTextTarget(name: string, doc: Json, parse: (text: string) => unknown): FuzzTarget {
  const bytes = toJsonBytes(doc);
  return {
    name, boundMs: 1000,
    async setup() {
      return (r) => accepts(() => parse(new TextDecoder().decode(mutatedJsonBytes(r, doc, bytes))));
    },
  };
}

export const targets: FuzzTarget[] = [
  {
    name: 'chunk', boundMs: 1000,
    async setup() {
      const leaves = samplePairs(40, 3).map((p) => ({ key: p.key, value: p.value! }));
      const valid = encodeChunk(leaves);
      return (r) => {
        const input = mutateBytes(r, valid);
        let decoded: ReturnType<typeof decodeChunk> | undefined;
        const ok = accepts(() => { decoded = decodeChunk(input); });
        if (ok && !same(encodeChunk(decoded!), input)) throw new FuzzFailure(`decodeChunk accepted bytes that do not re-encode to themselves: ${hex(input).slice(0, 200)}`);
        return ok;
      };
    },
  },
  canonicalJsonTarget('manifest', async () => (await createCheckpoint(samplePairs(400, 4),
    { store: memoryStore(), version: 7, maxChunkBytes: 2048 })).manifestBytes, parseManifest, encodeManifest),
  canonicalJsonTarget('stream-manifest', async () => encodeStreamManifest(await createStreamCheckpoint([rng(5).bytes(50_000)],
    { store: memoryStore(), chunker: { kind: 'fixed', size: 4096 } })), parseStreamManifest, encodeStreamManifest),
  canonicalJsonTarget('changeset-metadata', async () => encodeChangeset(12,
    samplePairs(3000, 6).map((p, i) => (i % 7 === 0 ? { key: p.key, value: null } : p)),
    { prevRoot: 'ab'.repeat(32), root: 'cd'.repeat(32) }, { maxPieceBytes: 4096 }).metadataBytes,
  parseChangesetMetadata, encodeChangesetMetadata),
  {
    name: 'changeset-piece', boundMs: 2000,
    async setup() {
      const changes = samplePairs(200, 7).map((p, i) => (i % 5 === 0 ? { key: p.key, value: null } : p));
      const { pieces } = encodeChangeset(9, changes, {}, { maxPieceBytes: 8192 });
      return (r) => {
        const piece = pieces[r.int(pieces.length)];
        const input = mutateBytes(r, piece.bytes);
        let got: ReturnType<typeof decodeChangesetPiece> | undefined;
        const ok = accepts(() => { got = decodeChangesetPiece(input, { height: 9, index: piece.index }); });
        if (ok && same(input, piece.bytes) === false) {
          // Accepted altered bytes must still be a well-formed piece: same count of changes as it declares.
          if (got!.length !== new DataView(input.buffer, input.byteOffset).getUint32(17, true)) throw new FuzzFailure('a piece decoded to a different count of changes than its header states');
        }
        return ok;
      };
    },
  },
  {
    name: 'jsonl-line', boundMs: 1000,
    async setup() {
      const line = enc.encode('{"key":"0x0102","value":"text é"}');
      return (r) => accepts(() => parseLine(new TextDecoder().decode(mutateBytes(r, line)), 1));
    },
  },
  {
    name: 'range-proof', boundMs: 30_000,
    async setup() {
      let seed = 0;
      return (r) => {
        const [tried, accepted] = rangeTamperCampaign(r.int(2 ** 31) + seed++, 1);
        if (accepted) throw new FuzzFailure(`${accepted} tampered range proofs accepted`);
        return tried;
      };
    },
  },
  {
    name: 'sparse-proof', boundMs: 1000,
    async setup() {
      const leaves: RefLeaf[] = randomLeaves(rng(8), 64, 1);
      const root = refSubtree(leaves, 0);
      const proofs = leaves.slice(0, 16).map((l) => {
        const p = refProof(leaves, l.keyHash);
        return { leaf: l, bytes: encodeProof({ leaf: p.leaf ? { keyHash: p.leaf.keyHash, valueHash: p.leaf.valueHash } : null, siblings: p.siblings }) };
      });
      return (r) => {
        const { leaf, bytes } = proofs[r.int(proofs.length)];
        const input = mutateBytes(r, bytes);
        const ok = accepts(() => smtMembership(root, leaf.keyHash, leaf.valueHash, input));
        // The true proof is the only one: accepted bytes must decode to exactly it.
        const show = (b: Uint8Array) => JSON.stringify(decodeProof(b), (_, v) => v instanceof Uint8Array ? hex(v) : v);
        if (ok && !same(input, bytes) && show(input) !== show(bytes)) {
          throw new FuzzFailure(`a SparseMerkleProof that differs from the true one was accepted: ${hex(input)}`);
        }
        return ok;
      };
    },
  },
  {
    name: 'ics23', boundMs: 1000,
    async setup() {
      // SMT vectors are left out: @confio/ics23 0.6.8, the reference, has no SMT spec.
      const vectors = upstreamVectors.filter((v) => v.tree !== 'smt');
      const theirSpec = { iavl: confio.iavlSpec, tendermint: confio.tendermintSpec } as const;
      const oursAccept = (v: (typeof vectors)[number], proof: Uint8Array) => {
        try {
          const spec = specOf[v.tree];
          return v.exist ? verifyMembership(proof, spec, v.root, v.key, v.value) : verifyNonMembership(proof, spec, v.root, v.key);
        } catch (err) {
          if (err instanceof LightsnapError) return false;
          throw err;
        }
      };
      const theirsAccept = (v: (typeof vectors)[number], proof: Uint8Array) => {
        try {
          const decoded = confio.ics23.CommitmentProof.decode(proof);
          const spec = theirSpec[v.tree as 'iavl' | 'tendermint'];
          return v.exist ? confio.verifyMembership(decoded, spec, v.root, v.key, v.value!) : confio.verifyNonMembership(decoded, spec, v.root, v.key);
        } catch {
          return false;
        }
      };
      return (r) => {
        const v = vectors[r.int(vectors.length)];
        const [, from] = uncheckedRange(v);
        const tail = mutateBytes(r, v.proof.subarray(from));
        const input = Uint8Array.from([...v.proof.subarray(0, from), ...tail]);
        const ok = oursAccept(v, input);
        if (ok && !same(input, v.proof) && !theirsAccept(v, input)) {
          throw new FuzzFailure(`ICS23 proof accepted that @confio/ics23 rejects (${v.name}): ${hex(input)}`);
        }
        return ok;
      };
    },
  },
  {
    name: 'light-block', boundMs: 5000,
    async setup() {
      const set = validators('v', 7);
      const c = chain({ validatorsAt: () => set });
      const trusted = c.lightBlock(2);
      const untrusted = c.lightBlock(5);
      const doc = lightBlockJson(untrusted) as unknown as Json;
      const want = hex(headerHash(untrusted.signedHeader.header));
      const options = { trustingPeriodMs: 3_600_000, now: timeOf(6) };
      return (r) => {
        const mutated = mutateJson(r, doc);
        let verdict = 'INVALID';
        let got = '';
        const ok = accepts(() => {
          got = hex(headerHash(decodeLightBlock(mutated).signedHeader.header));
          verdict = verifyLightBlock(lightBlockJson(trusted), mutated, { ...options, verifier: nobleVerifier }).verdict;
        });
        if (ok && verdict === 'SUCCESS' && got !== want) throw new FuzzFailure(`a light block with another header was verified: ${JSON.stringify(mutated).slice(0, 300)}`);
        return ok && verdict === 'SUCCESS';
      };
    },
  },
  {
    name: 'ed25519', boundMs: 1000,
    async setup() {
      const r0 = rng(11);
      const keys = Array.from({ length: 8 }, () => {
        const secret = r0.bytes(32);
        const message = r0.bytes(1 + r0.int(100));
        return { publicKey: ed25519.getPublicKey(secret), message, signature: ed25519.sign(message, secret) };
      });
      return (r) => {
        const k = keys[r.int(keys.length)];
        const which = r.int(3);
        const publicKey = which === 0 ? fixedLength(mutateBytes(r, k.publicKey), 32) : k.publicKey;
        const message = which === 1 ? mutateBytes(r, k.message) : k.message;
        const signature = which === 2 ? fixedLength(mutateBytes(r, k.signature), 64) : k.signature;
        const ours = ed25519Verify(publicKey, message, signature);
        let theirs = false;
        try { theirs = ed25519.verify(signature, message, publicKey); } catch { theirs = false; }
        if (ours !== theirs) throw new FuzzFailure(`ed25519 verdict ${ours}, @noble/curves ${theirs}: pk ${hex(publicKey)} msg ${hex(message)} sig ${hex(signature)}`);
        return ours;
      };
    },
  },
  jsonTextTarget('visor-config', {
    maxNumberOfRestarts: 3, restartsDelaySeconds: 5, upgradeFolders: { 'v0.74.1': 'core-74' }, statusUrl: 'http://127.0.0.1:3007/status',
    plan: [{ release: 'v2', height: 100, checkpoint: { maxChunkBytes: 4096, formatVersion: 1 } }, { release: 'v3', height: 200 }],
    autoInstall: { enabled: true, urlTemplate: 'https://r.example/{release}/{file}', files: ['run-config.json', 'bin/node'], checksums: { v2: { 'bin/node': 'ab'.repeat(32) } } },
    backup: { dataFolder: 'data' }, preUpgrade: { path: 'hook', args: ['pre-upgrade'], maxRetries: 2 },
  }, (t) => parseConfig(t)),
  jsonTextTarget('visor-run-config', {
    name: 'v2', processes: [{ name: 'core', binary: { path: 'vega', args: ['node', '--home', '/x'] }, env: { A: '1' }, cwd: 'data' }],
  }, (t) => parseRunConfig(t, 'run-config.json')),
  jsonTextTarget('visor-status-answer', { acceptedReleaseInfo: { vegaReleaseTag: 'v0.74.1', upgradeBlockHeight: 12345 }, readyToUpgrade: true },
    (t) => parseVisorStatus(parseAnswer(t, 's'), 's')),
  jsonTextTarget('upgrade-info', { name: 'v7', height: 7000, info: '{"binaries":{}}' }, (t) => parseUpgradeInfo(t, 'upgrade-info.json')),
  jsonTextTarget('comet-status', { jsonrpc: '2.0', id: -1, result: { sync_info: { latest_block_height: '42' } } },
    (t) => parseCometHeight(parseAnswer(t, 'u'), 'u')),
];

function fixedLength(b: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(n);
  out.set(b.subarray(0, n));
  return out;
}
