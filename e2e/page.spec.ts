import { test, expect, type Page, type TestInfo } from '@playwright/test';
import { join } from 'node:path';
import { startSite, pageUrl, mapStates, countInMap, type Site } from './site.js';
import { toHex } from '../src/hex.js';

let site: Site;
test.beforeAll(async () => { site = await startSite(); });
test.afterAll(async () => { await site.close(); });

async function screenshot(page: Page, info: TestInfo, name: string): Promise<void> {
  await info.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
}

const total = () => site.manifest.chunks.length;

test('verifies the sample checkpoint in workers and colours every chunk verified', async ({ page }, info) => {
  await page.goto(pageUrl(site, ['sample']));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-done', 'verify');
  await expect(page.locator('#status')).toContainText(`Verified: all ${total()} chunks`);
  await expect.poll(() => countInMap(page, 'v')).toBe(total());
  await expect(page.locator('#s-chunks')).toHaveText(`${total()} / ${total()}`);
  await screenshot(page, info, 'verified');
});

test('verifies a checkpoint folder picked from disk, downloading nothing', async ({ page }) => {
  await page.goto(`${site.url}?root=${site.root}`);
  const before = site.log.length;
  await page.locator('#folder').setInputFiles(join(site.dir, 'sample'));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-done', 'verify');
  await expect.poll(() => countInMap(page, 'v')).toBe(total());
  expect(site.log.slice(before).filter((r) => r.path.includes('/sample/'))).toEqual([]);
});

test('restores into IndexedDB and answers a lookup with a proof checked against the root', async ({ page }, info) => {
  await page.goto(pageUrl(site, ['sample']));
  await page.getByRole('button', { name: 'Restore into this browser' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-done', 'restore');
  await expect.poll(() => countInMap(page, 's')).toBe(total());
  const { key, value } = site.pairs[42];
  await page.locator('#key').fill(new TextDecoder().decode(key));
  await page.getByRole('button', { name: 'Look up' }).click();
  await expect(page.locator('#lookup-verdict')).toContainText('present — the proof');
  await expect(page.locator('#lookup-value')).toContainText(toHex(value!));
  await screenshot(page, info, 'restored-lookup');
  await page.locator('#key').fill('no-such-key');
  await page.getByRole('button', { name: 'Look up' }).click();
  await expect(page.locator('#lookup-verdict')).toContainText('absent');
});

test('survives a reload mid-restore: continues, and no stored chunk is requested twice', async ({ page }, info) => {
  // Slow the chunk downloads so the reload lands mid-restore.
  await page.route('**/sample/chunks/**', async (route) => {
    await new Promise((r) => setTimeout(r, 100));
    await route.continue().catch(() => {});
  });
  const chunkPath = (i: number) => `/sample/chunks/${site.manifest.chunks[i].digest}`;
  const before = site.log.length;
  await page.goto(pageUrl(site, ['sample']));
  await page.getByRole('button', { name: 'Restore into this browser' }).click();
  await expect.poll(() => countInMap(page, 's'), { timeout: 60_000 }).toBeGreaterThanOrEqual(5);
  const storedBeforeReload = [...await mapStates(page)].flatMap((c, i) => (c.toLowerCase() === 's' ? [i] : []));
  expect(storedBeforeReload.length).toBeLessThan(total());
  await screenshot(page, info, 'before-reload');
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-done', 'restore', { timeout: 90_000 });
  await expect(page.locator('#status')).toContainText('were already here and were not downloaded again');
  await expect.poll(() => countInMap(page, 's')).toBe(total());
  await screenshot(page, info, 'after-reload');
  const requests = site.log.slice(before).filter((r) => r.path.includes('/chunks/'));
  for (const i of storedBeforeReload) {
    expect(requests.filter((r) => r.path === chunkPath(i)).length, `chunk ${i} requests`).toBe(1);
  }
  for (let i = 0; i < total(); i++) {
    expect(requests.some((r) => r.path === chunkPath(i) && r.status === 200), `chunk ${i} fetched`).toBe(true);
  }
});

test('refuses a corrupted chunk from the first mirror, names it, and finishes from the second', async ({ page }, info) => {
  await page.goto(pageUrl(site, ['bad', 'sample']));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-done', 'verify');
  await expect(page.locator('#problems li')).toHaveCount(1);
  await expect(page.locator('#problems li')).toContainText(`A damaged copy of chunk ${site.badChunk} from ${site.url}bad/ was refused`);
  await expect(page.locator('#status')).toContainText(`1 bad copy from ${site.url}bad/ was refused`);
  await expect.poll(() => countInMap(page, 'v')).toBe(total());
  await expect.poll(async () => (await mapStates(page))[site.badChunk]).toBe('V'); // verified, after a bad copy
  await screenshot(page, info, 'bad-mirror');
});

test('refuses a wrong root with a clear message and stores nothing', async ({ page }, info) => {
  const wrong = (site.root[0] === 'a' ? 'b' : 'a') + site.root.slice(1);
  const before = site.log.length;
  await page.goto(pageUrl(site, ['sample'], wrong));
  await page.getByRole('button', { name: 'Restore into this browser' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-done', 'error');
  await expect(page.locator('#status')).toContainText('is for a different state than the root you trust. Nothing was stored.');
  expect(site.log.slice(before).filter((r) => r.path.includes('/chunks/'))).toEqual([]);
  await screenshot(page, info, 'wrong-root');
});

test('a full storage quota stops the restore in plain words; what was stored counts, and a retry completes it', async ({ page, context }, info) => {
  await page.goto(pageUrl(site, ['sample']));
  const origin = new URL(site.url).origin;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 60_000 });
  await page.getByRole('button', { name: 'Restore into this browser' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-done', 'error');
  await expect(page.locator('#status')).toContainText('The browser refused to store the data');
  await screenshot(page, info, 'quota-exceeded');
  const stored = await countInMap(page, 's');
  expect(stored).toBeLessThan(total());
  const chunkRequests = () => site.log.filter((r) => r.path.startsWith('/sample/chunks/')).length;
  const before = chunkRequests();
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await page.getByRole('button', { name: 'Restore into this browser' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-done', 'restore');
  await expect.poll(() => countInMap(page, 's')).toBe(total());
  // Only what was not stored is fetched again (chunks in flight when the quota hit included).
  expect(chunkRequests() - before).toBeLessThanOrEqual(total() - stored);
});
