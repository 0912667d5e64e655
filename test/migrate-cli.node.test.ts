import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli-harness.js';
import { refRoot } from './jmt-reference.js';
import { hex } from './helpers.js';
import { migrationPlan } from './migration-fixtures.js';
import type { Pair } from '../src/tree/pairs.js';

const work = mkdtempSync(join(tmpdir(), 'lightsnap-migrate-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const plan = migrationPlan(500, 4, 30, 21);
const jsonl = (pairs: Pair[]) => pairs.map((p) => JSON.stringify({
  key: '0x' + hex(p.key), value: p.value === null ? null : '0x' + hex(p.value),
})).join('\n') + '\n';

/** A migration directory with the genesis at 50 and `heights` of the 4 recorded. */
async function oldSide(name: string, heights: number): Promise<string> {
  const dir = join(work, name);
  writeFileSync(join(work, 'state.jsonl'), jsonl(plan.genesis));
  const started = await runCli('migrate', 'start', '--state', join(work, 'state.jsonl'), '--start', '50', '--duration', '4',
    '--out', dir, '--timestamp', 'cli test', '--max-chunk-bytes', '2048');
  expect(started.code, started.stderr).toBe(0);
  expect(started.stdout.trim().split('\n').at(-1)).toBe(hex(refRoot(plan.genesis)));
  for (let i = 0; i < heights; i++) {
    const file = join(work, `h${i}.jsonl`);
    writeFileSync(file, jsonl(plan.heights[i]));
    const r = await runCli('migrate', 'notify', dir, '--height', String(51 + i), file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(hex(refRoot([...plan.genesis, ...plan.heights.slice(0, i + 1).flat()])));
  }
  return dir;
}

const fast = ['--poll-ms', '20', '--max-poll-ms', '100'];

describe('lightsnap migrate', () => {
  it('start, notify, status and follow: caught up, then to the end and the switch', async () => {
    const dir = await oldSide('old', 2);
    const status = await runCli('migrate', 'status', dir);
    expect(status.stdout).toMatch(/status InProgress/);
    expect(status.stdout).toMatch(/changesets recorded: 51 to 52/);
    const into = join(work, 'new');
    const caught = await runCli('migrate', 'follow', dir, '--into', into, '--until-caught-up', ...fast);
    expect(caught.code, caught.stderr).toBe(0);
    expect(caught.stdout.trim().split('\n').at(-1)).toBe(hex(refRoot([...plan.genesis, ...plan.heights.slice(0, 2).flat()])));
    expect(caught.stderr).toMatch(/height 52 applied/);
    expect(existsSync(join(into, 'current.json'))).toBe(false);
    for (let i = 2; i < 4; i++) {
      const file = join(work, `h${i}.jsonl`);
      writeFileSync(file, jsonl(plan.heights[i]));
      expect((await runCli('migrate', 'notify', dir, '--height', String(51 + i), file)).code).toBe(0);
    }
    expect((await runCli('migrate', 'status', dir)).stdout).toMatch(/status Completed/);
    const done = await runCli('migrate', 'follow', dir, '--into', into, '--json', ...fast);
    expect(done.code, done.stderr).toBe(0);
    const final = hex(refRoot([...plan.genesis, ...plan.heights.flat()]));
    expect(done.stdout.trim().split('\n').at(-1)).toBe(final);
    const events = done.stderr.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.type === 'applied').map((e) => e.height)).toEqual([53, 54]);
    expect(events.at(-1)).toMatchObject({ type: 'switched', height: 54, root: final });
    expect(JSON.parse(readFileSync(join(into, 'current.json'), 'utf8')).root).toBe(final);
    const verify = await runCli('verify', join(into, JSON.parse(readFileSync(join(into, 'current.json'), 'utf8')).state), '--root', final);
    expect(verify.code, verify.stderr).toBe(0);
  });

  it('says NoActiveMigration for a place with none, and refuses bad arguments with usage', async () => {
    mkdirSync(join(work, 'empty'));
    expect((await runCli('migrate', 'status', join(work, 'empty'))).stdout.trim()).toBe('NoActiveMigration');
    expect((await runCli('migrate')).code).toBe(2);
    expect((await runCli('migrate', 'start', '--start', '5')).code).toBe(2);
    expect((await runCli('migrate', 'follow', join(work, 'empty'))).stderr).toMatch(/--into DIR is required/);
    const batch = await runCli('migrate', 'follow', join(work, 'empty'), '--into', join(work, 'x'), '--batch-heights', '0');
    expect(batch.code).toBe(2);
    expect(batch.stderr).toMatch(/--batch-heights must be a whole number from 1 to 4096, got "0"/);
    const none = await runCli('migrate', 'follow', join(work, 'empty'), '--into', join(work, 'x'), ...fast);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/NoActiveMigration/);
  });

  it('refetches a corrupt piece from the second mirror and names the first', async () => {
    const dir = await oldSide('mirrored', 4);
    const bad = join(work, 'mirror-bad');
    cpSync(dir, bad, { recursive: true });
    const pieces = join(bad, 'changesets', '52', 'pieces');
    const file = join(pieces, readdirSync(pieces)[0]);
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(file, bytes);
    const r = await runCli('migrate', 'follow', bad, dir, '--into', join(work, 'from-mirrors'), ...fast);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`refused height 52 piece 0 from ${bad}.*ChangesetPieceCorrupted`));
    expect(r.stdout.trim().split('\n').at(-1)).toBe(hex(refRoot([...plan.genesis, ...plan.heights.flat()])));
  });

  it('refuses a height whose result is not its declared root, naming it; nothing switches', async () => {
    const dir = await oldSide('lying', 4);
    const path = join(dir, 'changesets', '53', 'changeset.json');
    const meta = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...meta, root: 'ab'.repeat(32) }) + '\n');
    const into = join(work, 'refused');
    const r = await runCli('migrate', 'follow', dir, '--into', into, ...fast);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/ChangesetRootMismatch.*height 53/);
    expect(existsSync(join(into, 'current.json'))).toBe(false);
  });

  it('waits with backoff for a source that stops, reporting, until the stated deadline', async () => {
    const dir = await oldSide('stalled', 1);
    const r = await runCli('migrate', 'follow', dir, '--into', join(work, 'stalled-new'), '--poll-ms', '100', '--max-poll-ms', '300', '--stall-timeout', '1');
    expect(r.code, r.stderr).toBe(6);
    expect(r.stderr).toMatch(/waiting for height 52 .*nothing new for \d\.\d s, next poll in 0\.1 s, giving up in \d\.\d s/);
    expect(r.stderr).toMatch(/next poll in 0\.2 s, giving up in \d\.\d s/);
    expect(r.stderr).toMatch(/MigrationStalled: nothing new for 1 s/);
  });
});

