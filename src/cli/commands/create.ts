import type { Command } from '../command.js';
import { intOption, parse } from '../args.js';
import { usageError } from '../errors.js';
import { openInput } from '../files.js';
import { progressView } from '../progress.js';
import { readJsonLines } from '../../format/jsonl.js';
import { createCheckpoint } from '../../checkpoint/create.js';
import { defaultChunking } from '../../checkpoint/splitter.js';
import { fsStore } from '../../store/fs.js';

export const createCommand: Command = {
  summary: 'create a checkpoint of a state given as JSON lines; prints its root last',
  usage: 'create FILE.jsonl --out DIR [--version N] [--max-chunk-bytes N] [--json]',
  async run(args, io) {
    const { values, positionals } = parse(args, {
      out: { type: 'string' }, version: { type: 'string' }, 'max-chunk-bytes': { type: 'string' }, json: { type: 'boolean' },
    }, this.usage);
    if (positionals.length !== 1) throw usageError(`give exactly one FILE.jsonl\nusage: lightsnap ${this.usage}`);
    if (!values.out) throw usageError(`--out DIR is required\nusage: lightsnap ${this.usage}`);
    const version = intOption(values.version, 'version', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const maxChunkBytes = intOption(values['max-chunk-bytes'], 'max-chunk-bytes', 1024, 64 << 20);
    const view = progressView(io, values.json ?? false);
    // Streamed: the pairs are sorted by an external merge sort, never all held in memory.
    const created = await createCheckpoint(readJsonLines(await openInput(positionals[0])), {
      store: fsStore(values.out), version, chunking: defaultChunking(maxChunkBytes), onProgress: view.listener,
    });
    view.end();
    const m = created.manifest;
    io.stdout.write(`created checkpoint ${created.id} of version ${m.version} in ${values.out}: ${m.leaves} leaves in ${m.chunks.length} chunks\n`);
    io.stdout.write(`${m.root}\n`);
    return 0;
  },
};
