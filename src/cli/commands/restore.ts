import type { Command } from '../command.js';
import { intOption, parse } from '../args.js';
import { inputError, usageError } from '../errors.js';
import { stat } from 'node:fs/promises';
import { rootOption, sourcesFor } from '../sources.js';
import { progressView } from '../progress.js';
import { restoreCheckpoint } from '../../checkpoint/transfer.js';
import { fsStore } from '../../store/fs.js';
import { verifierFor } from '../verifier.js';

export const restoreCommand: Command = {
  summary: 'restore a checkpoint into a directory, verifying every chunk; resumes after a kill',
  usage: 'restore DIR|URL... --root HEX --into DIR [--workers N] [--json]',
  async run(args, io) {
    const { values, positionals } = parse(args, {
      root: { type: 'string' }, into: { type: 'string' }, workers: { type: 'string' }, json: { type: 'boolean' },
    }, this.usage);
    const root = rootOption(values.root, this.usage);
    if (!values.into) throw usageError(`--into DIR is required\nusage: lightsnap ${this.usage}`);
    if ((await stat(values.into).catch(() => undefined))?.isDirectory() === false) {
      throw inputError(`--into ${values.into}: not a directory`);
    }
    const workers = intOption(values.workers, 'workers', 0, 256);
    const sources = await sourcesFor(positionals, this.usage);
    const view = progressView(io, values.json ?? false);
    const { verifier, concurrency, close } = await verifierFor(workers);
    try {
      const r = await restoreCheckpoint({ sources, root, store: fsStore(values.into), verifier, concurrency, onProgress: view.listener });
      view.end();
      io.stdout.write(`restored version ${r.manifest.version} into ${values.into}: ${r.fetched} chunks fetched, ${r.skipped} already there\n`);
      return 0;
    } finally {
      view.end();
      await close();
    }
  },
};
