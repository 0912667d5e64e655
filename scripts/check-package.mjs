// `npm run check:package` (also part of `npm test`): builds dist/ and checks the package as a
// user gets it. publint and arethetypeswrong on the packed tarball; Node without a bundler
// (self-reference imports, a default worker pool, `require()` of every entry, which Node
// refuses for a module graph with top-level await); and a Vite app with no configuration, whose
// bundle must hold no Node built-ins or globals, and whose main thread and worker load at most
// BUNDLE_LIMIT (gzip -9) before any lazily loaded chunk: the scalar core and the wasm2js core
// must be chunks of their own, fetched only where the SIMD core cannot run. Prints those sizes,
// and the same for the project's own page (web/, built to a temporary directory).
// Writes { passed, failed } to test-results/package-report.json for scripts/run-tests.mjs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const results = [];
/** Most gzip -9 bytes the Vite app's main thread and worker may load up front (issue #10). */
const BUNDLE_LIMIT = 60 * 1024;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

function check(name, fn) {
  let detail = '';
  try {
    detail = fn() ?? '';
    results.push(true);
    console.log(`✓ package: ${name}${detail ? ` — ${detail}` : ''}`);
  } catch (err) {
    results.push(false);
    console.log(`✗ package: ${name}\n${err.message}`);
  }
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${[cmd, ...args].join(' ')} exited ${r.status}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

check('builds dist/', () => { run('node', [join(root, 'scripts', 'build-dist.mjs')]); });
check('publint --strict is clean', () => { run(bin('publint'), ['--strict']); });
check('arethetypeswrong (esm-only profile) is clean', () => { run(bin('attw'), ['--pack', '.', '--profile', 'esm-only']); });

const entries = ['lightsnap', 'lightsnap/worker', 'lightsnap/worker/thread', 'lightsnap/idb', 'lightsnap/ics23', 'lightsnap/light', 'lightsnap/node'];
check('works in Node without a bundler: hashing, a default worker pool, the fallback cores, every entry', () => {
  const smoke = `
    import { createHash } from 'node:crypto';
    import { createRequire } from 'node:module';
    import { init, sha256 } from 'lightsnap';
    import { createWorkerPool } from 'lightsnap/worker';
    import { idbStore } from 'lightsnap/idb';
    const data = new Uint8Array(100000).map((_, i) => i * 7);
    const want = createHash('sha256').update(data).digest('hex');
    const hex = (b) => Buffer.from(b).toString('hex');
    if (hex(sha256(data)) !== want) throw new Error('sha256 differs from node:crypto');
    const pool = createWorkerPool({ size: 1 });
    const got = hex(await pool.sha256(data));
    await pool.close();
    if (got !== want) throw new Error('the pool\\'s sha256 differs from node:crypto');
    // The files init() fetches on demand are in the package, and workers take over the js core.
    for (const kind of ['wasm-scalar', 'js']) {
      if (await init({ backend: kind }) !== kind) throw new Error(\`init() did not load the \${kind} core\`);
      if (hex(sha256(data)) !== want) throw new Error(\`sha256 on the \${kind} core differs from node:crypto\`);
    }
    const jsPool = createWorkerPool({ size: 1 });
    const onJs = hex(await jsPool.sha256(data));
    await jsPool.close();
    if (onJs !== want) throw new Error('sha256 on workers running the js core differs from node:crypto');
    if (typeof idbStore !== 'function') throw new Error('lightsnap/idb has no idbStore');
    const require = createRequire(import.meta.url);
    for (const e of ${JSON.stringify(entries)}) require(e); // throws ERR_REQUIRE_ASYNC_MODULE on top-level await
  `;
  run('node', ['--input-type=module', '--no-warnings', '-e', smoke]);
});

/** Builds a Vite app with no configuration whose main.js is `lines`; returns its measured build (see measureBuild). */
function viteApp(lines) {
  const app = mkdtempSync(join(tmpdir(), 'lightsnap-vite-app-'));
  try {
    mkdirSync(join(app, 'node_modules'));
    symlinkSync(root, join(app, 'node_modules', 'lightsnap'), 'dir');
    writeFileSync(join(app, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>\n');
    writeFileSync(join(app, 'main.js'), [...lines, ''].join('\n'));
    run(bin('vite'), ['build', '--logLevel', 'error'], { cwd: app });
    return measureBuild(join(app, 'dist'));
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}

/** Throws unless the scalar and wasm2js cores are files that only `import()` / `new URL()` reach. */
function assertFallbacksLazy(b) {
  for (const lazy of ['wasm-scalar.generated', 'core-js.generated']) {
    if (!b.lazy.some((f) => f.name.startsWith(lazy))) throw new Error(`${lazy} is not a lazily loaded chunk: ${b.describe()}`);
  }
}

check(`works in a Vite app with no configuration; no Node built-ins or globals; main + worker ≤ ${kib(BUNDLE_LIMIT)} up front, fallback cores lazy`, () => {
  const b = viteApp([
    "import { sha256 } from 'lightsnap';",
    "import { createWorkerPool } from 'lightsnap/worker';",
    "import { idbStore, storageReport } from 'lightsnap/idb';",
    'const pool = createWorkerPool();',
    "pool.sha256(new Uint8Array(1)).then((d) => console.log(sha256(d), idbStore('x'), storageReport()));",
  ]);
  for (const [f, text] of b.texts) {
    // Imports of Node built-ins (static, dynamic, require) and Node-only globals break a browser
    // app; a feature-detected `process?.getBuiltinModule?.('node:…')` (src/hash/sha256.ts) does not.
    const bad = text.match(/\b(from|import)\s*\(?\s*["'`]node:[a-z_/]+|\bprocess\.(env|versions|nextTick)|\bBuffer\.|\brequire\(|__dirname|__filename/);
    if (bad) throw new Error(`${f} contains ${JSON.stringify(bad[0])}`);
  }
  if (!b.eager.some((f) => f.name.startsWith('worker'))) throw new Error(`no worker chunk was emitted: ${b.describe()}`);
  assertFallbacksLazy(b);
  if (b.eagerTotal > BUNDLE_LIMIT) throw new Error(`main thread and worker load ${kib(b.eagerTotal)}, over ${kib(BUNDLE_LIMIT)}: ${b.describe()}`);
  return b.describe();
});

check('every browser entry, wholly imported by a Vite app, leaves the fallback cores lazy', () => {
  const browserEntries = entries.filter((e) => e !== 'lightsnap/node');
  const b = viteApp([
    ...browserEntries.map((e, i) => `import * as m${i} from '${e}';`),
    `console.log(${browserEntries.map((_, i) => `m${i}`).join(', ')});`,
  ]);
  assertFallbacksLazy(b);
  return b.describe();
});

check("the page's bundles (web/, measured and recorded in BENCHMARKS.md)", () => {
  const out = mkdtempSync(join(tmpdir(), 'lightsnap-web-'));
  try {
    run(bin('vite'), ['build', '--logLevel', 'error', '--outDir', out, '--emptyOutDir']);
    return measureBuild(out).describe();
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

/**
 * Sizes (gzip -9) of a Vite build's JS and WASM, split into what loads up front — the page's
 * module scripts, the workers (Vite names them after their entry, worker*) and what they import
 * statically — and what only `import()` or `new URL(…)` reaches (lazy).
 */
function measureBuild(dist) {
  const assets = join(dist, 'assets');
  const names = readdirSync(assets).filter((f) => f.endsWith('.js') || f.endsWith('.wasm'));
  const texts = new Map(names.map((f) => [f, readFileSync(join(assets, f), 'latin1')]));
  const gz = (f) => gzipSync(readFileSync(join(assets, f)), { level: 9 }).length;
  const html = readdirSync(dist).filter((f) => f.endsWith('.html')).map((f) => readFileSync(join(dist, f), 'utf8')).join('\n');
  const roots = names.filter((f) => f.startsWith('worker') || html.includes(`assets/${f}`));
  const eagerNames = new Set();
  const visit = (f) => {
    if (eagerNames.has(f) || !texts.has(f)) return;
    eagerNames.add(f);
    for (const m of texts.get(f).matchAll(/(?:\bimport|\bfrom)\s*["'`]\.\/([\w.-]+\.js)["'`]/g)) visit(m[1]);
  };
  roots.forEach(visit);
  const entry = (f) => ({ name: f.replace(/-[\w-]{8}\./, '.'), gz: gz(f) });
  const eager = names.filter((f) => eagerNames.has(f)).map(entry);
  const lazy = names.filter((f) => !eagerNames.has(f)).map(entry);
  const sum = (list) => list.reduce((n, f) => n + f.gz, 0);
  const eagerTotal = sum(eager);
  const list = (l) => l.map((f) => `${f.name} ${kib(f.gz)}`).join(', ');
  return {
    texts, eager, lazy, eagerTotal,
    describe: () => `gzip -9, loaded up front: ${list(eager)}; total ${kib(eagerTotal)}`
      + ` | lazy: ${list(lazy) || 'none'}; total ${kib(sum(lazy))}`,
  };
}

const passed = results.filter(Boolean).length;
const failed = results.length - passed;
mkdirSync(join(root, 'test-results'), { recursive: true });
writeFileSync(join(root, 'test-results', 'package-report.json'), JSON.stringify({ passed, failed }) + '\n');
console.log(`package checks: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
