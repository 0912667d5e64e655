import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli-harness.js';
import { rng } from './helpers.js';
import vectors from './vectors/fastcdc/v2020.json';
import ronomon from './vectors/fastcdc/ronomon.json';

const dir = mkdtempSync(join(tmpdir(), 'lightsnap-chunk-'));
const sekienPath = join(import.meta.dirname, 'vectors', 'fastcdc', 'SekienAkashita.jpg');
const sha256Hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('lightsnap chunk', () => {
  it('prints offset, length and SHA-256 per chunk: the fastcdc-rs 16 KiB table', async () => {
    const v = vectors.sekien[0];
    const bytes = readFileSync(sekienPath);
    const r = await runCli('chunk', sekienPath, '--min', String(v.minSize), '--avg', String(v.avgSize), '--max', String(v.maxSize));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(v.chunks.map((c) =>
      `${c.offset} ${c.length} ${sha256Hex(bytes.subarray(c.offset, c.offset + c.length))}\n`).join(''));
  });

  it('covers a multi-MiB file exactly with the default sizes and --level', async () => {
    const path = join(dir, 'random.bin');
    const bytes = rng(8).bytes(5_000_000);
    writeFileSync(path, bytes);
    const r = await runCli('chunk', path, '--level', '3');
    expect(r.code).toBe(0);
    let pos = 0;
    for (const line of r.stdout.trimEnd().split('\n')) {
      const [offset, length, digest] = line.split(' ');
      expect(Number(offset)).toBe(pos);
      expect(digest).toBe(sha256Hex(bytes.subarray(pos, pos + Number(length))));
      pos += Number(length);
    }
    expect(pos).toBe(bytes.length);
  });

  it('--variant ronomon gives the ronomon cut points', async () => {
    const r = await runCli('chunk', sekienPath, '--variant', 'ronomon', '--min', '8192', '--avg', '16384', '--max', '32768');
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').map((line) => line.split(' ').slice(0, 2).map(Number)))
      .toEqual(ronomon.sekien.chunks.map((c) => [c.offset, c.length]));
  });

  it('names a missing file and exits 4', async () => {
    const r = await runCli('chunk', join(dir, 'missing.bin'));
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/missing\.bin: no such file/);
  });

  it('rejects bad options with exit 2, naming the flag', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--min', '10'], /--min must be a whole number from 64 to 1048576, got "10"/],
      [['--avg', 'big'], /--avg must be a whole number/],
      [['--level', '4'], /--level must be a whole number from 0 to 3/],
      [['--min', '8192', '--avg', '4096', '--max', '65536'], /--min \(8192\) must not exceed --avg \(4096\)/],
      [['--fast'], /Unknown option '--fast'/],
      [['--variant', 'v2016'], /--variant must be 'v2020' or 'ronomon'/],
      [['--variant', 'ronomon', '--level', '2'], /--variant 'ronomon' takes no --level/],
    ];
    for (const [flags, message] of cases) {
      const r = await runCli('chunk', sekienPath, ...flags);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const none = await runCli('chunk');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/usage: lightsnap chunk FILE/);
  });
});
