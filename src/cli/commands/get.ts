import type { Command } from '../command.js';
import { parse } from '../args.js';
import { inputError, usageError } from '../errors.js';
import { stat } from 'node:fs/promises';
import { decodeBytesString } from '../../format/jsonl.js';
import { openCheckpoint, type CheckpointView } from '../../checkpoint/query.js';
import { fsStore } from '../../store/fs.js';
import { toHex } from '../../hex.js';

/** Opens the checkpoint directory and decodes KEY as in JSON lines (0x… hex, else UTF-8). */
export async function openForKey(args: string[], usage: string): Promise<{ view: CheckpointView; key: Uint8Array }> {
  const { positionals } = parse(args, {}, usage);
  if (positionals.length !== 2) throw usageError(`give a checkpoint directory and a key\nusage: lightsnap ${usage}`);
  const [dir, keyText] = positionals;
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) throw inputError(`${dir}: not a directory`);
  if (keyText === '' || keyText === '0x') throw usageError('the key must not be empty');
  return { view: await openCheckpoint(fsStore(dir)), key: decodeBytesString(keyText, 'KEY') };
}

export const getCommand: Command = {
  summary: 'print the value of a key in a checkpoint directory as 0x… hex (exit 3 if absent)',
  usage: 'get DIR KEY',
  async run(args, io) {
    const { view, key } = await openForKey(args, this.usage);
    io.stdout.write(`0x${toHex(await view.get(key))}\n`);
    return 0;
  },
};

export const proveCommand: Command = {
  summary: 'print a membership or non-membership proof of a key, checked against the root (JSON)',
  usage: 'prove DIR KEY',
  async run(args, io) {
    const { view, key } = await openForKey(args, this.usage);
    const p = await view.prove(key);
    io.stdout.write(JSON.stringify({
      root: view.manifest.root,
      keyHash: toHex(p.keyHash),
      present: p.valueHash !== undefined,
      ...(p.valueHash ? { valueHash: toHex(p.valueHash) } : {}),
      leaf: p.leaf && { keyHash: toHex(p.leaf.keyHash), valueHash: toHex(p.leaf.valueHash) },
      siblings: p.siblings.map(toHex),
      verified: true,
    }) + '\n');
    return 0;
  },
};
