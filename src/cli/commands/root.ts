import { readJsonLines } from '../../format/jsonl.js';
import { toHex } from '../../hex.js';
import { rootOfPairStream } from '../../tree/root.js';
import type { Command } from '../command.js';
import { parse } from '../args.js';
import { usageError } from '../errors.js';
import { openInput } from '../files.js';

export const rootCommand: Command = {
  summary: 'print the JMT root (SHA-256) of a state given as JSON lines',
  usage: 'root FILE.jsonl',
  async run(args, io) {
    const { positionals } = parse(args, {}, this.usage);
    if (positionals.length !== 1) throw usageError(`expected one file\nusage: lightsnap ${this.usage}`);
    const root = await rootOfPairStream(readJsonLines(await openInput(positionals[0])));
    io.stdout.write(`${toHex(root)}\n`);
    return 0;
  },
};
