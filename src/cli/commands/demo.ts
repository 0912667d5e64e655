// `lightsnap demo` (npm start): the main job end to end on an embedded sample state. Starts a
// local chain (`lightsnap devnet`) whose last header commits to a checkpoint of 100,000 keys,
// verifies the headers from the genesis trust root to that height with the light client, then
// verifies and restores the checkpoint over HTTP against the proven app hash, with progress,
// queries a few keys with proofs, and prints a summary. The web page is served too, when built.
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '../command.js';
import { intOption, parse } from '../args.js';
import { progressView } from '../progress.js';
import { restoreCheckpoint, verifyCheckpoint } from '../../checkpoint/transfer.js';
import { openCheckpoint } from '../../checkpoint/query.js';
import { fsStore } from '../../store/fs.js';
import { httpSource } from '../../net/http-source.js';
import { startDevnet } from '../../devnet/devnet.js';
import { LightClient } from '../../light/client.js';
import { trustedRoot } from '../../light/root.js';
import { rpcProvider } from '../../light/rpc-provider.js';
import { sampleState } from '../sample.js';
import { toHex } from '../../hex.js';

const enc = new TextEncoder();

/** The built web page, if there is one (npm run web:build). */
async function webRoot(): Promise<string | undefined> {
  const dir = fileURLToPath(new URL('../../../dist-web/', import.meta.url));
  return (await stat(join(dir, 'index.html')).catch(() => undefined)) ? dir : undefined;
}

export const demoCommand: Command = {
  summary: 'run the main job on a built-in sample: a local chain, light-client proof of its root, verify, restore, query',
  usage: 'demo [--keys N] [--port N] [--no-serve]',
  async run(args, io) {
    const { values } = parse(args, { keys: { type: 'string' }, port: { type: 'string' }, 'no-serve': { type: 'boolean' } }, this.usage);
    const keys = intOption(values.keys, 'keys', 1, 10_000_000) ?? 100_000;
    const port = intOption(values.port, 'port', 0, 65535) ?? 0;
    const say = (s: string) => io.stdout.write(s + '\n');
    const work = await mkdtemp(join(tmpdir(), 'lightsnap-demo-'));
    const site = join(work, 'site');
    const restoreDir = join(work, 'restored');

    say(`lightsnap demo — working in ${work}`);
    const pairs = sampleState(keys);
    let t = performance.now();
    // One origin serves the chain's RPC, its checkpoint and the page (when built).
    const web = await webRoot();
    if (web) await cp(web, site, { recursive: true });
    const createView = progressView(io, false);
    const net = await startDevnet({ state: pairs, heights: 100, dir: site, port, onCreateProgress: createView.listener });
    createView.end();
    const { url } = net;
    try {
      const checkpoint = net.checkpoints[0];
      say(`1. started chain ${net.chainId} (100 heights, 4 validators changing every 10) at ${url}, `
        + `its last header committing to a checkpoint of ${keys} keys, in ${((performance.now() - t) / 1000).toFixed(2)} s`);
      say(`   trust root: height 1, header hash ${net.genesis.hash}`);

      t = performance.now();
      const verified: number[] = [];
      // The node is its own witness here; against a real chain, witnesses are other nodes.
      const client = await LightClient.create({
        primary: rpcProvider(url), witnesses: [rpcProvider(url)], trust: net.genesis, trustingPeriodMs: 24 * 3600_000,
        onEvent: (e) => { if (e.type === 'verified') verified.push(e.height); },
      });
      const root = await trustedRoot(client, checkpoint.height);
      say(`2. light client: verified header ${root.height} (${root.headerHash.slice(0, 16)}…) from the trust root by bisection `
        + `through heights ${verified.join(', ')}, each cross-checked with a witness, in ${((performance.now() - t) / 1000).toFixed(2)} s`);
      say(`   proven app hash = the checkpoint's root ${root.root}`);
      const source = httpSource(checkpoint.url);

      t = performance.now();
      const verifyView = progressView(io, false);
      await verifyCheckpoint({ sources: [source], root, onProgress: verifyView.listener });
      verifyView.end();
      say(`3. verified every chunk over HTTP against the root in ${((performance.now() - t) / 1000).toFixed(2)} s`);

      t = performance.now();
      const restoreView = progressView(io, false);
      const r = await restoreCheckpoint({ sources: [source], root, store: fsStore(restoreDir), onProgress: restoreView.listener });
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
        ? `Open the web page: ${url}?url=${encodeURIComponent(checkpoint.url)}&root=${root.root}`
        : `The web page is not built (npm run web:build); the checkpoint stays served at ${checkpoint.url}`);
      say(`The chain's RPC stays served at ${url} (lightsnap light verify --rpc ${url} --trusted-height 1 --trusted-hash ${net.genesis.hash} --height ${net.heights})`);
      say('Ctrl-C stops the servers.');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      return 0;
    } finally {
      await net.close();
      await rm(work, { recursive: true, force: true });
    }
  },
};
