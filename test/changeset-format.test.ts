import { describe, expect, it } from 'vitest';
import {
  encodeChangeset, decodeChangesetPiece, parseChangesetMetadata, encodeChangesetMetadata, ChangesetWriter,
  MAX_PIECE_BYTES, MAX_CHANGE_BYTES, PIECE_HEADER_BYTES,
} from '../src/format/changeset.js';
import {
  ChangesetInvalid, ChangesetNotFound, ChangesetPieceCorrupted, ChangesetPieceNotFound, ChangeTooLarge,
} from '../src/errors.js';
import { writeChangeset, loadChangesetMetadata, readChanges, piecePath } from '../src/changeset/io.js';
import { memoryStore } from '../src/store/memory.js';
import { storeSource } from '../src/net/store-source.js';
import type { Pair } from '../src/tree/pairs.js';
import { hex, oracleSha256, rng } from './helpers.js';
import { spySource } from './checkpoint-fixtures.js';

const enc = new TextEncoder();

function randomChanges(n: number, seed: number, maxValue = 3000): Pair[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => ({
    key: r.int(4) === 0 ? r.bytes(1 + r.int(40)) : enc.encode(`k${seed}-${r.int(n)}-${i}`),
    value: r.int(5) === 0 ? null : r.bytes(r.int(maxValue)),
  }));
}

const same = (a: Pair[], b: Pair[]) => {
  expect(a.length).toBe(b.length);
  a.forEach((p, i) => {
    expect(hex(p.key)).toBe(hex(b[i].key));
    expect(p.value === null ? null : hex(p.value)).toBe(b[i].value === null ? null : hex(b[i].value!));
  });
};

async function failure(p: Promise<unknown> | (() => unknown)): Promise<any> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

