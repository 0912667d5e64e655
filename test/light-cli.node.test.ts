// `lightsnap light verify` against `lightsnap devnet` chains served over HTTP: the proven app
// hash on the last line, JSON output, and the exit status of each kind of failure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevnet, type Devnet } from '../src/devnet/devnet.js';
import { sampleState } from '../src/cli/sample.js';
import { EXIT } from '../src/errors.js';
import { runCli } from './cli-harness.js';

let net: Devnet;
let forked: Devnet;
const dirs: string[] = [];

beforeAll(async () => {
  const dir = () => { const d = mkdtempSync(join(tmpdir(), 'lightsnap-devnet-test-')); dirs.push(d); return d; };
  net = await startDevnet({ state: sampleState(500), heights: 60, dir: dir() });
  // Same validators and times, another state: a validly signed fork from height 1.
  forked = await startDevnet({ state: sampleState(501), heights: 60, dir: dir(), now: Number(net.chain.spec.genesisTime / 1_000_000n) + 60_000 });
});
afterAll(async () => {
  await net.close();
  await forked.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const args = (...extra: string[]) => ['light', 'verify', '--rpc', net.url, '--trusted-height', '1', '--trusted-hash', net.genesis.hash, ...extra];

describe('lightsnap light verify', () => {
  it('proves the app hash of a height; the last line is the checkpoint root', async () => {
    const r = await runCli(...args('--height', '60', '--witness', net.url));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(net.checkpoints[0].root);
    expect(r.stdout).toMatch(/verified header 60 /);
    const j = await runCli(...args('--height', '45', '--json', '--sequential'));
    expect(j.code, j.stderr).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({ height: 45, chainId: 'lightsnap-devnet', trustedHeight: 1, droppedWitnesses: [] });
  });

  it('a checkpoint verifies against the proven root', async () => {
    const r = await runCli(...args('--height', '60'));
    const root = r.stdout.trim().split('\n').at(-1)!;
    const v = await runCli('verify', net.checkpoints[0].url, '--root', root);
    expect(v.code, v.stderr).toBe(0);
  });

  it('exit statuses: wrong trust root 5, a forked witness 5, no node 6, bad arguments 2', async () => {
    const wrong = await runCli('light', 'verify', '--rpc', net.url, '--trusted-height', '2', '--trusted-hash', net.genesis.hash, '--height', '10');
    expect(wrong.code).toBe(EXIT.verification);
    expect(wrong.stderr).toMatch(/LightVerificationFailed: header at height 2/);
    const fork = await runCli(...args('--height', '30', '--witness', forked.url));
    expect(fork.code).toBe(EXIT.verification);
    expect(fork.stderr).toMatch(/ConflictingHeaders/);
    const down = await runCli('light', 'verify', '--rpc', 'http://127.0.0.1:9/', '--trusted-height', '1', '--trusted-hash', net.genesis.hash);
    expect(down.code).toBe(EXIT.network);
    for (const bad of [['light', 'verify'], ['light', 'check'], args('--height', 'ten'), args('--trusting-period', '2 weeks'),
      ['light', 'verify', '--rpc', 'ftp://x', '--trusted-height', '1', '--trusted-hash', net.genesis.hash]]) {
      expect((await runCli(...bad)).code, bad.join(' ')).toBe(EXIT.usage);
    }
  });
});
