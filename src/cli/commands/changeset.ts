// `lightsnap changeset create|inspect|diff|apply`: producing, reading and applying the
// per-height changesets of docs/FORMAT.md ("Changeset").
import type { Command, CliIO } from '../command.js';
import { intOption, parse } from '../args.js';
import { usageError } from '../errors.js';
import { openInput } from '../files.js';
import { sourcesFor } from '../sources.js';
import { readJsonLines } from '../../format/jsonl.js';
import { fsStore } from '../../store/fs.js';
import { writeChangeset, loadChangesetMetadata } from '../../changeset/io.js';
import { encodeChangesetMetadata } from '../../format/changeset.js';
import { sha256 } from '../../hash/sha256.js';
import { toHex } from '../../hex.js';

/** An optional --NAME HEX root: 64 hex digits (0x allowed), returned in lowercase. */
export function optionalRoot(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^(0x)?[0-9a-fA-F]{64}$/.test(value)) throw usageError(`--${name} must be 64 hex digits, got ${JSON.stringify(value)}`);
  return value.replace(/^0x/, '').toLowerCase();
}

interface Sub {
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}

const create: Sub = {
  usage: 'changeset create CHANGES.jsonl --height H --out DIR [--prev-root HEX] [--root HEX]',
  async run(args, io) {
    const { values, positionals } = parse(args, {
      height: { type: 'string' }, out: { type: 'string' }, 'prev-root': { type: 'string' }, root: { type: 'string' },
    }, this.usage);
    if (positionals.length !== 1) throw usageError(`give exactly one CHANGES.jsonl\nusage: lightsnap ${this.usage}`);
    if (!values.out) throw usageError(`--out DIR is required\nusage: lightsnap ${this.usage}`);
    const height = intOption(values.height, 'height', 0, Number.MAX_SAFE_INTEGER);
    if (height === undefined) throw usageError(`--height H is required\nusage: lightsnap ${this.usage}`);
    const roots = { prevRoot: optionalRoot(values['prev-root'], 'prev-root'), root: optionalRoot(values.root, 'root') };
    const written = await writeChangeset(fsStore(values.out), height, readJsonLines(await openInput(positionals[0])), roots);
    const m = written.metadata;
    io.stdout.write(`created changeset ${written.id} of height ${m.height} in ${values.out}: ${m.changes} changes in ${m.pieces.length} pieces\n`);
    if (m.root) io.stdout.write(`${m.root}\n`);
    return 0;
  },
};

const inspect: Sub = {
  usage: 'changeset inspect DIR|URL [--json]',
  async run(args, io) {
    const { values, positionals } = parse(args, { json: { type: 'boolean' } }, this.usage);
    if (positionals.length !== 1) throw usageError(`give exactly one changeset location\nusage: lightsnap ${this.usage}`);
    const [source] = await sourcesFor(positionals, this.usage);
    const m = await loadChangesetMetadata(source);
    const id = toHex(sha256(encodeChangesetMetadata(m)));
    const bytes = m.pieces.reduce((a, p) => a + p.size, 0);
    if (values.json) {
      io.stdout.write(JSON.stringify({ id, ...m, bytes }) + '\n');
      return 0;
    }
    io.stdout.write([
      `changeset ${id}`,
      `height    ${m.height}`,
      `changes   ${m.changes}`,
      `pieces    ${m.pieces.length} (${bytes} bytes)`,
      `prevRoot  ${m.prevRoot ?? '(not stated)'}`,
      `root      ${m.root ?? '(not stated)'}`,
      ...m.pieces.map((p, i) => `  piece ${i}: ${p.digest} ${p.size} bytes, ${p.changes} changes`),
      '',
    ].join('\n'));
    return 0;
  },
};

const subcommands: Record<string, Sub> = { create, inspect };

export const changesetCommand: Command = {
  summary: 'create, inspect, diff and apply per-height changesets (docs/FORMAT.md)',
  get usage() {
    return Object.values(subcommands).map((s) => s.usage).join('\n       lightsnap ');
  },
  async run(args, io) {
    const [name, ...rest] = args;
    const sub = name === undefined ? undefined : subcommands[name];
    if (!sub) {
      throw usageError(`${name === undefined ? 'a subcommand is required' : `unknown subcommand ${JSON.stringify(name)}`}\nusage: lightsnap ${this.usage}`);
    }
    return sub.run(rest, io);
  },
};


