// ed25519 verification side by side: lightsnap (ZIP-215, one by one and as batches of a
// 150-signature commit) against libsodium-wrappers (stricter rules; a speed peer only) and
// @noble/curves (the correctness oracle). Run: `npm run bench ed25519`.
import sodium from 'libsodium-wrappers';
import { ed25519 as noble } from '@noble/curves/ed25519.js';
import { init, initSync, ed25519Verify, ed25519VerifyBatch, type Ed25519Item } from '../src/index.js';
import { randomBytes, report, type Result } from './harness.js';

const SIGNATURES = 300;
/** Each row verifies its list this many times per run, so a run takes ~0.1 s of CPU. */
const PASSES = 4;
const COMMIT = 150;

type Row = [name: string, items: number, fn: () => unknown];

/**
 * Times each row by process CPU time (and wall time beside it), best of `rounds`, the rows run
 * in turn each round after one warm-up: the machine is shared, and CPU time keeps other
 * processes' load out of the ratios better than wall time.
 */
function measureInterleaved(rows: Row[], rounds = 5): Array<Result & { wall: number }> {
  const best = rows.map(() => ({ cpu: Infinity, wall: Infinity }));
  for (let round = -1; round < rounds; round++) {
    rows.forEach(([, , fn], i) => {
      const w0 = performance.now();
      const t0 = process.cpuUsage();
      fn();
      const used = process.cpuUsage(t0);
      const wall = (performance.now() - w0) / 1000;
      if (round >= 0) {
        best[i].cpu = Math.min(best[i].cpu, (used.user + used.system) / 1e6);
        best[i].wall = Math.min(best[i].wall, wall);
      }
    });
  }
  return rows.map(([name, items], i) => ({ name, seconds: best[i].cpu, wall: best[i].wall, bytes: 0, items }));
}

/** Signatures by distinct keys over 110-byte messages (the size of a CometBFT vote's sign bytes). */
function makeItems(n: number): Ed25519Item[] {
  return Array.from({ length: n }, (_, i) => {
    const secret = randomBytes(32, 1000 + i);
    const message = randomBytes(110, 5000 + i);
    return { publicKey: noble.getPublicKey(secret), message, signature: noble.sign(message, secret) };
  });
}

export async function run(): Promise<void> {
  await sodium.ready;
  const kind = initSync();
  const items = makeItems(SIGNATURES);
  const few = items.slice(0, 40);
  const commits = [items.slice(0, COMMIT), items.slice(COMMIT, 2 * COMMIT)];
  const all = (verify: (it: Ed25519Item) => boolean, list = items) => {
    for (let pass = 0; pass < PASSES; pass++) {
      for (const it of list) if (!verify(it)) throw new Error('a valid signature was rejected');
    }
  };
  console.log(`\n# ed25519 verification (lightsnap core: ${kind})`);
  console.log(`\n${SIGNATURES} signatures by distinct keys over 110-byte messages, ${PASSES} passes per run. Times are process CPU time,`);
  console.log('best of 5 rounds that run the rows in turn; wall time of the same runs beside it.');

  const n = PASSES * items.length;
  const rows = measureInterleaved([
    ['lightsnap ed25519Verify (one by one)', n, () => all((it) => ed25519Verify(it.publicKey, it.message, it.signature))],
    [`lightsnap ed25519VerifyBatch (commits of ${COMMIT})`, n, () => {
      for (let pass = 0; pass < PASSES; pass++) {
        for (const c of commits) if (!ed25519VerifyBatch(c).every(Boolean)) throw new Error('a valid commit was rejected');
      }
    }],
    ['libsodium-wrappers crypto_sign_verify_detached', n,
      () => all((it) => sodium.crypto_sign_verify_detached(it.signature, it.message, it.publicKey))],
    ['@noble/curves ed25519.verify', PASSES * few.length, () => all((it) => noble.verify(it.signature, it.message, it.publicKey), few)],
  ]);
  report('ed25519 signatures verified', rows);
  console.log('\n| implementation | wall time per signature | CPU time per signature |');
  console.log('| --- | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.name} | ${(r.wall / r.items * 1e6).toFixed(0)} µs | ${(r.seconds / r.items * 1e6).toFixed(0)} µs |`);
  const rate = (r: Result) => r.items / r.seconds;
  const sodiumRate = rate(rows[2]);
  console.log(`\nsingle: lightsnap = ${(rate(rows[0]) / sodiumRate).toFixed(2)}× libsodium (target ≥ 1×); ` +
    `batch: ${(rate(rows[1]) / sodiumRate).toFixed(2)}× libsodium one by one (target ≥ 2×)`);

  await init({ backend: 'js' }); // fetches the wasm2js core, so initSync can switch to it below
  initSync();
  const jsCore = measureInterleaved([['lightsnap js core ed25519Verify', PASSES * few.length, () => {
    initSync({ backend: 'js' });
    all((it) => ed25519Verify(it.publicKey, it.message, it.signature), few);
    initSync();
  }]], 2);
  report('the JavaScript fallback core (wasm2js), for reference', jsCore);
}
