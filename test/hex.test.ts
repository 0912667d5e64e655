import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../src/hex.js';
import { decodeBytesString } from '../src/format/jsonl.js';
import { InvalidArgument, JsonLinesError } from '../src/errors.js';
import { rng } from './helpers.js';

/** The oracle: two digits at a time through parseInt, checked by a regular expression. */
function refDecode(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  return Uint8Array.from({ length: hex.length / 2 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

describe('hex decoding', () => {
  it('decodes what toHex writes, in either case, as the parseInt oracle does', () => {
    const r = rng(1);
    for (let n = 0; n < 300; n++) {
      const bytes = r.bytes(r.int(70));
      const hex = toHex(bytes);
      const mixed = [...hex].map((c) => (r.int(2) ? c.toUpperCase() : c)).join('');
      expect(fromHex(hex)).toEqual(bytes);
      expect(fromHex(mixed)).toEqual(refDecode(mixed));
      expect(decodeBytesString(`0x${mixed}`, 'v')).toEqual(bytes);
    }
  });

  it('names the first character that is not a hex digit', () => {
    for (const bad of ['g', 'G', ' ', 'x', '\u00e9', '\u0660', '\ud83d', '-', ':', '@', '`']) {
      for (const at of [0, 1, 2, 5]) {
        const hex = `${'ab01cd'.slice(0, at)}${bad}${'ab01cd'.slice(at + 1)}`;
        expect(refDecode(hex)).toBeUndefined();
        expect(() => fromHex(hex)).toThrow(new InvalidArgument(`hex string has a non-hex character at position ${at}`));
        expect(() => decodeBytesString(`0x${hex}`, 'v', 3)).toThrow(JsonLinesError);
      }
    }
    expect(() => fromHex('abc')).toThrow(/odd number/);
    expect(() => decodeBytesString('0xabc', 'v', 3)).toThrow(JsonLinesError);
  });
});
