// A create killed at random points (SIGKILL), then run again into the same directory: the
// directory always holds nothing or a whole checkpoint that verifies, the run that completes
// writes exactly what a create into an empty directory writes, and no sort run or temporary
// file is left. `npm run crash:create` runs CREATE_KILLS (40) kills; `npm test` a few.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';
import { createCheckpoint } from '../src/checkpoint/create.js';
import { defaultChunking } from '../src/checkpoint/splitter.js';
import { verifyCheckpoint } from '../src/checkpoint/transfer.js';
import { dirSource } from '../src/net/dir-source.js';
import { fsStore } from '../src/store/fs.js';
import { parseManifest } from '../src/format/manifest.js';
import { statePairs } from './create-crash-state.js';
import { rng } from './helpers.js';

const KILLS = Number(process.env.CREATE_KILLS ?? 4);
const PAIRS = 150_000;
const SEED = 5;
const RUN_BYTES = 256 << 10;

const work = mkdtempSync(join(tmpdir(), 'lightsnap-create-crash-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every file under `dir`, relative, with its bytes. */
function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out.set(relative(dir, join(entry.parentPath, entry.name)), readFileSync(join(entry.parentPath, entry.name)));
  }
  return out;
}

/** Runs the child create into `dir`; kills it `killAfterMs` after its sort first spills (undefined: lets it finish). */
async function runChild(dir: string, killAfterMs: number | undefined): Promise<number | null> {
  // node itself, not a tsx wrapper, so the kill reaches the process that writes.
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/create-child.ts', dir, String(PAIRS), String(SEED), String(RUN_BYTES)],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  const code = await new Promise<number | null>((resolve) => {
    // Timed from the first spill, whatever the machine's load.
    const poll = setInterval(() => {
      if (killAfterMs !== undefined && existsSync(join(dir, 'tmp'))) {
        clearInterval(poll);
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    }, 5);
    child.on('exit', (c) => { clearInterval(poll); resolve(c); });
  });
  if (code !== null && code !== 0) throw new Error(`create failed (exit ${code}): ${stderr.slice(-2000)}`);
  return code;
}

describe('a create killed at random points', () => {
  it(`${KILLS} kills: nothing or a whole checkpoint every time; the rerun writes what a clean create writes, and nothing else`, async () => {
    const reference = join(work, 'reference');
    await createCheckpoint(statePairs(PAIRS, SEED), { store: fsStore(reference), version: 7, sortRunBytes: RUN_BYTES, chunking: defaultChunking(32768) });
    const root = parseManifest(readFileSync(join(reference, 'manifest.json'))).root;
    const want = files(reference);
    const r = rng(KILLS);
    const landed = { sorting: 0, writing: 0, finished: 0 };
    let kills = 0;
    // Rounds: an empty directory, one to three kills, then a run to the end.
    for (let round = 0; kills < KILLS; round++) {
      const dir = join(work, `round-${round}`);
      for (let k = 1 + r.int(3); k > 0 && kills < KILLS; k--, kills++) {
        const code = await runChild(dir, r.int(1200));
        const chunks = existsSync(join(dir, 'chunks')) ? readdirSync(join(dir, 'chunks')).length : 0;
        landed[code === 0 ? 'finished' : chunks > 0 ? 'writing' : 'sorting']++;
        // Whatever the moment: no checkpoint, or a whole one.
        if (existsSync(join(dir, 'manifest.json'))) await verifyCheckpoint({ sources: [dirSource(dir)], root });
      }
      expect(await runChild(dir, undefined)).toBe(0);
      const got = files(dir);
      expect([...got.keys()].sort(), `round ${round}`).toEqual([...want.keys()].sort());
      for (const [path, bytes] of want) expect(got.get(path)!.equals(bytes), `round ${round}: ${path}`).toBe(true);
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(`create crash: ${KILLS} kills, ${landed.sorting} while sorting, ${landed.writing} while writing chunk files, ${landed.finished} too late (the create had finished)`);
    expect(landed.sorting + landed.writing, 'kills that landed mid-create').toBeGreaterThanOrEqual(Math.min(2, KILLS));
  }, 900_000);
});