describe('changeset format', () => {
  it('splits changes in order into bounded, content-addressed pieces, each decodable alone', async () => {
    const changes = randomChanges(700, 3);
    const cs = encodeChangeset(42, changes, { prevRoot: 'a'.repeat(64), root: 'b'.repeat(64) }, { maxPieceBytes: 20_000 });
    expect(cs.pieces.length).toBeGreaterThan(10);
    const back: Pair[] = [];
    for (const [i, p] of cs.pieces.entries()) {
      expect(p.bytes.length).toBeLessThanOrEqual(20_000);
      expect(p.digest).toBe(hex(await oracleSha256(p.bytes)));
      expect(cs.metadata.pieces[i]).toEqual({ digest: p.digest, size: p.bytes.length, changes: p.changes });
      back.push(...decodeChangesetPiece(p.bytes, { height: 42, index: i }));
    }
    same(back, changes);
    expect(cs.metadata.changes).toBe(700);
    const parsed = parseChangesetMetadata(cs.metadataBytes);
    expect(parsed).toEqual(cs.metadata);
    expect(encodeChangesetMetadata(parsed)).toEqual(cs.metadataBytes);
  });

  it('fills a piece up to 1,000,000 bytes and no further; a change that cannot fit names its key', () => {
    const big = (n: number, name: string): Pair => ({ key: enc.encode(name), value: new Uint8Array(n) });
    const cs = encodeChangeset(1, [big(600_000, 'a'), big(399_960, 'b'), big(10, 'c')]);
    expect(cs.pieces.map((p) => p.bytes.length)).toEqual([PIECE_HEADER_BYTES + 9 + 1 + 600_000, PIECE_HEADER_BYTES + 9 + 1 + 399_960 + 9 + 1 + 10]);
    expect(cs.pieces[1].bytes.length).toBeLessThanOrEqual(MAX_PIECE_BYTES);
    const exact = encodeChangeset(1, [{ key: enc.encode('k'), value: new Uint8Array(MAX_CHANGE_BYTES - 1) }]);
    expect(exact.pieces[0].bytes.length).toBe(MAX_PIECE_BYTES);
    const err = (() => { try { encodeChangeset(9, [big(MAX_CHANGE_BYTES, 'the-big-key')]); } catch (e) { return e as Error; } })();
    expect(err).toBeInstanceOf(ChangeTooLarge);
    expect(err!.message).toContain('"the-big-key"');
    expect(err!.message).toContain('height 9');
    expect(() => encodeChangeset(1, [{ key: new Uint8Array(0), value: null }])).toThrow(ChangeTooLarge);
    expect(() => encodeChangeset(1, [{ key: new Uint8Array(65_537), value: null }])).toThrow(/65536/);
  });

  it('an empty height has no pieces', () => {
    const cs = encodeChangeset(5, []);
    expect(cs.pieces).toEqual([]);
    expect(parseChangesetMetadata(cs.metadataBytes).changes).toBe(0);
  });

  it('refuses an unknown format version by name, in the metadata and in a piece', () => {
    const cs = encodeChangeset(3, randomChanges(5, 1));
    const m = JSON.parse(new TextDecoder().decode(cs.metadataBytes));
    m.formatVersion = 2;
    const bad = enc.encode(JSON.stringify(m) + '\n');
    expect(() => parseChangesetMetadata(bad)).toThrow(/formatVersion 2 is not supported/);
    const piece = cs.pieces[0].bytes.slice();
    piece[4] = 7;
    expect(() => decodeChangesetPiece(piece, { height: 3, index: 0 })).toThrow(/version 7 is not supported.*height 3 piece 0/);
  });

  it('refuses malformed metadata: non-canonical, wrong sums, bad digests, oversized counts', () => {
    const cs = encodeChangeset(3, randomChanges(50, 2, 500), {}, { maxPieceBytes: 2000 });
    const m = JSON.parse(new TextDecoder().decode(cs.metadataBytes));
    const variants: Array<[string, (x: any) => void]> = [
      ['changes is', (x) => { x.changes += 1; }],
      ['digest must be', (x) => { x.pieces[0].digest = 'zz'; }],
      ['cannot fit', (x) => { x.pieces[0].changes = 5000; }],
      ['prevRoot', (x) => { x.prevRoot = 'ABC'; }],
      ['height', (x) => { x.height = -1; }],
      ['format must be', (x) => { x.format = 'other'; }],
      ['pieces must be', (x) => { x.pieces = {}; }],
    ];
    for (const [why, edit] of variants) {
      const copy = JSON.parse(JSON.stringify(m));
      edit(copy);
      expect(() => parseChangesetMetadata(enc.encode(JSON.stringify(copy) + '\n')), why).toThrow(ChangesetInvalid);
      expect(() => parseChangesetMetadata(enc.encode(JSON.stringify(copy) + '\n')), why).toThrow(why);
    }
    expect(() => parseChangesetMetadata(enc.encode(JSON.stringify(m, null, 1)))).toThrow(/canonical/);
    expect(() => parseChangesetMetadata(enc.encode('{'))).toThrow(ChangesetInvalid);
  });

  it('a piece that is truncated, extended, for another height or slot, or malformed is refused naming height and index', () => {
    const cs = encodeChangeset(77, randomChanges(40, 5), {}, { maxPieceBytes: 4000 });
    const p = cs.pieces[1].bytes;
    const cases: Array<[Uint8Array, { height: number; index: number }, RegExp]> = [
      [p.subarray(0, p.length - 1), { height: 77, index: 1 }, /truncated/],
      [p.subarray(0, 10), { height: 77, index: 1 }, /header/],
      [Uint8Array.from([...p, 0]), { height: 77, index: 1 }, /follow the last change/],
      [p, { height: 78, index: 1 }, /belongs to height 77/],
      [p, { height: 77, index: 0 }, /it is piece 1/],
      [Uint8Array.from(p, (b, i) => (i === PIECE_HEADER_BYTES ? 9 : b)), { height: 77, index: 1 }, /unknown operation 9/],
      [Uint8Array.from(p, (b, i) => (i < 4 ? 0 : b)), { height: 77, index: 1 }, /magic/],
    ];
    for (const [bytes, expect_, why] of cases) {
      let err: any;
      try { decodeChangesetPiece(bytes, expect_); } catch (e) { err = e; }
      expect(err, String(why)).toBeInstanceOf(ChangesetInvalid);
      expect(err.message).toMatch(why);
      expect(err.height).toBe(expect_.height);
      expect(err.piece).toBe(expect_.index);
    }
    // A random flip anywhere never crashes: it is refused or decodes to changes of valid shape.
    const r = rng(9);
    for (let t = 0; t < 300; t++) {
      const copy = p.slice();
      copy[r.int(copy.length)] ^= 1 << r.int(8);
      try {
        for (const c of decodeChangesetPiece(copy, { height: 77, index: 1 })) expect(c.key.length).toBeGreaterThan(0);
      } catch (e) {
        expect(e).toBeInstanceOf(ChangesetInvalid);
      }
    }
  });

  it('a streaming writer emits each piece as it fills', () => {
    const w = new ChangesetWriter(1, { maxPieceBytes: 200 });
    const closed = randomChanges(30, 4, 60).map((c) => w.add(c)).filter(Boolean);
    const { last, metadata } = w.finish();
    expect(closed.length + (last ? 1 : 0)).toBe(metadata.pieces.length);
    expect(closed.map((p) => p!.index)).toEqual(closed.map((_, i) => i));
  });
});

