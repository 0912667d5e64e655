import type { Command } from '../command.js';
import { intOption, parse } from '../args.js';
import { rootOption, sourcesFor } from '../sources.js';
import { progressView } from '../progress.js';
import { verifyCheckpoint } from '../../checkpoint/transfer.js';
import { verifierFor } from '../verifier.js';

export const verifyCommand: Command = {
  summary: 'verify every chunk of a checkpoint against a trusted root',
  usage: 'verify DIR|URL... --root HEX [--workers N] [--json]',
  async run(args, io) {
    const { values, positionals } = parse(args, {
      root: { type: 'string' }, workers: { type: 'string' }, json: { type: 'boolean' },
    }, this.usage);
    const root = rootOption(values.root, this.usage);
    const workers = intOption(values.workers, 'workers', 0, 256);
    const sources = await sourcesFor(positionals, this.usage);
    const view = progressView(io, values.json ?? false);
    const { verifier, concurrency, close } = await verifierFor(workers);
    try {
      const r = await verifyCheckpoint({ sources, root, verifier, concurrency, onProgress: view.listener });
      view.end();
      const bytes = r.manifest.chunks.reduce((a, c) => a + c.size, 0);
      io.stdout.write(`verified ${r.manifest.chunks.length} chunks (${r.manifest.leaves} leaves, ${bytes} bytes) of version ${r.manifest.version} against root ${root}\n`);
      return 0;
    } finally {
      view.end();
      await close();
    }
  },
};
