import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli-harness.js';
import { hex, rng } from './helpers.js';
import { refRoot } from './jmt-reference.js';
import upstream from './vectors/jmt/sha2_256_vectors.json';

const dir = mkdtempSync(join(tmpdir(), 'lightsnap-root-'));
const utf8 = (s: string) => new TextEncoder().encode(s);

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('lightsnap root', () => {
  it.each(upstream.vectors.map((v, i) => [i, v] as const))('prints the upstream root of vector %i', async (i, v) => {
    const path = file(`upstream-${i}.jsonl`, v.data.map((d) => JSON.stringify({ key: `0x${d.key}`, value: `0x${d.value}` })));
    const r = await runCli('root', path);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(v.expected_root);
  });

  it('reads UTF-8 and hex strings; a later line overrides, null deletes', async () => {
    const r0 = rng(17);
    const lines: string[] = [];
    const pairs: Array<{ key: Uint8Array; value: Uint8Array | null }> = [];
    for (let i = 0; i < 3000; i++) {
      const k = r0.int(700);
      const useHex = k % 2 === 0;
      const key = useHex ? `0x${hex(utf8(`hex-key-${k}`))}` : `text key ${k} ✓`;
      const value = r0.int(5) === 0 ? null : r0.int(2) ? `0x${hex(r0.bytes(r0.int(30)))}` : `value ${i}`;
      lines.push(JSON.stringify({ key, value }));
      const bytes = (s: string) => (s.startsWith('0x') ? Uint8Array.from(s.slice(2).match(/../g) ?? [], (h) => parseInt(h, 16)) : utf8(s));
      pairs.push({ key: bytes(key), value: value === null ? null : bytes(value) });
    }
    const r = await runCli('root', file('mixed.jsonl', lines));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${hex(refRoot(pairs))}\n`);
  });

  it('names the line of a malformed entry and exits non-zero', async () => {
    const path = file('bad.jsonl', ['{"key":"a","value":"1"}', '', '{"key":"b","value":"2"', '{"key":"c","value":"3"}']);
    const r = await runCli('root', path);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/line 3/);
    const badHex = await runCli('root', file('badhex.jsonl', ['{"key":"0xzz","value":"1"}']));
    expect(badHex.code).not.toBe(0);
    expect(badHex.stderr).toMatch(/line 1/);
  });

  it('reports a missing file and a missing argument', async () => {
    expect((await runCli('root', join(dir, 'nope.jsonl'))).code).toBe(4);
    expect((await runCli('root')).code).toBe(2);
  });
});
