// A site like `lightsnap demo` serves: the built page at `/`, a sample checkpoint at /sample/,
// and a mirror at /bad/ whose copy of one chunk is corrupted. Served by serveDirectory, with
// every request logged.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Page } from '@playwright/test';
import { createCheckpoint } from '../src/checkpoint/create.js';
import { fsStore } from '../src/store/fs.js';
import { serveDirectory } from '../src/net/serve.js';
import type { Manifest } from '../src/format/manifest.js';
import { samplePairs } from '../test/checkpoint-fixtures.js';
import type { Pair } from '../src/tree/pairs.js';

export interface Site {
  url: string;
  /** The served directory (the sample checkpoint is its sample/ folder). */
  dir: string;
  root: string;
  manifest: Manifest;
  pairs: Pair[];
  /** The chunk whose copy under /bad/ is corrupted. */
  badChunk: number;
  /** Every request: path and status. */
  log: Array<{ path: string; status: number }>;
  close(): Promise<void>;
}

export async function startSite(keys = 1500): Promise<Site> {
  const dir = await mkdtemp(join(tmpdir(), 'lightsnap-e2e-'));
  await cp('dist-web', dir, { recursive: true });
  const pairs = samplePairs(keys, 1);
  const created = await createCheckpoint(pairs, { store: fsStore(join(dir, 'sample')), version: 7, maxChunkBytes: 4096 });
  await cp(join(dir, 'sample'), join(dir, 'bad'), { recursive: true });
  const badChunk = Math.min(2, created.manifest.chunks.length - 1);
  const badFile = join(dir, 'bad', 'chunks', created.manifest.chunks[badChunk].digest);
  const bytes = await readFile(badFile);
  bytes[bytes.length >> 1] ^= 0x40;
  await writeFile(badFile, bytes);

  const log: Site['log'] = [];
  const { server, url } = await serveDirectory(dir, { onRequest: ({ path, status }) => log.push({ path, status }) });
  return {
    url, dir, root: created.manifest.root, manifest: created.manifest, pairs, badChunk, log,
    async close() {
      await new Promise<void>((resolve) => { (server as Server).closeAllConnections(); server.close(() => resolve()); });
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The page's address with the form prefilled, as `lightsnap demo` prints it. */
export function pageUrl(site: Site, mirrors: string[], root = site.root): string {
  const q = new URLSearchParams();
  for (const m of mirrors) q.append('url', `${site.url}${m}/`);
  q.set('root', root);
  return `${site.url}?${q}`;
}

/** The chunk map's states, one letter per chunk (`data-states`, web/chunk-map.ts); '' before it is drawn. */
export function mapStates(page: Page): Promise<string> {
  return page.locator('#map').evaluate((el) => (el as HTMLElement).dataset.states ?? '');
}

/** Chunks the map shows in `state` (`w`, `f`, `v`, `s` or `b`), whether or not a bad copy came first. */
export async function countInMap(page: Page, state: string): Promise<number> {
  return [...await mapStates(page)].filter((c) => c.toLowerCase() === state).length;
}
