// `npm test`: vitest in Node and in headless Chromium, the package checks (and Playwright
// end-to-end specs when there are any), then one closing line `tests: N passed, M failed` over all of them.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const extra = process.argv.slice(2);
let passed = 0;
let failed = 0;
let ok = true;

const vitestReport = join(root, 'vitest-report.json');
rmSync(vitestReport, { force: true });
const vitest = spawnSync(bin('vitest'), ['run', '--reporter=default', '--reporter=json',
  `--outputFile.json=${vitestReport}`, ...extra], { cwd: root, stdio: 'inherit' });
if (existsSync(vitestReport)) {
  const r = JSON.parse(readFileSync(vitestReport, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
}
ok &&= vitest.status === 0;

// The package as users get it (scripts/check-package.mjs): publint, attw, Node and Vite smoke tests.
if (extra.length === 0) {
  const pkgReport = join(root, 'test-results', 'package-report.json');
  rmSync(pkgReport, { force: true });
  const pkg = spawnSync('node', [join(root, 'scripts', 'check-package.mjs')], { cwd: root, stdio: 'inherit' });
  if (existsSync(pkgReport)) {
    const r = JSON.parse(readFileSync(pkgReport, 'utf8'));
    passed += r.passed;
    failed += r.failed;
  }
  ok &&= pkg.status === 0;
}

const e2eDir = join(root, 'e2e');
if (extra.length === 0 && existsSync(e2eDir) && readdirSync(e2eDir).some((f) => f.endsWith('.spec.ts'))) {
  const pwReport = join(root, 'test-results', 'e2e-report.json');
  const pw = spawnSync(bin('playwright'), ['test'], {
    cwd: root, stdio: 'inherit',
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: pwReport },
  });
  if (existsSync(pwReport)) {
    const s = JSON.parse(readFileSync(pwReport, 'utf8')).stats;
    passed += s.expected + s.flaky;
    failed += s.unexpected;
  }
  ok &&= pw.status === 0;
}

if (!ok && failed === 0) failed = 1; // a runner crashed before reporting: still a failure
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
