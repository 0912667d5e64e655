// `lightsnap demo` (npm start): the main job end to end on an embedded sample state. Creates a
// checkpoint of 100,000 keys, serves it over HTTP (with the web page, when built), verifies and
// restores it through HTTP with progress, queries a few keys with proofs, and prints a summary.
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '../command.js';
import { intOption, parse } from '../args.js';
import { progressView } from '../progress.js';
import { createCheckpoint } from '../../checkpoint/create.js';
import { restoreCheckpoint, verifyCheckpoint } from '../../checkpoint/transfer.js';
import { openCheckpoint } from '../../checkpoint/query.js';
import { fsStore } from '../../store/fs.js';
import { httpSource } from '../../net/http-source.js';
import { serveDirectory } from '../../net/serve.js';
import { toHex } from '../../hex.js';
import type { Pair } from '../../tree/pairs.js';

const enc = new TextEncoder();

/** A deterministic sample state: account balances and some contract storage. */
function sampleState(n: number): Pair[] {
  let x = 0x9e3779b9;
  const next = () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x >>> 0; };
  return Array.from({ length: n }, (_, i) => {
    const value = new Uint8Array(40 + (next() % 120));
    for (let j = 0; j < value.length; j++) value[j] = next() & 0xff;
    const key = i % 4 === 0 ? `contract/${i.toString(16).padStart(6, '0')}/storage` : `account/${i.toString().padStart(7, '0')}/balance`;
    return { key: enc.encode(key), value };
  });
}

/** The built web page, if there is one (npm run web:build). */
async function webRoot(): Promise<string | undefined> {
  const dir = fileURLToPath(new URL('../../../dist-web/', import.meta.url));
  return (await stat(join(dir, 'index.html')).catch(() => undefined)) ? dir : undefined;
}

export const demoCommand: Command = {
  summary: 'run the main job on a built-in sample: create, serve, verify, restore, query',
  usage: 'demo [--keys N] [--port N] [--no-serve]',
  async run(args, io) {
    const { values } = parse(args, { keys: { type: 'string' }, port: { type: 'string' }, 'no-serve': { type: 'boolean' } }, this.usage);
    const keys = intOption(values.keys, 'keys', 1, 10_000_000) ?? 100_000;
    const port = intOption(values.port, 'port', 0, 65535) ?? 0;
    const say = (s: string) => io.stdout.write(s + '\n');
    const work = await mkdtemp(join(tmpdir(), 'lightsnap-demo-'));
    const site = join(work, 'site');
    const checkpointDir = join(site, 'sample');
    const restoreDir = join(work, 'restored');

    say(`lightsnap demo — working in ${work}`);
    const pairs = sampleState(keys);
    let t = performance.now();
    const createView = progressView(io, false);
    const created = await createCheckpoint(pairs, { store: fsStore(checkpointDir), version: 1, onProgress: createView.listener });
    createView.end();
    const m = created.manifest;
    const bytes = m.chunks.reduce((a, c) => a + c.size, 0);
    say(`1. created checkpoint ${created.id.slice(0, 16)}… of ${m.leaves} keys: ${m.chunks.length} chunks, ${(bytes / 1e6).toFixed(1)} MB, in ${((performance.now() - t) / 1000).toFixed(2)} s`);
    say(`   trusted root ${m.root}`);

    // One origin serves both the page (when built) and the checkpoint under /sample/.
    const web = await webRoot();
    if (web) await cp(web, site, { recursive: true });
    const { server, url } = await serveDirectory(site, { port });
    try {
      const source = httpSource(`${url}sample/`);
      say(`2. serving it at ${url}sample/`);

      t = performance.now();
      const verifyView = progressView(io, false);
      await verifyCheckpoint({ sources: [source], root: m.root, onProgress: verifyView.listener });
      verifyView.end();
      say(`3. verified every chunk over HTTP against the root in ${((performance.now() - t) / 1000).toFixed(2)} s`);

      t = performance.now();
      const restoreView = progressView(io, false);
      const r = await restoreCheckpoint({ sources: [source], root: m.root, store: fsStore(restoreDir), onProgress: restoreView.listener });
      restoreView.end();
      say(`4. restored ${r.fetched} chunks into ${restoreDir} in ${((performance.now() - t) / 1000).toFixed(2)} s`);

      const view = await openCheckpoint(fsStore(restoreDir));
      say('5. offline queries on the restored state:');
      for (const i of [0, 1, Math.floor(keys / 2), keys - 1]) {
        const key = pairs[i].key;
        const value = await view.get(key);
        const proof = await view.prove(key);
        say(`   ${new TextDecoder().decode(key)} = 0x${toHex(value).slice(0, 24)}… (${value.length} bytes), proof of ${proof.siblings.length} siblings checks out against the root`);
      }
      const absent = enc.encode('account/not-there/balance');
      const nonMember = await view.prove(absent);
      say(`   account/not-there/balance is absent: non-membership proof of ${nonMember.siblings.length} siblings checks out`);

      if (values['no-serve']) return 0;
      say('');
      say(web
        ? `Open the web page: ${url}?url=${encodeURIComponent(`${url}sample/`)}&root=${m.root}`
        : `The web page is not built (npm run web:build); the checkpoint stays served at ${url}sample/`);
      say('Ctrl-C stops the servers.');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      return 0;
    } finally {
      server.closeAllConnections();
      server.close();
      await rm(work, { recursive: true, force: true });
    }
  },
};
