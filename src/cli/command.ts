// The contract every `lightsnap` subcommand implements.
import type { Writable } from 'node:stream';

export interface CliIO {
  stdout: Writable;
  stderr: Writable;
  /** True when stderr is a terminal: progress is drawn as a bar instead of printed as lines. */
  isTTY: boolean;
}

export interface Command {
  /** One line for `lightsnap help`. */
  summary: string;
  /** The usage line(s), without the program name. */
  usage: string;
  /** Runs the command; resolves to the exit status (0 on success). Throw CliError for failures. */
  run(args: string[], io: CliIO): Promise<number>;
}
