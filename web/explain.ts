// Typed errors in words a user understands: what happened, and what to do about it.
import { LightsnapError } from '../src/errors.js';

const where = (e: { chunk?: number; source?: string }) =>
  [e.chunk !== undefined ? `chunk ${e.chunk}` : '', e.source ? `from ${e.source}` : ''].filter(Boolean).join(' ');

const EXPLAIN: Record<string, (e: LightsnapError & { chunk?: number; source?: string }) => string> = {
  RootMismatch: (e) => `Refused: the checkpoint${e.source ? ` at ${e.source}` : ''} is for a different state than the root you trust. Nothing was stored. Check the root, or the URL.`,
  CheckpointNotFound: (e) => `There is no checkpoint${e.source ? ` at ${e.source}` : ' at that address'} (its manifest.json is missing). Check the URL.`,
  ManifestInvalid: (e) => `The checkpoint's manifest${e.source ? ` at ${e.source}` : ''} is malformed, so it cannot be trusted: ${e.message}`,
  ChunkCorrupted: (e) => `A damaged copy of ${where(e)} was refused (its bytes do not match their checksum).`,
  ChunkProofVerificationFailed: (e) => `${where(e)} does not prove out against your root: that server sent false data, and it was refused.`,
  ChunkNotFound: (e) => `${where(e)} is missing on that server.`,
  SourceUnavailable: (e) => `Could not download ${where(e) || 'from the server'}: ${e.message}`,
  StorageFailed: (e) => `The browser refused to store the data: ${e.message}. Nothing half-written was kept.`,
  RestoreAlreadyInProgress: () => 'An unfinished restore of a different checkpoint is in this browser. Press “Delete restored data” to discard it first.',
  KeyNotFound: () => 'That key is not in the restored state.',
  WorkerFailed: (e) => `A verification worker crashed, twice: ${e.message}`,
  CoreUnavailable: (e) => `This browser cannot run the verification code: ${e.message}`,
  InvalidArgument: (e) => `Please check the form: ${e.message}`,
  LightVerificationFailed: (e) => `A header did not verify, so no root was taken from it: ${e.message}`,
  ConflictingHeaders: (e) => `Stopped: a witness serves a validly signed header different from the primary's (${e.message}). The chain forked or a node is attacking you: trust neither until you know which.`,
  TrustedHeaderExpired: (e) => `${e.message}. Enter a more recent trusted height and hash.`,
  ProviderUnavailable: (e) => `A chain node could not answer: ${e.message}`,
  LightBlockMalformed: (e) => `A chain node sent malformed data: ${e.message}`,
};

export function explain(err: unknown): string {
  if (err instanceof LightsnapError) return (EXPLAIN[err.code] ?? ((e) => e.message))(err);
  if ((err as Error)?.name === 'AbortError') return 'Stopped.';
  return `Something unexpected went wrong: ${(err as Error)?.message ?? String(err)}`;
}

/** One line for a refused copy of a chunk during a run that went on with another source. */
export function explainBadCopy(bad: { chunk: number; source: string; code: string; message: string }): string {
  const e = Object.assign(new LightsnapError(bad.code, bad.message), { chunk: bad.chunk, source: bad.source });
  return explain(e);
}