describe('changesets in a store', () => {
  async function stored(changes: Pair[]) {
    const store = memoryStore();
    const written = await writeChangeset(store, 12, changes, { root: 'c'.repeat(64) }, { maxPieceBytes: 3000 });
    return { store, written };
  }

  it('writes pieces then metadata; reads them back verified, in order', async () => {
    const changes = randomChanges(200, 8, 500);
    const { store, written } = await stored(changes);
    expect(written.id).toBe(hex(await oracleSha256(written.metadataBytes)));
    const source = storeSource(store, 'cs');
    const metadata = await loadChangesetMetadata(source);
    const back: Pair[] = [];
    for await (const c of readChanges(source, metadata)) back.push(c);
    same(back, changes);
  });

  it('a missing, corrupt, truncated or oversized piece is a typed error naming height and index', async () => {
    const { store, written } = await stored(randomChanges(200, 8, 500));
    const target = written.metadata.pieces[2].digest;
    const read = async (rewrite?: (bytes: Uint8Array) => Uint8Array | undefined) => {
      const copy = memoryStore();
      for (const k of await store.keys('')) {
        const bytes = (await store.get(k))!;
        const out = k === piecePath(target) && rewrite ? rewrite(bytes) : bytes;
        if (out) await copy.put([[k, out]]);
      }
      const source = spySource(storeSource(copy, 'mirror'), 'mirror');
      const m = await loadChangesetMetadata(source);
      return failure((async () => { for await (const _ of readChanges(source, m)) void _; })());
    };
    const cases: Array<[string, (b: Uint8Array) => Uint8Array | undefined, unknown]> = [
      ['missing', () => undefined, ChangesetPieceNotFound],
      ['corrupt', (b) => Uint8Array.from(b, (x, i) => (i === 30 ? x ^ 1 : x)), ChangesetPieceCorrupted],
      ['truncated', (b) => b.subarray(0, b.length - 3), ChangesetPieceCorrupted],
      ['oversized', (b) => Uint8Array.from([...b, 1, 2, 3]), ChangesetPieceCorrupted],
    ];
    for (const [what, rewrite, cls] of cases) {
      const err = await read(rewrite);
      expect(err, what).toBeInstanceOf(cls as any);
      expect(err.height, what).toBe(12);
      expect(err.piece, what).toBe(2);
      expect(err.message, what).toMatch(/height 12 piece 2/);
    }
    await expect(loadChangesetMetadata(storeSource(memoryStore(), 'empty'))).rejects.toThrow(ChangesetNotFound);
  });
});
