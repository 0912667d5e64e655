// `lightsnap COMMAND ...`: dispatches to a subcommand and turns its failures into one line on
// stderr and a documented exit status.
import { commands } from './commands/index.js';
import type { CliIO } from './command.js';
import { EXIT, exitCodeFor } from './errors.js';
import { LightsnapError } from '../errors.js';

function help(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: lightsnap COMMAND [ARGS]\n\ncommands:\n${lines.join('\n')}\n\nlightsnap help COMMAND shows a command's usage.\n`;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? args[0] : undefined;
    if (topic && commands[topic]) {
      io.stdout.write(`usage: lightsnap ${commands[topic].usage}\n${commands[topic].summary}\n`);
      return EXIT.ok;
    }
    (name === undefined ? io.stderr : io.stdout).write(help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(`lightsnap: unknown command ${JSON.stringify(name)}\n${help()}`);
    return EXIT.usage;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    const label = err instanceof LightsnapError ? `${err.code}: ` : '';
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`lightsnap ${name}: ${label}${message}\n`);
    if (!(err instanceof LightsnapError)) io.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    return exitCodeFor(err);
  }
}
