// Light-client benchmarks: verifying a non-adjacent header signed by 150 validators (the core's
// ed25519 batch verifier vs @noble/curves one by one, in the same verifier), a bisection over
// 10,000 heights whose validator set is replaced every 1,000, and the gzip size the light
// client adds to a browser bundle. CPU time is recorded beside wall time (shared machines).
import { gzipSync } from 'node:zlib';
import { ed25519 } from '@noble/curves/ed25519.js';
import { build } from 'vite';
import { DevChain, type DevValidator } from '../src/devnet/chain.js';
import { nodeValidator } from '../src/devnet/devnet.js';
import { LightClient, decodeLightBlock, verifyLightBlock, type BatchVerifier } from '../src/light/index.js';
import { lightBlockJson } from '../src/light/json.js';
import { parseTime } from '../src/light/time.js';
import { headerHash } from '../src/light/encoding.js';
import { toHex } from '../src/hex.js';

const noble: BatchVerifier = (items) => items.map((i) => ed25519.verify(i.signature, i.message, i.publicKey));
const genesis = parseTime('2026-01-01T00:00:00Z')!;
const timeOf = (h: number) => Number(genesis / 1_000_000n) + (h - 1) * 1000;

async function timed<T>(fn: () => Promise<T> | T, reps: number): Promise<{ ms: number; cpuMs: number; value: T }> {
  let value = await fn();
  let best = Infinity;
  let bestCpu = Infinity;
  for (let i = 0; i < reps; i++) {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    value = await fn();
    const ms = performance.now() - t0;
    const c = process.cpuUsage(cpu);
    if (ms < best) { best = ms; bestCpu = (c.user + c.system) / 1000; }
  }
  return { ms: best, cpuMs: bestCpu, value };
}

const validators = (prefix: string, n: number): DevValidator[] => Array.from({ length: n }, (_, i) => nodeValidator(`${prefix}-${i}`, 10n));

async function nonAdjacent150(): Promise<void> {
  const set = validators('bench150', 150);
  const chain = new DevChain({ chainId: 'bench', genesisTime: genesis, validatorsAt: () => set });
  const trusted = lightBlockJson(chain.lightBlock(1));
  const untrusted = lightBlockJson(chain.lightBlock(50));
  const opts = { trustingPeriodMs: 3600_000, now: timeOf(60) };
  const decodedT = decodeLightBlock(trusted);
  const decodedU = decodeLightBlock(untrusted);
  const rows = [
    ['lightsnap (core ed25519 batch), from JSON', await timed(() => verifyLightBlock(trusted, untrusted, opts), 10)],
    ['lightsnap (core ed25519 batch), decoded blocks', await timed(() => verifyLightBlock(decodedT, decodedU, opts), 10)],
    ['same verifier with @noble/curves (one by one)', await timed(() => verifyLightBlock(decodedT, decodedU, { ...opts, verifier: noble }), 3)],
  ] as const;
  for (const [, r] of rows) if (r.value.verdict !== 'SUCCESS') throw new Error(`bench: ${r.value.reason}`);
  console.log('\n## Light client: a non-adjacent header, 150 validators (101 signatures checked for 1/3 + 2/3)\n');
  console.log('| verifier | wall ms | CPU ms | speed vs first row |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, r] of rows) console.log(`| ${name} | ${r.ms.toFixed(2)} | ${r.cpuMs.toFixed(2)} | ${(rows[0][1].ms / r.ms).toFixed(2)}× |`);
}

async function bisection10k(): Promise<void> {
  const sets = Array.from({ length: 10 }, (_, e) => validators(`epoch${e}`, 20));
  const chain = new DevChain({ chainId: 'bench', genesisTime: genesis, validatorsAt: (h) => sets[Math.min(9, Math.floor((h - 1) / 1000))] });
  const t0 = performance.now();
  chain.hash(10_000);
  const hashMs = performance.now() - t0;
  let fetched = 0;
  const primary = { name: 'memory', lightBlock: async (h: number) => { fetched++; return lightBlockJson(chain.lightBlock(h)); } };
  const run = async () => {
    fetched = 0;
    const client = await LightClient.create({
      primary, trust: { height: 1, hash: toHex(headerHash(chain.header(1))) }, trustingPeriodMs: 24 * 3600_000, now: timeOf(10_000) + 1000,
    });
    return client.verifyTo(10_000);
  };
  const r = await timed(run, 3);
  console.log('\n## Light client: bisection over 10,000 heights, 20 validators replaced every 1,000 heights\n');
  console.log(`(headers of the in-memory chain hashed beforehand: ${hashMs.toFixed(0)} ms; each fetch signs its commit with node:crypto, included below)\n`);
  console.log('| what | wall ms | CPU ms | light blocks fetched |');
  console.log('| --- | ---: | ---: | ---: |');
  console.log(`| trust root at 1 → verifyTo(10000) | ${r.ms.toFixed(0)} | ${r.cpuMs.toFixed(0)} | ${fetched} |`);
}

async function bundleSize(): Promise<void> {
  const sizes: Record<string, number> = {};
  const entries = {
    core: "import { sha256, ed25519VerifyBatch } from '/src/index.ts'; console.log(sha256, ed25519VerifyBatch);",
    light: "import { sha256, ed25519VerifyBatch } from '/src/index.ts'; import { LightClient, rpcProvider, trustedRoot, verifyLightBlock } from '/src/light/index.ts';"
      + ' console.log(sha256, ed25519VerifyBatch, LightClient, rpcProvider, trustedRoot, verifyLightBlock);',
  };
  for (const [name, code] of Object.entries(entries)) {
    const out = await build({
      configFile: false, logLevel: 'silent', root: process.cwd(),
      plugins: [{ name: 'entry', resolveId: (id) => (id === 'virtual:entry' ? id : undefined), load: (id) => (id === 'virtual:entry' ? code : undefined) }],
      build: { write: false, minify: true, rollupOptions: { input: 'virtual:entry' } },
    });
    type Output = { type: string; code?: string; source?: string | Uint8Array };
    const results = (Array.isArray(out) ? out : [out]) as unknown as Array<{ output: Output[] }>;
    const outputs = results.flatMap((o) => o.output).filter((o) => o.type === 'chunk' || /\.(js|wasm)$/.test(String((o as { fileName?: string }).fileName)));
    sizes[name] = outputs.reduce((n, o) => n + gzipSync(o.type === 'chunk' ? o.code! : o.source!, { level: 9 }).length, 0);
  }
  console.log('\n## Light client: added gzip size in a browser bundle (Vite, minified, gzip -9)\n');
  console.log('| bundle | gzip KiB |');
  console.log('| --- | ---: |');
  console.log(`| core (sha256 + ed25519) | ${(sizes.core / 1024).toFixed(1)} |`);
  console.log(`| core + lightsnap/light (LightClient, rpcProvider, trustedRoot, verifyLightBlock) | ${(sizes.light / 1024).toFixed(1)} |`);
  console.log(`| **added by the light client** (target ≤ 25 KiB) | **${((sizes.light - sizes.core) / 1024).toFixed(1)}** |`);
}

export async function run(): Promise<void> {
  await nonAdjacent150();
  await bisection10k();
  await bundleSize();
}
