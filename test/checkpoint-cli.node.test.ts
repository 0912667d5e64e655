import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { runCli } from './cli-harness.js';
import { serveDirectory } from '../src/net/serve.js';
import { refRoot } from './jmt-reference.js';
import { hex, rng } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'lightsnap-cp-cli-'));
const servers: Server[] = [];
afterAll(() => servers.forEach((s) => { s.closeAllConnections(); s.close(); }));

function writeState(path: string, n: number, seed: number) {
  const r = rng(seed);
  const lines: string[] = [];
  const pairs: Array<{ key: Uint8Array; value: Uint8Array | null }> = [];
  for (let i = 0; i < n; i++) {
    const value = hex(r.bytes(30 + r.int(100)));
    lines.push(JSON.stringify({ key: `k${i}`, value: `0x${value}` }));
  }
  lines.push(JSON.stringify({ key: 'k3', value: 'overridden' }), JSON.stringify({ key: 'k4', value: null }));
  writeFileSync(path, lines.join('\n') + '\n');
  for (const line of lines) {
    const { key, value } = JSON.parse(line);
    const enc = (s: string) => s.startsWith('0x') ? Uint8Array.from(Buffer.from(s.slice(2), 'hex')) : new TextEncoder().encode(s);
    pairs.push({ key: enc(key), value: value === null ? null : enc(value) });
  }
  return pairs;
}

describe('lightsnap create / inspect / verify / restore / get', () => {
  const state = join(work, 'state.jsonl');
  const pairs = writeState(state, 3000, 4);
  const out = join(work, 'cp');

  it('creates a checkpoint and prints the reference root last', async () => {
    const r = await runCli('create', state, '--out', out, '--version', '12', '--max-chunk-bytes', '8192');
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(hex(refRoot(pairs)));
    expect(existsSync(join(out, 'manifest.json'))).toBe(true);
  });

  it('inspects, verifies, restores and answers get', async () => {
    const root = hex(refRoot(pairs));
    const info = JSON.parse((await runCli('inspect', out, '--json')).stdout);
    expect(info).toMatchObject({ formatVersion: 2, version: 12, root, leaves: 2999 });
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(info.proofFiles).toBe(Math.ceil(manifest.chunks.length / 256));
    expect((await runCli('inspect', out)).stdout).toMatch(new RegExp(`proofs +\\d+ bytes in ${info.proofFiles} packs \\(format version 2\\)`));
    const v = await runCli('verify', out, '--root', root);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/verified \d+ chunks \(2999 leaves/);
    const pooled = await runCli('verify', out, '--root', root, '--workers', '2');
    expect(pooled.code, pooled.stderr).toBe(0);
    expect(pooled.stdout).toBe(v.stdout);
    const into = join(work, 'restored');
    expect((await runCli('restore', out, '--root', root, '--into', into)).code).toBe(0);
    const got = await runCli('get', into, 'k3');
    expect(got.stdout).toBe(`0x${hex(new TextEncoder().encode('overridden'))}\n`);
    const absent = await runCli('get', into, 'k4');
    expect(absent.code).toBe(3);
    expect(absent.stderr).toMatch(/KeyNotFound/);
    const proof = JSON.parse((await runCli('prove', into, 'k3')).stdout);
    expect(proof).toMatchObject({ root, present: true, verified: true });
    expect(proof.valueHash).toBe(createHash('sha256').update('overridden').digest('hex'));
    const none = JSON.parse((await runCli('prove', into, 'k4')).stdout);
    expect(none).toMatchObject({ root, present: false });
  });

  it('refuses a wrong root with exit 5, naming the error code', async () => {
    const r = await runCli('verify', out, '--root', 'ab'.repeat(32));
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/RootMismatch/);
  });

  it('names the chunk of a corrupted file, with exit 5', async () => {
    const bad = join(work, 'bad');
    await runCli('create', state, '--out', bad, '--max-chunk-bytes', '8192');
    const manifest = JSON.parse(readFileSync(join(bad, 'manifest.json'), 'utf8'));
    const victim = join(bad, 'chunks', manifest.chunks[3].digest);
    const bytes = readFileSync(victim);
    bytes[100] ^= 1;
    writeFileSync(victim, bytes);
    const r = await runCli('verify', bad, '--root', manifest.root, '--json', '--workers', '2');
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/ChunkCorrupted: chunk file does not match its digest \(chunk 3 from /);
    const events = r.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(events.some((e) => e.state === 'bad' && e.chunk === 3)).toBe(true);
  });

  it('reports usage errors with exit 2', async () => {
    expect((await runCli('verify', out)).stderr).toMatch(/--root HEX is required/);
    expect((await runCli('verify', out, '--root', 'xyz')).code).toBe(2);
    expect((await runCli('create', state)).stderr).toMatch(/--out DIR is required/);
    expect((await runCli('create', join(work, 'missing.jsonl'), '--out', out)).code).toBe(4);
  });

  it('names the line of a malformed state file', async () => {
    const badState = join(work, 'bad.jsonl');
    writeFileSync(badState, '{"key":"a","value":"b"}\n{"key":"a" "value":"b"}\n');
    const r = await runCli('create', badState, '--out', join(work, 'x'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 2: not valid JSON/);
  });
});

