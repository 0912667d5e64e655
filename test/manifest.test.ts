import { describe, expect, it } from 'vitest';
import {
  encodeManifest, parseManifest, validateManifest, MAX_CHUNKS, MAX_MANIFEST_BYTES, type Manifest,
} from '../src/format/manifest.js';
import { MAX_KEY_HASH, nextKeyHash } from '../src/tree/range/key-space.js';
import { fromHex, toHex } from '../src/hex.js';
import { ChangesetInvalid, InvalidArgument, ManifestInvalid, MigrationInvalid, UnsupportedFormatVersion } from '../src/errors.js';
import { parseMigration } from '../src/migrate/metadata.js';
import { parseStreamManifest } from '../src/format/stream-manifest.js';
import { parseChangesetMetadata } from '../src/format/changeset.js';

const h = (c: string) => c.repeat(64);

function sample(): Manifest {
  return {
    format: 'lightsnap/checkpoint', formatVersion: 1, version: 7, root: h('a'), leaves: 30,
    chunking: { maxChunkBytes: 1 << 20, minChunkBytes: 1 << 17, avgChunkBytes: 1 << 18 },
    chunks: [
      { digest: h('1'), size: 1000, leaves: 10, lo: h('0'), hi: '7' + 'f'.repeat(63), proof: h('4'), proofSize: 100 },
      { digest: h('2'), size: 1000, leaves: 10, lo: '8' + '0'.repeat(63), hi: 'c' + '0'.repeat(63), proof: h('5'), proofSize: 100 },
      { digest: h('3'), size: 1000, leaves: 10, lo: 'c' + '0'.repeat(62) + '1', hi: h('f'), proof: h('6'), proofSize: 100 },
    ],
  };
}

const bytesOf = (m: unknown) => new TextEncoder().encode(JSON.stringify(m) + '\n');

function refused(m: unknown, pattern: RegExp, chunk?: number) {
  const err = (() => { try { parseManifest(bytesOf(m)); } catch (e) { return e; } })() as ManifestInvalid;
  expect(err, `expected refusal matching ${pattern}`).toBeInstanceOf(ManifestInvalid);
  expect(err.message).toMatch(pattern);
  if (chunk !== undefined) expect(err.chunk).toBe(chunk);
}

