import { describe, expect, it } from 'vitest';
import { readJsonLines } from '../src/format/jsonl.js';
import { JsonLinesError } from '../src/errors.js';
import { hex } from './helpers.js';

async function parse(text: string | Uint8Array, split = 3) {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  async function* pieces() {
    for (let i = 0; i < bytes.length; i += split) yield bytes.subarray(i, i + split);
  }
  const out: Array<[string, string | null]> = [];
  for await (const p of readJsonLines(pieces())) out.push([hex(p.key), p.value && hex(p.value)]);
  return out;
}

describe('JSON lines state input', () => {
  it('reads hex and text, nulls and blank lines, across any split', async () => {
    const text = '{"key":"0x01ff","value":"hi"}\n\n{"key":"é","value":null}\r\n{"key":"k","value":"0x"}';
    for (const split of [1, 2, 5, 1000]) {
      expect(await parse(text, split)).toEqual([['01ff', '6869'], ['c3a9', null], ['6b', '']]);
    }
  });

  it('names the line of every malformed input', async () => {
    const cases: Array<[string, RegExp]> = [
      ['{"key":"a","value":"b"}\n{"key":1,"value":"b"}', /line 2: "key" must be a string/],
      ['{"key":"a","value":"b"}\n\n{"key":"a","value":3}', /line 3: "value" must be a string or null/],
      ['{"key":"0xabc","value":"x"}', /line 1: "key" starts with 0x but is not whole bytes/],
      ['{"key":"a","value":"0xzz"}', /line 1: "value" starts with 0x/],
      ['[1,2]', /line 1: expected an object/],
      ['{"key":"a",', /line 1: not valid JSON/],
      ['{"key":"","value":"x"}', /line 1: "key" must not be empty/],
    ];
    for (const [text, pattern] of cases) {
      const err = await parse(text).catch((e) => e);
      expect(err, text).toBeInstanceOf(JsonLinesError);
      expect(err.message).toMatch(pattern);
    }
    expect((await parse(new Uint8Array([0x7b, 0xff, 0x0a])).catch((e) => e)).message).toMatch(/line 1: not valid UTF-8/);
  });

  it('names the line of invalid UTF-8 however the input is split', async () => {
    const good = new TextEncoder().encode('{"key":"a","value":"é"}\n{"key":"b","value":"ü"}\n');
    const bytes = new Uint8Array([...good, ...new TextEncoder().encode('{"key":"c","value":"'), 0xc3, 0x28, 0x22, 0x7d, 0x0a]);
    for (const split of [1, 7, 4096]) {
      const err = await parse(bytes, split).catch((e) => e);
      expect(err, `split ${split}`).toBeInstanceOf(JsonLinesError);
      expect(err.line).toBe(3);
    }
  });

  it('refuses a key longer than any checkpoint holds (65,536 bytes), naming its line', async () => {
    const at = (n: number) => `{"key":"a","value":"b"}\n{"key":"0x${'ab'.repeat(n)}","value":"b"}`;
    expect(await parse(at(65_536), 4096)).toHaveLength(2);
    const err = await parse(at(65_537), 4096).catch((e) => e);
    expect(err).toBeInstanceOf(JsonLinesError);
    expect(err.message).toMatch(/line 2: "key" is 65537 bytes/);
  });
});
