// `lightsnap devnet`: a local CometBFT-shaped chain with a checkpoint, served for the light
// client (`lightsnap light verify`) and the checkpoint commands, until Ctrl-C.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from '../command.js';
import { intOption, parse } from '../args.js';
import { startDevnet } from '../../devnet/devnet.js';
import { sampleState } from '../sample.js';

export const devnetCommand: Command = {
  summary: 'serve a local chain (signed headers, changing validators) and its checkpoint',
  usage: 'devnet [--heights N] [--keys N] [--port N]',
  async run(args, io) {
    const { values } = parse(args, { heights: { type: 'string' }, keys: { type: 'string' }, port: { type: 'string' } }, this.usage);
    const heights = intOption(values.heights, 'heights', 2, 100_000) ?? 100;
    const keys = intOption(values.keys, 'keys', 1, 10_000_000) ?? 10_000;
    const port = intOption(values.port, 'port', 0, 65535) ?? 26657;
    const dir = await mkdtemp(join(tmpdir(), 'lightsnap-devnet-'));
    try {
      const net = await startDevnet({ state: sampleState(keys), heights, dir, port, onProgress: (m) => io.stderr.write(`${m}\n`) });
      const say = (s: string) => io.stdout.write(s + '\n');
      say(`chain ${net.chainId}: heights 1 to ${net.heights}, CometBFT RPC at ${net.url}`);
      say(`trust root: height ${net.genesis.height}, hash ${net.genesis.hash}`);
      for (const c of net.checkpoints) say(`checkpoint of height ${c.height}: ${c.url} (root ${c.root})`);
      say('');
      say(`lightsnap light verify --rpc ${net.url} --trusted-height 1 --trusted-hash ${net.genesis.hash} --height ${net.heights}`);
      say('Ctrl-C stops it.');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await net.close();
      return 0;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
