import { Sha256 } from '../../hash/sha256.js';
import { toHex } from '../../hex.js';
import type { Command } from '../command.js';
import { parse } from '../args.js';
import { usageError } from '../errors.js';
import { openInput } from '../files.js';

export const sha256Command: Command = {
  summary: 'print the SHA-256 of files, like sha256sum',
  usage: 'sha256 FILE...',
  async run(args, io) {
    const { positionals } = parse(args, {}, this.usage);
    if (positionals.length === 0) throw usageError(`no file given\nusage: lightsnap ${this.usage}`);
    for (const path of positionals) {
      const h = new Sha256();
      for await (const piece of await openInput(path)) h.update(piece as Uint8Array);
      io.stdout.write(`${toHex(h.digest())}  ${path}\n`);
    }
    return 0;
  },
};
