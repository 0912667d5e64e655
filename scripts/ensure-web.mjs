// Builds the web page (dist-web/) when it is missing or older than its sources, so `npm start`
// (lightsnap demo) can serve it next to the sample checkpoint.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const newest = (dir) => Math.max(0, ...readdirSync(dir, { recursive: true })
  .map((f) => join(dir, String(f)))
  .filter((f) => statSync(f).isFile())
  .map((f) => statSync(f).mtimeMs));
const page = join(root, 'dist-web', 'index.html');
if (!existsSync(page) || statSync(page).mtimeMs < Math.max(newest(join(root, 'web')), newest(join(root, 'src')))) {
  console.log('lightsnap: building the web page (vite build)…');
  execFileSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}
