import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { runCli } from './cli-harness.js';

const work = mkdtempSync(join(tmpdir(), 'lightsnap-cs-cli-'));

describe('lightsnap changeset create / inspect', () => {
  it('writes content-addressed pieces and canonical metadata; inspect reads them back', async () => {
    const file = join(work, 'changes.jsonl');
    const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ key: `k${i}`, value: i % 7 === 0 ? null : `v${i}` }));
    writeFileSync(file, lines.join('\n') + '\n');
    const out = join(work, 'cs');
    const root = 'ab'.repeat(32);
    const r = await runCli('changeset', 'create', file, '--height', '9', '--out', out, '--root', root.toUpperCase());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(root);
    for (const name of readdirSync(join(out, 'pieces'))) {
      expect(createHash('sha256').update(readFileSync(join(out, 'pieces', name))).digest('hex')).toBe(name);
    }
    const info = JSON.parse((await runCli('changeset', 'inspect', out, '--json')).stdout);
    expect(info).toMatchObject({ height: 9, changes: 50, prevRoot: null, root });
    expect(info.id).toBe(createHash('sha256').update(readFileSync(join(out, 'changeset.json'))).digest('hex'));
  });

  it('exit statuses: usage 2, missing input 4, a malformed line 2 naming it', async () => {
    expect((await runCli('changeset', 'create', 'x.jsonl', '--out', join(work, 'o'))).code).toBe(2);
    expect((await runCli('changeset', 'frobnicate')).code).toBe(2);
    expect((await runCli('changeset', 'create', join(work, 'nope.jsonl'), '--height', '1', '--out', join(work, 'o'))).code).toBe(4);
    const bad = join(work, 'bad.jsonl');
    writeFileSync(bad, '{"key":"a","value":"1"}\n{"key":1}\n');
    const r = await runCli('changeset', 'create', bad, '--height', '1', '--out', join(work, 'o2'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 2/);
    expect((await runCli('changeset', 'inspect', work)).code).toBe(4);
  });
});

// ---- diff, apply, append, incremental restore, kills -------------------------------------------
import { cpSync, existsSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { afterAll } from 'vitest';
import { serveDirectory } from '../src/net/serve.js';
import { dirSource } from '../src/net/dir-source.js';
import { verifyCheckpoint } from '../src/checkpoint/transfer.js';
import { refRoot } from './jmt-reference.js';
import { hex, rng } from './helpers.js';

const servers: Server[] = [];
afterAll(() => servers.forEach((s) => { s.closeAllConnections(); s.close(); }));

type P = { key: Uint8Array; value: Uint8Array | null };
const bytesOf = (s: string) => s.startsWith('0x') ? Uint8Array.from(Buffer.from(s.slice(2), 'hex')) : new TextEncoder().encode(s);

/** Writes JSON lines and returns the pairs they hold. */
function writeLines(path: string, lines: Array<{ key: string; value: string | null }>): P[] {
  writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return lines.map((l) => ({ key: bytesOf(l.key), value: l.value === null ? null : bytesOf(l.value) }));
}

function stateLines(n: number, seed: number) {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => ({ key: `s${i}`, value: `0x${hex(r.bytes(20 + r.int(120)))}` }));
}

function changeLines(n: number, seed: number, stateSize: number) {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const k = r.int(4);
    if (k === 0) return { key: `s${r.int(stateSize)}`, value: null };
    if (k === 1) return { key: `absent${i}`, value: null };
    if (k === 2) return { key: `new${seed}-${i}`, value: `0x${hex(r.bytes(1 + r.int(100)))}` };
    return { key: `s${r.int(stateSize)}`, value: `v${seed}-${i}` };
  });
}

const tree = (dir: string) => {
  const out = new Map<string, string>();
  for (const sub of ['chunks', 'proofs']) {
    for (const f of existsSync(join(dir, sub)) ? readdirSync(join(dir, sub)) : []) out.set(`${sub}/${f}`, hex(readFileSync(join(dir, sub, f))));
  }
  out.set('manifest.json', hex(readFileSync(join(dir, 'manifest.json'))));
  return out;
};

