// How the CLI turns failures into exit codes. Library errors keep their stable `code`; the CLI
// maps each kind to one documented exit status (docs/CLI.md).
import { LightsnapError } from '../errors.js';

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  notFound: 3,
  input: 4,
  verification: 5,
  network: 6,
} as const;

/** A failure the CLI reports as one line on stderr and a given exit status. */
export class CliError extends LightsnapError {
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode: number) {
    super(code, message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export function usageError(message: string): CliError {
  return new CliError('UsageError', message, EXIT.usage);
}

export function inputError(message: string): CliError {
  return new CliError('InputError', message, EXIT.input);
}

/** Exit status for library error codes that the CLI does not raise itself. */
const EXIT_BY_CODE: Record<string, number> = {
  InvalidArgument: EXIT.usage,
  KeyNotFound: EXIT.notFound,
  CheckpointNotFound: EXIT.input,
  ChunkNotFound: EXIT.input,
  ChunkCorrupted: EXIT.verification,
  ChunkProofVerificationFailed: EXIT.verification,
  ManifestInvalid: EXIT.verification,
  RootMismatch: EXIT.verification,
  SourceUnavailable: EXIT.network,
};

export function exitCodeFor(err: unknown): number {
  if (err instanceof CliError) return err.exitCode;
  if (err instanceof LightsnapError) return EXIT_BY_CODE[err.code] ?? EXIT.failure;
  return EXIT.failure;
}