describe('failures of the machine and the arguments', () => {
  const state = join(work, 'state-os.jsonl');
  writeState(state, 2000, 6);
  const out = join(work, 'cp-os');

  it('says what is wrong in one line, with the documented status and no stack trace', async () => {
    const created = await runCli('create', state, '--out', out, '--max-chunk-bytes', '8192');
    const root = created.stdout.trim().split('\n').at(-1)!;
    const file = join(work, 'a-file');
    writeFileSync(file, 'x');
    const cases: Array<[string[], number, RegExp]> = [
      [['restore', out, '--root', root, '--into', file], 4, /--into .*a-file: not a directory/],
      [['verify', 'http://[::1/', '--root', root], 2, /InvalidArgument: not a URL/],
      [['verify', 'http://user:secret@127.0.0.1:9/cp/', '--root', root], 2, /user name or password/],
      [['serve', out, '--host', '192.0.2.1', '--port', '0'], 2, /cannot listen on 192\.0\.2\.1.*EADDRNOTAVAIL/],
    ];
    for (const [argv, code, message] of cases) {
      const r = await runCli(...argv);
      expect(r.code, argv.join(' ')).toBe(code);
      expect(r.stderr, argv.join(' ')).toMatch(message);
      expect(r.stderr, argv.join(' ')).not.toMatch(/\n\s+at /);
    }
  });

  it('stops on a full disk with StorageFailed (status 7), leaves no partial file, and resumes once there is room', async (ctx) => {
    const disk = mkdtempSync(join(tmpdir(), 'lightsnap-full-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', disk], { stdio: 'ignore' });
    } catch {
      return ctx.skip(); // not allowed to mount here (not root)
    }
    try {
      const root = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).root;
      const into = join(disk, 'restored');
      const full = await runCli('restore', out, '--root', root, '--into', into);
      expect(full.code).toBe(7);
      expect(full.stderr).toMatch(/StorageFailed: .*disk is full \(ENOSPC\)/);
      expect(full.stderr).not.toMatch(/\n\s+at /);
      expect(readdirSync(into, { recursive: true }).map(String).filter((n) => n.endsWith('.partial'))).toEqual([]);
      execFileSync('mount', ['-o', 'remount,size=8m', disk]);
      const resumed = await runCli('restore', out, '--root', root, '--into', into);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect((await runCli('verify', into, '--root', root)).code).toBe(0);
    } finally {
      execFileSync('umount', [disk]);
    }
  });
});

describe('a restore killed at random points', () => {
  it('resumes every time, never refetches a stored chunk, and ends with the source state', async () => {
    const state = join(work, 'big.jsonl');
    const pairs = writeState(state, 6000, 8);
    const src = join(work, 'big');
    await runCli('create', state, '--out', src, '--max-chunk-bytes', '4096');
    const root = hex(refRoot(pairs));
    const requests: string[] = [];
    const { server, url } = await serveDirectory(src, { onRequest: (i) => requests.push(i.path) });
    servers.push(server);
    const into = join(work, 'big-restored');
    const r = rng(99);
    let finished = false;
    let interrupted = 0;
    for (let attempt = 0; attempt < 8 && !finished; attempt++) {
      const stored = new Set(existsSync(join(into, 'chunks')) ? readdirSync(join(into, 'chunks')).filter((f) => !f.endsWith('.partial')) : []);
      const before = requests.length;
      // node itself, not the tsx wrapper: SIGKILL on the wrapper leaves its node child restoring
      // on, racing the next attempt over the same files.
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'restore', url, '--root', root, '--into', into], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d) => { stderr += String(d); });
      // Kill only once this run has stored something new (whatever the machine's load), a
      // random moment later; the last run goes to the end.
      const count = () => existsSync(join(into, 'chunks')) ? readdirSync(join(into, 'chunks')).filter((f) => !f.endsWith('.partial')).length : 0;
      const code = await new Promise<number | null>((resolve) => {
        const poll = setInterval(() => {
          if (attempt < 7 && count() > stored.size) {
            clearInterval(poll);
            setTimeout(() => child.kill('SIGKILL'), r.int(200));
          }
        }, 10);
        child.on('exit', (c) => { clearInterval(poll); resolve(c); });
      });
      for (const path of requests.slice(before)) {
        const m = /\/chunks\/([0-9a-f]{64})$/.exec(path);
        if (m) expect(stored.has(m[1]), `chunk ${m[1]} fetched again after it was stored`).toBe(false);
      }
      finished = code === 0;
      if (code !== null && code !== 0) throw new Error(`restore run ${attempt} failed (exit ${code}): ${stderr.slice(-2000)}`);
      if (!finished && count() > stored.size) interrupted++;
    }
    expect(finished).toBe(true);
    expect(interrupted, 'kills that landed in the middle of a restore').toBeGreaterThanOrEqual(2);
    const check = await runCli('verify', into, '--root', root);
    expect(check.code).toBe(0);
    for (const i of [0, 10, 5999]) {
      const got = await runCli('get', into, `k${i}`);
      expect(got.code).toBe(0);
    }
  }, 240_000);
});
