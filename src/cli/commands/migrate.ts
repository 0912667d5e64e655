// `lightsnap migrate …`: drive the old side of a migration block by block (start, notify),
// look at one (status), and follow one into a directory until it switches (follow).
import type { Command, CliIO } from '../command.js';
import { intOption, parse } from '../args.js';
import { usageError } from '../errors.js';
import { openInput } from '../files.js';
import { rootOption, sourcesFor } from '../sources.js';
import { progressView } from '../progress.js';
import { verifierFor } from '../verifier.js';
import { readJsonLines } from '../../format/jsonl.js';
import { defaultChunking } from '../../checkpoint/splitter.js';
import { fsStore } from '../../store/fs.js';
import type { Pair } from '../../tree/pairs.js';
import { Migrator } from '../../migrate/migrator.js';
import { MigrationManager, MAX_BATCH_HEIGHTS, type MigrationEvent } from '../../migrate/manager.js';
import { parseMigration, MAX_MIGRATION_BYTES } from '../../migrate/metadata.js';
import { NoActiveMigration } from '../../errors.js';

const USAGE = [
  'migrate start --state STATE.jsonl --start H --duration N --out DIR [--timestamp T] [--max-chunk-bytes N]',
  'migrate notify DIR --height H CHANGES.jsonl',
  'migrate status DIR|URL [--json]',
  'migrate follow DIR|URL [URL...] --into DIR [--until-caught-up [--switch]] [--genesis-root HEX] [--expect-root HEX]\n' +
  '                 [--poll-ms N] [--max-poll-ms N] [--stall-timeout SECONDS] [--batch-heights N]\n' +
  '                 [--workers N] [--json]',
].join('\n       lightsnap ');

async function readPairs(path: string): Promise<Pair[]> {
  const pairs: Pair[] = [];
  for await (const pair of readJsonLines(await openInput(path))) pairs.push(pair);
  return pairs;
}

async function start(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, {
    state: { type: 'string' }, start: { type: 'string' }, duration: { type: 'string' }, out: { type: 'string' },
    timestamp: { type: 'string' }, 'max-chunk-bytes': { type: 'string' },
  }, USAGE);
  if (positionals.length) throw usageError(`unexpected ${positionals[0]}\nusage: lightsnap ${USAGE}`);
  for (const name of ['state', 'start', 'duration', 'out'] as const) {
    if (values[name] === undefined) throw usageError(`--${name} is required\nusage: lightsnap ${USAGE}`);
  }
  const startHeight = intOption(values.start, 'start', 1, Number.MAX_SAFE_INTEGER)!;
  const duration = intOption(values.duration, 'duration', 0, Number.MAX_SAFE_INTEGER - startHeight)!;
  const maxChunkBytes = intOption(values['max-chunk-bytes'], 'max-chunk-bytes', 1024, 64 << 20);
  const pairs = await readPairs(values.state!);
  const migrator = new Migrator(fsStore(values.out!), { chunking: defaultChunking(maxChunkBytes) });
  const declared = await migrator.declare({ startHeight, duration, timestamp: values.timestamp ?? new Date().toISOString() });
  await migrator.notifyHeight(startHeight, [], { pairs });
  const m = await migrator.getMigrationMetadata();
  if (m.status === 'NoActiveMigration') throw new NoActiveMigration('the migration vanished while starting');
  io.stdout.write(`migration ${declared.id}: genesis at height ${m.startHeight} in ${values.out}/genesis, ` +
    `changesets for heights ${m.startHeight + 1} to ${m.endHeight}; status ${m.status}\n${m.genesis!.root}\n`);
  return 0;
}

async function notify(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, { height: { type: 'string' } }, USAGE);
  if (positionals.length !== 2) throw usageError(`give the migration DIR and one CHANGES.jsonl\nusage: lightsnap ${USAGE}`);
  if (values.height === undefined) throw usageError(`--height is required\nusage: lightsnap ${USAGE}`);
  const height = intOption(values.height, 'height', 0, Number.MAX_SAFE_INTEGER)!;
  const migrator = new Migrator(fsStore(positionals[0]));
  const status = await migrator.notifyHeight(height, await readPairs(positionals[1]));
  const m = await migrator.getMigrationMetadata();
  if (m.status === 'NoActiveMigration') throw new NoActiveMigration(`${positionals[0]} holds no migration (no migration.json)`);
  const recorded = m.lastChangeset !== null && height > m.startHeight && height <= m.lastChangeset;
  io.stdout.write(`height ${height}: ${recorded ? 'changeset recorded' : 'nothing recorded'}; status ${status}\n`);
  if (recorded) io.stdout.write(`${(await migrator.getChangesetMetadata(height)).root}\n`);
  return 0;
}

async function status(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, USAGE);
  if (positionals.length !== 1) throw usageError(`give one migration DIR or URL\nusage: lightsnap ${USAGE}`);
  const [source] = await sourcesFor(positionals, USAGE);
  let bytes: Uint8Array;
  try {
    bytes = await source.fetch('migration.json', { maxBytes: MAX_MIGRATION_BYTES });
  } catch (err) {
    if ((err as { code?: string }).code === 'CheckpointNotFound' || (err as { code?: string }).code === 'ChunkNotFound') {
      if (values.json) io.stdout.write(JSON.stringify({ status: 'NoActiveMigration' }) + '\n');
      else io.stdout.write('NoActiveMigration\n');
      return 0;
    }
    throw err;
  }
  const m = parseMigration(bytes);
  if (values.json) {
    io.stdout.write(new TextDecoder().decode(bytes));
    return 0;
  }
  io.stdout.write([
    `migration ${m.id}`, `status ${m.status}`, `start height ${m.startHeight}, end height ${m.endHeight} (declared ${m.declaration.timestamp})`,
    m.genesis ? `genesis checkpoint ${m.genesis.checkpointId}: root ${m.genesis.root}, ${m.genesis.chunks} chunks` : 'genesis: not yet written',
    `changesets recorded: ${m.lastChangeset === null ? 'none' : `${m.startHeight + 1} to ${m.lastChangeset}`}`,
  ].join('\n') + '\n');
  return 0;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One line per event on stderr (NDJSON with --json); genesis progress through the usual view. */