describe('lightsnap changeset diff / apply and append', () => {
  const stateFile = join(work, 'state.jsonl');
  const state = writeLines(stateFile, stateLines(3000, 1));
  const changesFile = join(work, 'height8.jsonl');
  const changes = writeLines(changesFile, changeLines(150, 2, 3000));
  const finalFile = join(work, 'final.jsonl');
  writeLines(finalFile, [...stateLines(3000, 1), ...changeLines(150, 2, 3000)]);
  const oldRoot = hex(refRoot(state));
  const newRoot = hex(refRoot([...state, ...changes]));
  const cp = join(work, 'cp');
  const rebuilt = join(work, 'rebuilt');

  it('apply writes the checkpoint a rebuild writes, prints the root last, and leaves the old directory untouched', async () => {
    expect((await runCli('create', stateFile, '--out', cp, '--version', '7', '--max-chunk-bytes', '4096')).code).toBe(0);
    expect((await runCli('create', finalFile, '--out', rebuilt, '--version', '8', '--max-chunk-bytes', '4096')).code).toBe(0);
    const cs = join(work, 'cs8');
    expect((await runCli('changeset', 'create', changesFile, '--height', '8', '--out', cs, '--prev-root', oldRoot, '--root', newRoot)).code).toBe(0);
    const before = tree(cp);
    const out = join(work, 'cp8');
    const r = await runCli('changeset', 'apply', cp, cs, '--out', out, '--expect-root', newRoot);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(newRoot);
    expect(r.stderr).toMatch(/height 8: root [0-9a-f]{64}, \d+ chunk files written/);
    expect(tree(out)).toEqual(tree(rebuilt));
    expect(tree(cp)).toEqual(before);
    const wrong = await runCli('changeset', 'apply', cp, cs, '--out', join(work, 'cp8-wrong'), '--expect-root', 'ab'.repeat(32));
    expect(wrong.code).toBe(5);
    expect(wrong.stderr).toMatch(/ChangesetRootMismatch: .*height 8/);
    expect((await runCli('changeset', 'apply', cp, cs, '--out', out)).code).toBe(4); // not empty
  });

  it('apply of several heights holds them in memory and writes once; --hold-mb 0 writes each; a bad --hold-mb is a usage error', async () => {
    const heights = [9, 10, 11];
    const sets: string[] = [];
    const all: P[] = [...state, ...changes];
    for (const h of heights) {
      const file = join(work, `h${h}.jsonl`);
      all.push(...writeLines(file, changeLines(60, h, 3000)));
      sets.push(join(work, `cs${h}`));
      expect((await runCli('changeset', 'create', file, '--height', String(h), '--out', sets.at(-1)!)).code).toBe(0);
    }
    const finalRoot = hex(refRoot(all));
    const from = join(work, 'cp8');
    const held = await runCli('changeset', 'apply', from, ...sets, '--out', join(work, 'held'), '--expect-root', finalRoot);
    expect(held.code, held.stderr).toBe(0);
    expect(held.stderr.match(/height (9|10): root [0-9a-f]{64}, held in memory/g)).toHaveLength(2);
    expect(held.stderr).toMatch(/height 11: root [0-9a-f]{64}, \d+ chunk files written/);
    const each = await runCli('changeset', 'apply', from, ...sets, '--out', join(work, 'each'), '--hold-mb', '0');
    expect(each.code, each.stderr).toBe(0);
    expect(each.stderr).not.toMatch(/held in memory/);
    expect(each.stdout.trim().split('\n').at(-1)).toBe(finalRoot);
    expect(tree(join(work, 'held'))).toEqual(tree(join(work, 'each')));
    for (const bad of ['-1', '1.5', 'lots']) {
      const r = await runCli('changeset', 'apply', from, ...sets, '--out', join(work, 'bad'), `--hold-mb=${bad}`);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/--hold-mb must be/);
    }
  });

  it('diff reads only the chunks whose digests differ, and applying it gives the new checkpoint', async () => {
    const d = join(work, 'diff');
    const r = await runCli('changeset', 'diff', cp, rebuilt, '--out', d);
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(readFileSync(join(cp, 'manifest.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(rebuilt, 'manifest.json'), 'utf8'));
    const da = new Set(a.chunks.map((c: any) => c.digest));
    const db = new Set(b.chunks.map((c: any) => c.digest));
    const onlyA = [...da].filter((x) => !db.has(x)).length;
    const onlyB = [...db].filter((x) => !da.has(x)).length;
    expect(r.stderr).toContain(`read ${onlyA} of ${a.chunks.length} old and ${onlyB} of ${b.chunks.length} new chunk files`);
    expect(onlyA).toBeLessThan(a.chunks.length);
    const info = JSON.parse((await runCli('changeset', 'inspect', d, '--json')).stdout);
    expect(info).toMatchObject({ height: 8, prevRoot: oldRoot, root: newRoot });
    const inPlace = join(work, 'cp-diffed');
    cpSync(cp, inPlace, { recursive: true });
    const applied = await runCli('changeset', 'apply', inPlace, d, '--out', inPlace);
    expect(applied.code, applied.stderr).toBe(0);
    expect(tree(inPlace)).toEqual(tree(rebuilt));
  });

  it('append --dry-run prints the new root and writes nothing; append keeps the version and verifies', async () => {
    const dir = join(work, 'cp-append');
    cpSync(cp, dir, { recursive: true });
    const before = tree(dir);
    const dry = await runCli('append', dir, changesFile, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout.trim().split('\n').at(-1)).toBe(newRoot);
    expect(tree(dir)).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['chunks', 'manifest.json', 'manifests', 'proofs']);
    const r = await runCli('append', dir, changesFile);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(newRoot);
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).version).toBe(7);
    expect((await runCli('verify', dir, '--root', newRoot)).code).toBe(0);
    expect(readdirSync(join(dir, 'manifests'))).toEqual(['7.json']);
  });

  it('a client holding version N restores N+1 made by changeset apply fetching only the changed chunks and every proof', async () => {
    const served = join(work, 'served');
    cpSync(cp, served, { recursive: true });
    const requests: string[] = [];
    const { server, url } = await serveDirectory(served, { onRequest: (i) => requests.push(i.path) });
    servers.push(server);
    const client = join(work, 'client');
    expect((await runCli('restore', url, '--root', oldRoot, '--into', client)).code).toBe(0);
    const oldChunks = new Set(readdirSync(join(client, 'chunks')));
    expect((await runCli('changeset', 'apply', served, join(work, 'cs8'), '--out', served)).code).toBe(0);
    requests.length = 0;
    const r = await runCli('restore', url, '--root', newRoot, '--into', client);
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(served, 'manifest.json'), 'utf8'));
    const changed = m.chunks.map((c: any) => c.digest).filter((d: string) => !oldChunks.has(d));
    const fetchedChunks = requests.filter((p) => p.includes('/chunks/')).map((p) => p.split('/').at(-1)).sort();
    expect(fetchedChunks).toEqual([...new Set(changed)].sort());
    expect(changed.length).toBeLessThan(m.chunks.length);
    // Every proof changes with the root: each proof pack is fetched, once.
    const fetchedProofs = requests.filter((p) => p.includes('/proofs/')).map((p) => p.split('/').at(-1)).sort();
    expect(fetchedProofs).toEqual([...m.proofPacks].sort());
    expect((await runCli('verify', client, '--root', newRoot)).code).toBe(0);
  });
});

