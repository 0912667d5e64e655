// `lightsnap changeset create|inspect|diff|apply`: producing, reading and applying the
// per-height changesets of docs/FORMAT.md ("Changeset").
import { copyFile, link, mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command, CliIO } from '../command.js';
import { intOption, parse } from '../args.js';
import { inputError, usageError } from '../errors.js';
import { openInput } from '../files.js';
import { sourcesFor } from '../sources.js';
import { readJsonLines } from '../../format/jsonl.js';
import { fsStore } from '../../store/fs.js';
import { writeChangeset, loadChangesetMetadata, openChangeset } from '../../changeset/io.js';
import { diffCheckpoints } from '../../changeset/diff.js';
import { applyChangesets } from '../../checkpoint/apply.js';
import { MANIFEST_FILE } from '../../format/manifest.js';
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

const diff: Sub = {
  usage: 'changeset diff OLD_DIR|URL NEW_DIR|URL --out DIR',
  async run(args, io) {
    const { values, positionals } = parse(args, { out: { type: 'string' } }, this.usage);
    if (positionals.length !== 2) throw usageError(`give the old and the new checkpoint\nusage: lightsnap ${this.usage}`);
    if (!values.out) throw usageError(`--out DIR is required\nusage: lightsnap ${this.usage}`);
    const [a, b] = await sourcesFor(positionals, this.usage);
    const d = await diffCheckpoints(a, b);
    io.stderr.write(`read ${d.chunksRead.from} of ${d.from.chunks.length} old and ${d.chunksRead.to} of ${d.to.chunks.length} new chunk files\n`);
    const written = await writeChangeset(fsStore(values.out), d.to.version, d.changes, { prevRoot: d.from.root, root: d.to.root });
    io.stdout.write(`created changeset ${written.id} of height ${d.to.version} in ${values.out}: ${d.changes.length} changes in ${written.metadata.pieces.length} pieces\n`);
    io.stdout.write(`${d.to.root}\n`);
    return 0;
  },
};

const apply: Sub = {
  usage: 'changeset apply CHECKPOINT_DIR CHANGESET_DIR|URL... --out NEW_DIR [--expect-root HEX] [--hold-mb MB]',
  async run(args, io) {
    const { values, positionals } = parse(args, { out: { type: 'string' }, 'expect-root': { type: 'string' }, 'hold-mb': { type: 'string' } }, this.usage);
    if (positionals.length < 2) throw usageError(`give a checkpoint directory and at least one changeset\nusage: lightsnap ${this.usage}`);
    if (!values.out) throw usageError(`--out NEW_DIR is required (it may be CHECKPOINT_DIR: then in place)\nusage: lightsnap ${this.usage}`);
    const expectRoot = optionalRoot(values['expect-root'], 'expect-root');
    const holdMb = values['hold-mb'] === undefined ? undefined : Number(values['hold-mb']);
    if (holdMb !== undefined && !(Number.isInteger(holdMb) && holdMb >= 0 && holdMb <= 1 << 20)) {
      throw usageError(`--hold-mb must be a whole number of MiB from 0 (write every height) to ${1 << 20}, got ${values['hold-mb']}\nusage: lightsnap ${this.usage}`);
    }
    const [checkpoint, ...locations] = positionals;
    await checkpointDir(checkpoint);
    const sources = await sourcesFor(locations, this.usage);
    const changesets = await Promise.all(sources.map(openChangeset));
    const target = await prepareTarget(checkpoint, values.out);
    const result = await applyChangesets(fsStore(target), changesets, {
      expectRoot,
      pendingBytes: holdMb === undefined ? undefined : holdMb * 2 ** 20,
      onHeight: (h) => io.stderr.write(h.bytesWritten === 0
        ? `height ${h.height}: root ${h.root}, held in memory (written with a later height)\n`
        : `height ${h.height}: root ${h.root}, ${h.chunksWritten} chunk files written, ${h.bytesWritten} bytes\n`),
    });
    const m = result.manifest;
    io.stdout.write(`applied ${result.heights.length} changesets: checkpoint ${result.id} of version ${m.version} in ${target} (${m.leaves} leaves in ${m.chunks.length} chunks)\n`);
    io.stdout.write(`${m.root}\n`);
    return 0;
  },
};

/** Fails with an input error unless `dir` holds a checkpoint. */
export async function checkpointDir(dir: string): Promise<void> {
  const info = await stat(join(dir, MANIFEST_FILE)).catch(() => undefined);
  if (!info?.isFile()) throw inputError(`${dir}: not a checkpoint directory (no ${MANIFEST_FILE})`);
}

/**
 * The directory to apply in: CHECKPOINT_DIR itself, or NEW_DIR made a copy of it by hard links
 * (files are immutable: an apply only adds files and renames new ones over old names, so the
 * original is never touched). NEW_DIR must not exist or be empty.
 */
async function prepareTarget(checkpoint: string, out: string): Promise<string> {
  if (resolve(checkpoint) === resolve(out)) return checkpoint;
  const existing = await readdir(out).catch(() => undefined);
  if (existing && existing.length > 0) throw inputError(`${out}: exists and is not empty (give a new directory, or CHECKPOINT_DIR to apply in place)`);
  const names = (await readdir(checkpoint, { recursive: true, withFileTypes: true }))
    .filter((d) => d.isFile() && !d.name.endsWith('.partial') && !relative(checkpoint, d.parentPath).startsWith('restore'))
    .map((d) => relative(checkpoint, join(d.parentPath, d.name)));
  for (const name of names) {
    await mkdir(dirname(join(out, name)), { recursive: true });
    await link(join(checkpoint, name), join(out, name)).catch(() => copyFile(join(checkpoint, name), join(out, name)));
  }
  return out;
}

const subcommands: Record<string, Sub> = { create, inspect, diff, apply };

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


