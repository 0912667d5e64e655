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
