import { test, expect } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSite, type Site } from './site.js';
import { startDevnet, type Devnet } from '../src/devnet/devnet.js';
import { sampleState } from '../src/cli/sample.js';

// The "trust a chain" panel against local chains (lightsnap devnet) on other origins: the root is
// proven from the validators' signatures and filled in; a witness serving a fork stops it.
let site: Site;
let chain: Devnet;
let fork: Devnet;
const dirs: string[] = [];

test.beforeAll(async () => {
  site = await startSite();
  const dir = async () => { const d = await mkdtemp(join(tmpdir(), 'lightsnap-e2e-chain-')); dirs.push(d); return d; };
  chain = await startDevnet({ state: sampleState(800), heights: 60, dir: await dir() });
  fork = await startDevnet({ state: sampleState(801), heights: 60, dir: await dir(), now: Number(chain.chain.spec.genesisTime / 1_000_000n) + 60_000 });
});
test.afterAll(async () => {
  await Promise.all([site.close(), chain.close(), fork.close()]);
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

test('proves the checkpoint root from a chain, fills it in, and the checkpoint verifies against it', async ({ page }) => {
  await page.goto(site.url);
  await page.locator('#rpcs').fill(`${chain.url}\n${chain.url}`);
  await page.locator('#trusted-height').fill('1');
  await page.locator('#trusted-hash').fill(chain.genesis.hash);
  await page.locator('#target-height').fill(String(chain.heights));
  await page.getByRole('button', { name: 'Prove the root' }).click();
  await expect(page.locator('#trust-result')).toHaveAttribute('data-kind', 'ok');
  await expect(page.locator('#trust-result')).toContainText(`Header ${chain.heights} verified`);
  await expect(page.locator('#trust-result')).toContainText('signed by');
  await expect(page.locator('#root')).toHaveValue(chain.checkpoints[0].root);
  await page.locator('#urls').fill(chain.checkpoints[0].url);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-done', 'verify');
});

test('a witness serving a conflicting header stops it, and no root is filled in', async ({ page }) => {
  await page.goto(site.url);
  await page.locator('#root').fill('');
  await page.locator('#rpcs').fill(`${chain.url}\n${fork.url}`);
  await page.locator('#trusted-height').fill('1');
  await page.locator('#trusted-hash').fill(chain.genesis.hash);
  await page.locator('#target-height').fill('40');
  await page.getByRole('button', { name: 'Prove the root' }).click();
  await expect(page.locator('#trust-result')).toHaveAttribute('data-kind', 'error');
  await expect(page.locator('#trust-result')).toContainText('validly signed header different');
  await expect(page.locator('#root')).toHaveValue('');
});
