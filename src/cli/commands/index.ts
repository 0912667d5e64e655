// The subcommands of `lightsnap`, by name. Add a command by adding its module here.
import type { Command } from '../command.js';
import { chunkCommand } from './chunk.js';
import { rootCommand } from './root.js';
import { sha256Command } from './sha256.js';
import { inspectCommand } from './inspect.js';
import { verifyCommand } from './verify.js';
import { restoreCommand } from './restore.js';
import { serveCommand } from './serve.js';
import { createCommand } from './create.js';
import { getCommand, proveCommand } from './get.js';
import { demoCommand } from './demo.js';
import { changesetCommand } from './changeset.js';
import { visorCommand } from './visor.js';
import { appendCommand } from './append.js';
import { devnetCommand } from './devnet.js';
import { lightCommand } from './light.js';
import { migrateCommand } from './migrate.js';

export const commands: Record<string, Command> = {
  sha256: sha256Command,
  chunk: chunkCommand,
  inspect: inspectCommand,
  verify: verifyCommand,
  restore: restoreCommand,
  serve: serveCommand,
  create: createCommand,
  get: getCommand,
  prove: proveCommand,
  demo: demoCommand,
  root: rootCommand,
  changeset: changesetCommand,
  visor: visorCommand,
  append: appendCommand,
  devnet: devnetCommand,
  light: lightCommand,
  migrate: migrateCommand,
};
