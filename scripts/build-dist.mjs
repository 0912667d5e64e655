// The second half of `npm run build`: compiles src/ to dist/ and copies the generated
// JavaScript core (wasm2js output, kept as .js with a .d.ts beside it), which tsc does not emit.
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist'), { recursive: true, force: true }); // no modules left from older builds
execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
for (const file of ['core-js.generated.js', 'core-js.generated.d.ts']) {
  copyFileSync(join(root, 'src', 'core', file), join(root, 'dist', 'core', file));
}