/**
 * Kills `changeset apply` (in place) at random moments, `CHANGESET_KILLS` times (default 2 in
 * npm test; `npm run crash:changeset` runs 25): after each kill the directory must hold a
 * checkpoint that verifies against the old root or the new one.
 */
describe('changeset apply killed at random points', () => {
  const kills = Number(process.env.CHANGESET_KILLS ?? 2);
  it(`always leaves the old checkpoint or the new one (${kills} kills)`, async () => {
    const stateFile = join(work, 'kstate.jsonl');
    const state = writeLines(stateFile, stateLines(3000, 5));
    // Three heights: held in memory and written once, or (every other attempt, --hold-mb 0)
    // written height by height; either way only the last one is switched to.
    const pristine = join(work, 'kpristine');
    expect((await runCli('create', stateFile, '--out', pristine, '--version', '1', '--max-chunk-bytes', '2048')).code).toBe(0);
    const cs: string[] = [];
    const changes: P[] = [];
    for (const height of [2, 3, 4]) {
      const changesFile = join(work, `kchanges${height}.jsonl`);
      changes.push(...writeLines(changesFile, changeLines(height === 2 ? 400 : 150, 4 + height, 3000)));
      cs.push(join(work, `kcs${height}`));
      expect((await runCli('changeset', 'create', changesFile, '--height', String(height), '--out', cs.at(-1)!)).code).toBe(0);
    }
    const roots = { old: hex(refRoot(state)), new: hex(refRoot([...state, ...changes])) };
    const r = rng(17);
    const outcomes = { old: 0, new: 0 };
    let duration = 3000;
    for (let attempt = 0; attempt < kills; attempt++) {
      const dir = join(work, 'kdir');
      rmSync(dir, { recursive: true, force: true });
      cpSync(pristine, dir, { recursive: true });
      const started = Date.now();
      const hold = attempt % 2 ? ['--hold-mb', '0'] : [];
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'changeset', 'apply', dir, ...cs, '--out', dir, ...hold], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d) => { stderr += String(d); });
      const timer = setTimeout(() => child.kill('SIGKILL'), r.int(duration));
      const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
      clearTimeout(timer);
      if (code === 0) duration = Math.max(500, Date.now() - started);
      else if (code !== null) throw new Error(`apply failed (exit ${code}): ${stderr}`);
      const root = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).root;
      const which = root === roots.old ? 'old' : root === roots.new ? 'new' : undefined;
      expect(which, `attempt ${attempt}: manifest root ${root}`).toBeDefined();
      await verifyCheckpoint({ sources: [dirSource(dir)], root: roots[which!] });
      outcomes[which!]++;
      // Run to the end from whatever the kill left: the result is the new checkpoint.
      if (attempt === kills - 1 || which === 'old') {
        const done = await runCli('changeset', 'apply', dir, ...cs, '--out', dir);
        expect(done.code, done.stderr).toBe(which === 'old' ? 0 : 5);
      }
    }
    expect(outcomes.old + outcomes.new).toBe(kills);
  }, 600_000);
});
