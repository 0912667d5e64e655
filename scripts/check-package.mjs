// `npm run check:package` (also part of `npm test`): builds dist/ and checks the package as a
// user gets it. publint and arethetypeswrong on the packed tarball; Node without a bundler
// (self-reference imports, a default worker pool, `require()` of every entry, which Node
// refuses for a module graph with top-level await); and a Vite app with no configuration, whose
// bundle must hold no Node built-ins or globals. Prints the gzip size of that bundle.
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
check('works in Node without a bundler: hashing, a default worker pool, every entry', () => {
  const smoke = `
    import { createHash } from 'node:crypto';
    import { createRequire } from 'node:module';
    import { sha256 } from 'lightsnap';
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
    if (typeof idbStore !== 'function') throw new Error('lightsnap/idb has no idbStore');
    const require = createRequire(import.meta.url);
    for (const e of ${JSON.stringify(entries)}) require(e); // throws ERR_REQUIRE_ASYNC_MODULE on top-level await
  `;
  run('node', ['--input-type=module', '--no-warnings', '-e', smoke]);
});

check('works in a Vite app with no configuration; no Node built-ins or globals in the bundle', () => {
  const app = mkdtempSync(join(tmpdir(), 'lightsnap-vite-app-'));
  try {
    mkdirSync(join(app, 'node_modules'));
    symlinkSync(root, join(app, 'node_modules', 'lightsnap'), 'dir');
    writeFileSync(join(app, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>\n');
    writeFileSync(join(app, 'main.js'), [
      "import { sha256 } from 'lightsnap';",
      "import { createWorkerPool } from 'lightsnap/worker';",
      "import { idbStore, storageReport } from 'lightsnap/idb';",
      'const pool = createWorkerPool();',
      "pool.sha256(new Uint8Array(1)).then((d) => console.log(sha256(d), idbStore('x'), storageReport()));",
      '',
    ].join('\n'));
    run(bin('vite'), ['build', '--logLevel', 'error'], { cwd: app });
    const assets = join(app, 'dist', 'assets');
    const files = readdirSync(assets).filter((f) => f.endsWith('.js') || f.endsWith('.wasm'));
    const sizes = [];
    let total = 0;
    for (const f of files) {
      const text = readFileSync(join(assets, f), 'utf8');
      const bad = text.match(/\bnode:[a-z_/]+|\bprocess\.(env|versions|nextTick)|\bBuffer\.|\brequire\(|__dirname|__filename/);
      if (bad) throw new Error(`${f} contains ${JSON.stringify(bad[0])}`);
      const gz = gzipSync(readFileSync(join(assets, f)), { level: 9 }).length;
      total += gz;
      sizes.push(`${f.replace(/-[\w-]{8}\./, '.')} ${(gz / 1024).toFixed(1)} KiB`);
    }
    if (!files.some((f) => f.startsWith('worker'))) throw new Error(`no worker chunk was emitted: ${files.join(', ')}`);
    return `gzip: ${sizes.join(', ')}; total ${(total / 1024).toFixed(1)} KiB`;
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
});

const passed = results.filter(Boolean).length;
const failed = results.length - passed;
mkdirSync(join(root, 'test-results'), { recursive: true });
writeFileSync(join(root, 'test-results', 'package-report.json'), JSON.stringify({ passed, failed }) + '\n');
console.log(`package checks: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