describe('the manifest', () => {
  it('round-trips through its canonical bytes', () => {
    const m = sample();
    expect(parseManifest(encodeManifest(m))).toEqual(m);
  });

  it('refuses bytes that are not canonical', () => {
    const text = new TextDecoder().decode(encodeManifest(sample()));
    expect(() => parseManifest(new TextEncoder().encode(text.replace('{"format"', '{ "format"')))).toThrow(/canonical/);
    const { format, ...rest } = sample();
    expect(() => parseManifest(bytesOf({ ...rest, format }))).toThrow(/canonical/);
    expect(() => parseManifest(bytesOf({ ...sample(), extra: 1 }))).toThrow(/canonical/);
  });

  it('refuses gaps, overlaps, reordered tables and an unfinished key space, naming the chunk', () => {
    const gap = sample();
    gap.chunks[1].lo = '8' + '0'.repeat(62) + '1';
    refused(gap, /gap/, 1);
    const overlap = sample();
    overlap.chunks[2].lo = 'b' + '0'.repeat(63);
    refused(overlap, /overlaps/, 2);
    const reordered = sample();
    [reordered.chunks[0], reordered.chunks[1]] = [reordered.chunks[1], reordered.chunks[0]];
    refused(reordered, /gap/, 0);
    const short = sample();
    short.chunks[2].hi = 'e'.repeat(64);
    refused(short, /end of the key space/, 2);
    const inverted = sample();
    inverted.chunks[1].hi = '7' + 'f'.repeat(63);
    refused(inverted, /hi is below lo/, 1);
  });

  it('refuses absurd sizes and counts before allocating anything', () => {
    const big = sample();
    big.chunks[0].size = 2 ** 40;
    refused(big, /size must be an integer/, 0);
    const many = sample();
    many.chunks[0].leaves = 5000;
    refused(many, /cannot fit/, 0);
    refused({ ...sample(), leaves: 31 }, /chunks hold 30/);
    refused({ ...sample(), chunks: [] }, /1 to/);
    expect(() => parseManifest(new Uint8Array(MAX_MANIFEST_BYTES + 1))).toThrow(/over the limit/);
    const huge = { ...sample(), chunks: new Array(MAX_CHUNKS + 1).fill(sample().chunks[0]) };
    expect(() => validateManifest(huge)).toThrow(/1 to 262144 entries/);
    const proof = sample();
    proof.chunks[0].proofSize = 10 ** 9;
    refused(proof, /proofSize/, 0);
    proof.chunks[0].proofSize = 65_537; // one byte past what the range-proof verifier accepts
    refused(proof, /proofSize must be an integer from 1 to 65536/, 0);
  });

  it('version 2 carries one proof-pack digest per 256 chunks, checked like the rest', () => {
    const v2 = { ...sample(), formatVersion: 2 as const, proofPacks: [h('9')] };
    const bytes = encodeManifest(v2);
    expect(new TextDecoder().decode(bytes)).toContain(`"proofPacks":["${h('9')}"],"chunks":`);
    expect(parseManifest(bytes)).toEqual(v2);
    refused({ ...v2, proofPacks: undefined }, /proofPacks must be an array/);
    refused({ ...v2, proofPacks: [] }, /proofPacks must be an array of 1 to 1024 entries/);
    refused({ ...v2, proofPacks: [h('9'), h('8')] }, /proofPacks has 2 entries; 3 chunks have 1 \(one per 256\)/);
    refused({ ...v2, proofPacks: ['9'.repeat(63)] }, /proofPacks\[0\] must be 64 lowercase hex/);
    // Version 1 has no packs: the field is not canonical there.
    expect(() => parseManifest(bytesOf({ ...sample(), proofPacks: [h('9')] }))).toThrow(ManifestInvalid);
  });

  it('refuses wrong types, versions and hex', () => {
    for (const v of [3, 0, '1', null]) {
      // An unknown version is its own error, naming the version, so a reader can say "upgrade lightsnap".
      const err = (() => { try { parseManifest(bytesOf({ ...sample(), formatVersion: v })); } catch (e) { return e; } })();
      expect(err).toBeInstanceOf(UnsupportedFormatVersion);
      expect((err as Error).message).toContain(`formatVersion ${JSON.stringify(v)} is not supported (this lightsnap reads 1, 2)`);
    }
    refused({ ...sample(), root: 'A'.repeat(64) }, /root must be 64 lowercase hex/);
    refused({ ...sample(), version: -1 }, /version must be/);
    refused({ ...sample(), chunking: null }, /chunking must be an object/);
    refused([], /must be an object/);
    expect(() => parseManifest(new TextEncoder().encode('{"format":'))).toThrow(/not valid JSON/);
    expect(() => parseManifest(new Uint8Array([0xff, 0xfe]))).toThrow(ManifestInvalid);
  });

  // Found by `npm run fuzz`: messages and checks recursed into a value nested 100,000 deep and
  // overflowed the stack (a RangeError, not a typed error), in all three JSON formats.
  it('refuses deep nesting before parsing, in every JSON file it reads', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const text = JSON.stringify(sample()).replace('"version":7', `"version":${deep}`);
    expect(() => parseManifest(new TextEncoder().encode(text + '\n'))).toThrow(/nests arrays and objects more than 16 deep/);
    const stream = '{"format":"lightsnap/stream","formatVersion":1,"chunker":{"kind":' + deep + '}}\n';
    expect(() => parseStreamManifest(new TextEncoder().encode(stream))).toThrow(ManifestInvalid);
    const changeset = '{"format":"lightsnap/changeset","formatVersion":1,"height":' + deep + '}\n';
    expect(() => parseChangesetMetadata(new TextEncoder().encode(changeset))).toThrow(ChangesetInvalid);
    const shallower = '['.repeat(30_000) + ']'.repeat(30_000); // migration.json is at most 64 KiB
    const migration = '{"format":"lightsnap/migration","formatVersion":1,"declaration":' + shallower + '}\n';
    expect(() => parseMigration(new TextEncoder().encode(migration))).toThrow(MigrationInvalid);
    expect(() => parseMigration(new TextEncoder().encode(migration))).toThrow(/nests arrays and objects more than 16 deep/);
    // Nesting inside strings is only text.
    expect(() => parseManifest(new TextEncoder().encode(JSON.stringify({ ...sample(), root: '['.repeat(64) }) + '\n'))).toThrow(/root must be 64/);
  });

  it('names a wrong value without writing out the whole of it', () => {
    const err = (() => { try { parseManifest(bytesOf({ ...sample(), version: Array(100_000).fill(1) })); } catch (e) { return e as Error; } })()!;
    expect(err.message).toMatch(/version must be an integer .* got an array of 100000 entries/);
    expect(err.message.length).toBeLessThan(300);
  });

  it('computes the next key hash (as 256-bit integers)', () => {
    const next = (hex: string) => toHex(nextKeyHash(fromHex(hex)));
    const big = (hex: string) => (BigInt('0x' + hex) + 1n).toString(16).padStart(64, '0');
    for (const hex of ['0'.repeat(63) + 'f', '7' + 'f'.repeat(63), '0'.repeat(64), 'ab'.repeat(31) + 'ff', 'f'.repeat(63) + 'e']) {
      expect(next(hex)).toBe(big(hex));
    }
    expect(() => nextKeyHash(MAX_KEY_HASH)).toThrow(InvalidArgument);
  });
});
