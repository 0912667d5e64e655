// The subcommands of `lightsnap`, by name. Add a command by adding its module here.
import type { Command } from '../command.js';
import { chunkCommand } from './chunk.js';
import { sha256Command } from './sha256.js';

export const commands: Record<string, Command> = {
  sha256: sha256Command,
  chunk: chunkCommand,
};
