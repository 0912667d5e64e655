import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from './cli-harness.js';
import { hex, rng } from './helpers.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

const dir = mkdtempSync(join(tmpdir(), 'lightsnap-cli-'));

describe('lightsnap sha256', () => {
  it('prints digests like sha256sum', async () => {
    const a = join(dir, 'a.bin');
    const b = join(dir, 'b.bin');
    const bytesA = rng(1).bytes(3_000_001);
    writeFileSync(a, bytesA);
    writeFileSync(b, '');
    const r = await runCli('sha256', a, b);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `${hex(nobleSha256(bytesA))}  ${a}\n` +
      `${hex(nobleSha256(new Uint8Array(0)))}  ${b}\n`);
  });

  it('names a missing file and exits 4', async () => {
    const r = await runCli('sha256', join(dir, 'missing'));
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/missing: no such file/);
  });

  it('rejects an unknown option with its usage and exit 2', async () => {
    const r = await runCli('sha256', '--fast', 'x');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '--fast'/);
    expect(r.stderr).toMatch(/usage: lightsnap sha256 FILE/);
  });
});

describe('lightsnap itself', () => {
  it('lists its commands, and refuses an unknown one with exit 2', async () => {
    expect((await runCli('help')).stdout).toMatch(/sha256 +print the SHA-256/);
    const r = await runCli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('runs as a process and sets its exit status', () => {
    const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const p = spawnSync(tsx, ['src/cli/run.ts', 'sha256', join(dir, 'nothing-here')], { encoding: 'utf8' });
    expect(p.status).toBe(4);
    expect(p.stderr).toMatch(/no such file/);
  });
});
