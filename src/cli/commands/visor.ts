// `lightsnap visor init|run|status HOME`: the upgrade supervisor (src/upgrade) on the command line.
import type { CliIO, Command } from '../command.js';
import { parse } from '../args.js';
import { usageError } from '../errors.js';
import { initHome } from '../../upgrade/home.js';
import { dryRun, status, type DryRun, type StatusReport } from '../../upgrade/describe.js';
import { Supervisor } from '../../upgrade/supervisor.js';
import { describeExit } from '../../upgrade/version-run.js';

const USAGE = 'visor init HOME | visor run HOME [--dry-run] [--json] | visor status HOME [--json]';

function printDryRun(d: DryRun, io: CliIO): void {
  const w = (s: string) => io.stdout.write(s + '\n');
  w(`home ${d.home}: current → ${d.current}`);
  for (const p of d.processes) w(`  would start ${p.name}: ${[p.command, ...p.args].join(' ')} (in ${p.cwd})`);
  w(d.sources.length ? `upgrades learnt from: ${d.sources.join('; ')}` : 'no upgrade source configured');
  if (d.pending) w(`an interrupted upgrade to ${d.pending.release} (step ${d.pending.step}) is finished first`);
  if (!d.upgrades.length) w('no known upgrade');
  for (const u of d.upgrades) {
    w(`at height ${u.height}: upgrade to ${u.release} (from ${u.source}, folder ${u.folder})`);
    for (const s of u.steps) w(`  - ${s}`);
  }
}

function printStatus(s: StatusReport, io: CliIO): void {
  const w = (line: string) => io.stdout.write(line + '\n');
  w(`home ${s.home}: current → ${s.current}`);
  w(s.supervisor?.running ? `supervisor running (pid ${s.supervisor.pid})` : 'supervisor not running');
  for (const p of s.processes) {
    const exits = p.lastExits.length ? `, last exits: ${p.lastExits.map(describeExit).join(', ')}` : '';
    w(`  ${p.name}: ${p.state}${p.pid ? ` (pid ${p.pid})` : ''}, ${p.restarts} restart(s)${exits}`);
  }
  if (s.pending) w(`upgrade to ${s.pending.release} under way (step ${s.pending.step})`);
  w(s.nextUpgrade ? `next upgrade: ${s.nextUpgrade.release} at height ${s.nextUpgrade.height} (from ${s.nextUpgrade.source})` : 'no known upgrade');
  for (const d of s.done) w(`done: ${d.from} → ${d.to} (${d.release} at height ${d.height}, ${d.at})`);
}

async function run(home: string, json: boolean, io: CliIO): Promise<number> {
  const supervisor = new Supervisor(home, {
    onEvent: (e) => io.stderr.write(json ? JSON.stringify({ time: new Date().toISOString(), ...e }) + '\n' : `visor: ${e.message}\n`),
  });
  const stop = () => supervisor.shutdown();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    await supervisor.run();
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

export const visorCommand: Command = {
  summary: 'supervise processes from a home folder and switch versions at upgrade heights (after Vega Visor)',
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    const { values, positionals } = parse(rest, { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } }, USAGE);
    if (positionals.length !== 1 || !['init', 'run', 'status'].includes(sub)) throw usageError(`usage: lightsnap ${USAGE}`);
    const home = positionals[0];
    const json = values.json ?? false;
    if (values['dry-run'] && sub !== 'run') throw usageError(`--dry-run goes with visor run\nusage: lightsnap ${USAGE}`);
    if (sub === 'init') {
      const { created, kept } = await initHome(home);
      if (json) io.stdout.write(JSON.stringify({ home, created, kept }) + '\n');
      else {
        for (const c of created) io.stdout.write(`created ${c}\n`);
        for (const k of kept) io.stdout.write(`kept ${k} (already there)\n`);
      }
      return 0;
    }
    if (sub === 'status') {
      const s = await status(home);
      if (json) io.stdout.write(JSON.stringify(s) + '\n');
      else printStatus(s, io);
      return 0;
    }
    if (values['dry-run']) {
      const d = await dryRun(home);
      if (json) io.stdout.write(JSON.stringify(d) + '\n');
      else printDryRun(d, io);
      return 0;
    }
    return run(home, json, io);
  },
};
