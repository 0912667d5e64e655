// The page under a strict Content-Security-Policy: without 'wasm-unsafe-eval' Chromium refuses
// to compile WebAssembly, so init() must fetch the wasm2js core (src/core/fallback.ts), hand it
// to the workers, and verification must still tell good chunks from a corrupted copy.
import { test, expect } from '@playwright/test';
import { startSite, pageUrl, countInMap, type Site } from './site.js';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";

let site: Site;
test.beforeAll(async () => { site = await startSite(); });
test.afterAll(async () => { await site.close(); });

test('with a CSP without wasm-unsafe-eval, verifies the checkpoint on the wasm2js core and refuses a corrupted copy', async ({ page }) => {
  // Every response, the workers' scripts included, carries the policy.
  await page.context().route('**/*', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': CSP } });
  });
  const before = site.log.length;
  await page.goto(pageUrl(site, ['bad', 'sample']));
  await expect(page.locator('html')).toHaveAttribute('data-core', 'js');
  // The policy is in force: this page cannot compile even the smallest WebAssembly module.
  const compiled = await page.evaluate(() => WebAssembly.compile(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))
    .then(() => 'compiled', (err: Error) => `${err.name}: ${err.message}`));
  expect(compiled).toMatch(/^CompileError: .*Content Security Policy/);

  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-done', 'verify');
  const total = site.manifest.chunks.length;
  await expect.poll(() => countInMap(page, 'v')).toBe(total);
  await expect(page.locator('#status')).toContainText(`1 bad copy from ${site.url}bad/ was refused`);
  await expect(page.locator('#problems li')).toContainText(`A damaged copy of chunk ${site.badChunk} from ${site.url}bad/ was refused`);

  const paths = site.log.slice(before).map((r) => r.path);
  expect(paths.filter((p) => /\/assets\/core-js\.generated-[\w-]+\.js$/.test(p)).length).toBeGreaterThan(0);
  expect(paths.filter((p) => p.includes('wasm-scalar'))).toEqual([]); // SIMD validated: the scalar build is no help here
});
