// How the CLI turns failures into exit codes: its own usage and input errors carry their status;
// library errors get the one registered for their kind in src/errors.ts (docs/CLI.md).
import { EXIT, exitStatusOf, LightsnapError } from '../errors.js';

export { EXIT };

/** A failure the CLI reports as one line on stderr and a given exit status. */
export class CliError extends LightsnapError {
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode: number) {
    super(code, message);
    this.exitCode = exitCode;
  }
}

export function usageError(message: string): CliError {
  return new CliError('UsageError', message, EXIT.usage);
}

export function inputError(message: string): CliError {
  return new CliError('InputError', message, EXIT.input);
}

export function exitCodeFor(err: unknown): number {
  return err instanceof CliError ? err.exitCode : exitStatusOf(err);
}
