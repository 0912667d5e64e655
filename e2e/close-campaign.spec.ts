// The page closed mid-restore at random instants, again and again (CRASH_PAGE_CLOSES, 3 in
// `npm test`; `npm run crash:page` runs 50): every reopened page resumes on its own, the restore
// completes with every chunk stored and a lookup proven, no chunk stored before a close is
// requested again, and the chunks requested twice are at most those in flight at the closes.
import { test, expect } from '@playwright/test';
import { startSite, pageUrl, mapStates, countInMap, type Site } from './site.js';

const CLOSES = Number(process.env.CRASH_PAGE_CLOSES ?? 3);
/** Chunks the page's restore fetches at once (its concurrency), per close: what may be fetched twice. */
const IN_FLIGHT = 4;

let site: Site;
// Large enough that every close lands mid-restore (a page lives about a second between closes).
test.beforeAll(async () => { site = await startSite(Math.max(3000, 800 * CLOSES)); });
test.afterAll(async () => { await site.close(); });

test(`closing the page mid-restore ${CLOSES} times: it resumes each time and completes, fetching nothing stored twice`, async ({ browser }) => {
  test.setTimeout(180_000 + CLOSES * 20_000);
  const context = await browser.newContext(); // one browser profile: IndexedDB survives each close
  const total = site.manifest.chunks.length;
  const chunkPath = (i: number) => `/sample/chunks/${site.manifest.chunks[i].digest}`;
  const before = site.log.length;
  let seed = 20261126;
  const random = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const storedAtClose: Array<{ stored: Set<number>; logAt: number }> = [];
  let closes = 0;
  for (let k = 0; k < CLOSES; k++) {
    const page = await context.newPage();
    await page.route('**/sample/chunks/**', async (route) => {
      await new Promise((r) => setTimeout(r, 20 + random(60)));
      await route.continue().catch(() => {});
    });
    await page.goto(pageUrl(site, ['sample']));
    if (k === 0) await page.getByRole('button', { name: 'Restore into this browser' }).click();
    const shown = await page.waitForFunction(() => !!document.getElementById('map')?.dataset.states).then(() => true, () => false);
    if (!shown) throw new Error('the chunk map did not appear');
    await page.waitForTimeout(150 + random(900));
    const done = await page.locator('body').getAttribute('data-done');
    const states = [...await mapStates(page)];
    await page.close({ runBeforeUnload: false });
    if (done) break; // finished before this close: nothing left to interrupt
    closes++;
    storedAtClose.push({ stored: new Set(states.flatMap((s, i) => (s.toLowerCase() === 's' ? [i] : []))), logAt: site.log.length });
  }
  expect(closes, 'closes that landed mid-restore').toBeGreaterThan(0);
  console.log(`close campaign: ${closes} of ${CLOSES} closes landed mid-restore, ${total} chunks`);
  const page = await context.newPage();
  await page.goto(pageUrl(site, ['sample']));
  // Finished in this page ('restore') or in one of the closed ones ('restored-earlier').
  // (A resumed page re-checks every stored chunk first, so a large campaign needs minutes here.)
  await expect(page.locator('body')).toHaveAttribute('data-done', /^restore(d-earlier)?$/, { timeout: 90_000 + CLOSES * 6_000 });
  await expect.poll(() => countInMap(page, 's')).toBe(total);
  const requests = site.log.slice(before).filter((r) => r.path.includes('/sample/chunks/'));
  let twice = 0;
  for (let i = 0; i < total; i++) {
    const n = requests.filter((r) => r.path === chunkPath(i)).length;
    expect(n, `chunk ${i} requested`).toBeGreaterThan(0);
    twice += n - 1;
  }
  // A chunk the page showed as stored is never requested after that close.
  for (const { stored, logAt } of storedAtClose) {
    const later = site.log.slice(logAt).map((r) => r.path);
    for (const i of stored) expect(later.includes(chunkPath(i)), `chunk ${i} requested after it was stored`).toBe(false);
  }
  expect(twice, `chunks requested twice (${closes} closes, ${IN_FLIGHT} in flight each)`).toBeLessThanOrEqual(closes * IN_FLIGHT);
  await context.close();
});
