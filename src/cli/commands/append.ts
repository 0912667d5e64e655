import type { Command } from '../command.js';
import { parse } from '../args.js';
import { usageError } from '../errors.js';
import { openInput } from '../files.js';
import { readJsonLines } from '../../format/jsonl.js';
import { appendInPlace } from '../../checkpoint/apply.js';
import { fsStore } from '../../store/fs.js';
import { checkpointDir } from './changeset.js';

export const appendCommand: Command = {
  summary: 'apply changes to a checkpoint at its own version (Penumbra\'s append_value_set); prints the new root last',
  usage: 'append CHECKPOINT_DIR CHANGES.jsonl [--dry-run]',
  async run(args, io) {
    const { values, positionals } = parse(args, { 'dry-run': { type: 'boolean' } }, this.usage);
    if (positionals.length !== 2) throw usageError(`give a checkpoint directory and a CHANGES.jsonl\nusage: lightsnap ${this.usage}`);
    const [dir, file] = positionals;
    await checkpointDir(dir);
    const dryRun = values['dry-run'] ?? false;
    const written = await appendInPlace(fsStore(dir), readJsonLines(await openInput(file)), { dryRun });
    const m = written.manifest;
    io.stdout.write(dryRun
      ? `dry run, nothing written: the checkpoint of version ${m.version} would have ${m.leaves} leaves in ${m.chunks.length} chunks (${written.chunksWritten} chunk files new)\n`
      : `appended in place: checkpoint ${written.id} of version ${m.version} (${m.leaves} leaves in ${m.chunks.length} chunks, ${written.chunksWritten} chunk files written)\n`);
    io.stdout.write(`${m.root}\n`);
    return 0;
  },
};
