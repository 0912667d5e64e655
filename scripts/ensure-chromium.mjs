// Browser tests need Debian's chromium (a test tool's own browser download cannot work here).
// Installs it with apt when missing and we are root; otherwise says exactly what to run.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(path)) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const cmd = 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium';
  if (!isRoot) {
    console.error(`lightsnap: browser tests need Chromium at ${path}. Run as root:\n  ${cmd}\nor set CHROMIUM_PATH.`);
    process.exit(1);
  }
  console.log('lightsnap: installing Debian chromium for the browser tests…');
  execSync(cmd, { stdio: 'inherit', shell: '/bin/bash' });
}