function eventPrinter(io: CliIO, json: boolean): { listener: (e: MigrationEvent) => void; end(): void } {
  const view = progressView(io, false);
  return {
    listener(e) {
      if (json) {
        io.stderr.write(JSON.stringify(e) + '\n');
        return;
      }
      switch (e.type) {
        case 'genesis': view.listener(e.progress); return;
        case 'metadata': io.stderr.write(`migration ${e.status}: heights ${e.startHeight}–${e.endHeight}, recorded up to ${e.lastChangeset ?? e.startHeight} (${e.source})\n`); return;
        case 'restored': view.end(); io.stderr.write(`genesis restored at height ${e.height}: root ${e.root} (${e.fetched} chunks fetched, ${e.skipped} already there)\n`); return;
        case 'waiting': io.stderr.write(`waiting for ${e.reason}: nothing new for ${seconds(e.waitedMs)}, next poll in ${seconds(e.nextPollMs)}` +
          `${e.deadlineInMs !== undefined ? `, giving up in ${seconds(e.deadlineInMs)}` : ''}\n`); return;
        case 'bad': io.stderr.write(`refused ${e.height !== undefined ? `height ${e.height} ` : ''}${e.index !== undefined ? `piece ${e.index} ` : ''}from ${e.source}: ${e.code}: ${e.message}\n`); return;
        case 'applied': io.stderr.write(`height ${e.height} applied: root ${e.root}, ${e.changes} changes, ${e.fetched}/${e.pieces} pieces fetched, ${e.behind} behind` +
          `${e.batch > 1 ? ` (${e.batch} heights switched together)` : ''}\n`); return;
        case 'caught-up': io.stderr.write(`caught up at height ${e.height}\n`); return;
        case 'switched': io.stderr.write(`switched: ${e.state} is current at height ${e.height}\n`); return;
        case 'already-switched': io.stderr.write(`already switched: ${e.state} is current at height ${e.height}\n`); return;
      }
    },
    end: () => view.end(),
  };
}

async function follow(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, {
    into: { type: 'string' }, 'until-caught-up': { type: 'boolean' }, switch: { type: 'boolean' },
    'genesis-root': { type: 'string' }, 'expect-root': { type: 'string' }, 'poll-ms': { type: 'string' },
    'max-poll-ms': { type: 'string' }, 'stall-timeout': { type: 'string' }, 'batch-heights': { type: 'string' }, workers: { type: 'string' }, json: { type: 'boolean' },
  }, USAGE);
  if (!values.into) throw usageError(`--into DIR is required\nusage: lightsnap ${USAGE}`);
  if (values.switch && !values['until-caught-up']) throw usageError('--switch goes with --until-caught-up (at the end height the switch is automatic)');
  const sources = await sourcesFor(positionals, USAGE);
  const stall = intOption(values['stall-timeout'], 'stall-timeout', 1, 365 * 86400);
  const { verifier, concurrency, close } = await verifierFor(intOption(values.workers, 'workers', 0, 256));
  const printer = eventPrinter(io, values.json ?? false);
  const manager = new MigrationManager({
    store: fsStore(values.into), verifier, concurrency, onEvent: printer.listener,
    genesisRoot: values['genesis-root'] === undefined ? undefined : rootOption(values['genesis-root'], USAGE),
    expectFinalRoot: values['expect-root'] === undefined ? undefined : rootOption(values['expect-root'], USAGE),
    intervalMs: intOption(values['poll-ms'], 'poll-ms', 1, 3_600_000),
    maxIntervalMs: intOption(values['max-poll-ms'], 'max-poll-ms', 1, 3_600_000),
    stallTimeoutMs: stall === undefined ? undefined : stall * 1000,
    batchHeights: intOption(values['batch-heights'], 'batch-heights', 1, MAX_BATCH_HEIGHTS),
  });
  try {
    await manager.start(sources);
    if (values['until-caught-up']) {
      const height = await manager.sync();
      const atEnd = height === manager.metadata()!.endHeight;
      if (atEnd || values.switch) await manager.switchOver();
      io.stdout.write(`caught up at height ${height} of ${manager.metadata()!.endHeight}${atEnd || values.switch ? '; switched' : ''}\n${manager.migratedRoot()}\n`);
      return 0;
    }
    const pointer = await manager.run();
    io.stdout.write(`migration complete at height ${pointer.version}: ${values.into}/${pointer.state} is current\n${pointer.root}\n`);
    return 0;
  } finally {
    printer.end();
    await close();
  }
}

const SUBCOMMANDS: Record<string, (args: string[], io: CliIO) => Promise<number>> = { start, notify, status, follow };

export const migrateCommand: Command = {
  summary: 'long-running migrations: record a genesis and per-height changesets (start, notify), follow them (follow)',
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    const run = sub === undefined ? undefined : SUBCOMMANDS[sub];
    if (!run) throw usageError(`${sub === undefined ? 'a subcommand is required' : `unknown subcommand ${JSON.stringify(sub)}`}\nusage: lightsnap ${USAGE}`);
    return run(rest, io);
  },
};
