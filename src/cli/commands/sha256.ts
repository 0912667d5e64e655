// `lightsnap sha256 FILE...`: the CLI runs in Node only, so a file's digest is node:crypto's
// (OpenSSL, SHA-NI where the CPU has it: several times the core's bulk speed, same digest).
import { createHash } from 'node:crypto';
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
      const h = createHash('sha256');
      for await (const piece of await openInput(path)) h.update(piece as Uint8Array);
      io.stdout.write(`${h.digest('hex')}  ${path}\n`);
    }
    return 0;
  },
};
