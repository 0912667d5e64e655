// Installs npm dependencies and builds the WASM when they are missing or older than their
// sources, so `npm test`, `npm start` and `npm run bench` work straight after a clone.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'node_modules', '.bin', 'asc'))) {
  console.log('lightsnap: installing npm dependencies (npm ci)…');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}
const generated = ['core-js.generated.js', 'wasm-simd.generated.ts', 'wasm-scalar.generated.ts']
  .map((f) => join(root, 'src', 'core', f));
const newest = (dir) => Math.max(0, ...readdirSync(dir, { recursive: true })
  .map((f) => join(dir, String(f)))
  .filter((f) => statSync(f).isFile())
  .map((f) => statSync(f).mtimeMs));
const sources = Math.max(newest(join(root, 'assembly')), statSync(join(root, 'asconfig.json')).mtimeMs);
if (generated.some((f) => !existsSync(f) || statSync(f).mtimeMs < sources)) {
  console.log('lightsnap: building the WASM core…');
  execFileSync('node', [join(root, 'scripts', 'build-wasm.mjs')], { cwd: root, stdio: 'inherit' });
}
