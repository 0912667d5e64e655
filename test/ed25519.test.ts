// ed25519 verification (ZIP-215 rules) on every core against @noble/curves (the oracle):
// the upstream vectors, seeded random valid and mutated signatures, and batch verification.
// `npm run fuzz:ed25519` runs the random comparison on 10^5 cases.
import { describe, expect, it } from 'vitest';
import { ed25519 as noble } from '@noble/curves/ed25519.js';
import { createBackendSync, initSync } from '../src/core/load.js';
import type { BackendKind } from '../src/core/backend.js';
import { ed25519Verify, ed25519VerifyBatch, InvalidArgument, MAX_ED25519_MESSAGE_BYTES } from '../src/index.js';
import { fromHex } from './helpers.js';
import { makeCases, oracle, type Case } from './ed25519-cases.js';
import zip215 from './vectors/ed25519/zip215.json';
import edgeCases from './vectors/ed25519/edge-cases.json';
import signInput from './vectors/ed25519/rfc8032-sign.input.txt?raw';

const kinds: BackendKind[] = ['wasm-simd', 'wasm-scalar', 'js'];
const FUZZ_CASES = Number((globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env
  .ED25519_FUZZ_CASES ?? 2000);

const zcash = new TextEncoder().encode('Zcash');
const zipCases: Case[] = zip215.map((c, i) => ({
  kind: `zip215 #${i}`, publicKey: fromHex(c.vk_bytes), message: zcash, signature: fromHex(c.sig_bytes), valid: true,
}));
const edge: Case[] = edgeCases.map((c, i) => {
  const [publicKey, message, signature] = [fromHex(c.pub_key), fromHex(c.message), fromHex(c.signature)];
  return { kind: `edge case #${i}`, publicKey, message, signature, valid: oracle(publicKey, message, signature) };
});
// sign.input lines: secret‖public : public : message : signature‖message :
const rfc: Case[] = signInput.trim().split('\n').map((line, i) => {
  const [, pk, msg, sm] = line.split(':');
  return { kind: `sign.input line ${i + 1}`, publicKey: fromHex(pk), message: fromHex(msg), signature: fromHex(sm.slice(0, 128)), valid: true };
});
const random = makeCases(0xed25519, FUZZ_CASES);

function mismatches(kind: BackendKind, cases: Case[]): string[] {
  const core = createBackendSync({ backend: kind }).ed25519;
  return cases.filter((c) => core.verify(c.publicKey, c.message, c.signature) !== c.valid)
    .map((c) => `${c.kind}: expected ${c.valid}`);
}

describe('ed25519 vectors', () => {
  it('the oracle agrees with the vectors’ own verdicts', () => {
    for (const c of [...zipCases, ...rfc.slice(0, 64)]) expect(oracle(c.publicKey, c.message, c.signature), c.kind).toBe(true);
    expect(edge.filter((c) => c.valid).length).toBeGreaterThan(0);
    expect(edge.filter((c) => !c.valid).length).toBeGreaterThan(0);
  });

  for (const kind of kinds) {
    it(`accepts all 196 ZIP-215 cases and matches the oracle on the 12 edge cases on the ${kind} core`, () => {
      expect(mismatches(kind, [...zipCases, ...edge])).toEqual([]);
    });
    // The translated core is about 20 times slower than WASM (i64 arithmetic in JavaScript): it gets slices.
    const lines = kind === 'js' ? rfc.filter((_, i) => i % 8 === 0) : rfc;
    it(`accepts ${lines.length} RFC 8032 sign.input signatures and rejects each with its last bit flipped on the ${kind} core`, () => {
      expect(mismatches(kind, lines)).toEqual([]);
      const flipped = lines.map((c) => {
        const signature = c.signature.slice();
        signature[63] ^= 0x01;
        return { ...c, signature, valid: false };
      });
      expect(mismatches(kind, flipped)).toEqual([]);
    });
  }
});

describe(`ed25519 on ${FUZZ_CASES} seeded random valid and mutated signatures`, () => {
  it('covers valid, torsion-carrying and invalid cases', () => {
    const kindsSeen = new Set(random.map((c) => c.kind));
    expect(kindsSeen.size).toBeGreaterThanOrEqual(Math.min(16, FUZZ_CASES / 14));
    expect(random.some((c) => c.valid && c.kind.includes('torsion'))).toBe(true);
  });
  for (const kind of kinds) {
    const cases = kind === 'js' ? random.slice(0, Math.min(random.length, 300)) : random;
    it(`matches the oracle on the ${kind} core (${cases.length} cases)`, () => {
      expect(mismatches(kind, cases)).toEqual([]);
    });
  }
});

describe('ed25519VerifyBatch', () => {
  const valid = random.filter((c) => c.valid);
  const invalid = random.filter((c) => !c.valid);
  // Signatures of 300 KiB messages, one of them spoilt: a call takes at most 1 MiB of messages.
  const longMessages: Case[] = Array.from({ length: 6 }, (_, i) => {
    const secret = new Uint8Array(32).fill(i + 1);
    const message = new Uint8Array(300 << 10).fill(i);
    const publicKey = noble.getPublicKey(secret);
    const signature = noble.sign(message, secret);
    if (i === 4) message[1000] ^= 1;
    return { kind: `long #${i}`, publicKey, message, signature, valid: i !== 4 };
  });
  const batches: Array<[string, Case[]]> = [
    ['empty', []],
    ['one valid', valid.slice(0, 1)],
    ['one invalid', invalid.slice(0, 1)],
    ['150 valid', valid.slice(0, 150)],
    ['150 with one bad in the middle', [...valid.slice(0, 75), invalid[0], ...valid.slice(75, 149)]],
    ['150 with two bad in different halves', [invalid[1], ...valid.slice(0, 148), invalid[2]]],
    ['150 with a third bad', valid.slice(0, 150).map((c, i) => (i % 3 === 1 ? invalid[i] : c))],
    ['all bad', invalid.slice(0, 40)],
    ['40 with two bad', [...valid.slice(0, 20), invalid[3], ...valid.slice(20, 38), invalid[4]]],
    ['300 valid (more than one core call)', [...valid, ...valid].slice(0, 300)],
    ['long messages (several core calls by bytes)', longMessages],
  ];

  for (const kind of kinds) {
    it(`gives each item the verdict of ed25519Verify on the ${kind} core`, () => {
      initSync({ backend: kind });
      for (const [name, items] of batches) {
        if (kind === 'js' && (items.length > 40 || items === longMessages)) continue;
        const expected = items.map((c) => c.valid);
        expect(expected.length, name).toBe(items.length);
        expect(ed25519VerifyBatch(items), name).toEqual(expected);
        expect(items.map((c) => ed25519Verify(c.publicKey, c.message, c.signature)), name).toEqual(expected);
      }
    });

    it(`rejects a combination holding any bad or malformed signature on the ${kind} core`, () => {
      const core = createBackendSync({ backend: kind }).ed25519;
      const items = valid.slice(0, 20);
      const coeffs = crypto.getRandomValues(new Uint8Array(16 * items.length));
      expect(core.verifyBatch(items, coeffs)).toBe(true);
      for (const bad of invalid.slice(0, kind === 'js' ? 8 : 30)) {
        expect(core.verifyBatch([...items.slice(0, 10), bad, ...items.slice(10)], crypto.getRandomValues(new Uint8Array(16 * 21))),
          bad.kind).toBe(false);
      }
    });
  }
});

describe('ed25519 arguments', () => {
  const c = rfc[0];
  it('throws InvalidArgument for wrong types and lengths, never for a bad signature', () => {
    expect(() => ed25519Verify(c.publicKey.subarray(1), c.message, c.signature)).toThrow(InvalidArgument);
    expect(() => ed25519Verify(c.publicKey, c.message, c.signature.subarray(0, 63))).toThrow(/signature must be 64 bytes/);
    expect(() => ed25519Verify(c.publicKey, 'hello' as unknown as Uint8Array, c.signature)).toThrow(InvalidArgument);
    expect(() => ed25519VerifyBatch([{ ...c, publicKey: new Uint8Array(33) }])).toThrow(/items\[0\]\.publicKey/);
    expect(() => ed25519VerifyBatch([null as unknown as Case])).toThrow(InvalidArgument);
    expect(() => ed25519VerifyBatch({} as unknown as Case[])).toThrow(InvalidArgument);
    expect(ed25519Verify(new Uint8Array(32).fill(0xff), c.message, new Uint8Array(64).fill(0xff))).toBe(false);
    expect(() => ed25519Verify(c.publicKey, new Uint8Array(MAX_ED25519_MESSAGE_BYTES + 1), c.signature)).toThrow(/over the limit/);
  });
});
