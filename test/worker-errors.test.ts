// Typed errors keep their class, code, chunk, source and message across a comlink boundary
// (here a MessageChannel: the same structured clone and transfer handlers as a worker).
import { describe, expect, it } from 'vitest';
import { expose, wrap } from 'comlink';
import * as errors from '../src/errors.js';
import {
  ChunkCorrupted, ChunkProofVerificationFailed, CheckpointError, StorageFailed, InvalidArgument, LightsnapError, ERRORS, EXIT,
  exitStatusOf,
} from '../src/errors.js';
import { installErrorTransfer } from '../src/worker/error-transfer.js';

function across(thrower: () => never) {
  installErrorTransfer();
  const { port1, port2 } = new MessageChannel();
  expose({ call: thrower }, port1);
  const remote = wrap<{ call(): void }>(port2);
  return remote.call().then(() => { throw new Error('did not throw'); }, (err: unknown) => {
    port1.close();
    port2.close();
    return err;
  });
}

describe('errors crossing threads', () => {
  it('keeps a checkpoint error\'s class, code, chunk, source and message', async () => {
    const original = new ChunkCorrupted('digest mismatch', { chunk: 17, source: 'https://mirror.example/cp/' });
    const err = await across(() => { throw original; });
    expect(err).toBeInstanceOf(ChunkCorrupted);
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err).toBeInstanceOf(LightsnapError);
    expect(err).not.toBeInstanceOf(ChunkProofVerificationFailed);
    expect(err).toMatchObject({ code: 'ChunkCorrupted', chunk: 17, source: 'https://mirror.example/cp/', name: 'ChunkCorrupted' });
    expect((err as Error).message).toBe(original.message);
    expect((err as CheckpointError).detail).toBe('digest mismatch');
    // Methods work on the rebuilt error as on the original (no second "(chunk … from …)").
    expect((err as CheckpointError).at({ chunk: 3 }).message).toBe(original.at({ chunk: 3 }).message);
  });

  it('keeps other lightsnap errors and their codes', async () => {
    const err = await across(() => { throw new InvalidArgument('size must be an integer'); });
    expect(err).toBeInstanceOf(InvalidArgument);
    expect(err).toMatchObject({ code: 'InvalidArgument', message: 'size must be an integer' });
    const located = await across(() => { throw new StorageFailed('quota', { chunk: 2 }); });
    expect(located).toMatchObject({ code: 'StorageFailed', chunk: 2 });
  });

  it('rebuilds an error of a code it does not know as the nearest base class', async () => {
    const err = await across(() => { throw new CheckpointError('SomethingNew', 'new failure', { source: 's' }); });
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err).toMatchObject({ code: 'SomethingNew', source: 's' });
  });

  it('passes errors that are not lightsnap\'s through as comlink does', async () => {
    const err = await across(() => { throw new TypeError('plain'); });
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(LightsnapError);
    expect((err as Error).message).toBe('plain');
  });

  // One instance of every registered class, built with its own constructor's arguments. A class
  // added to the registry without an entry here fails the coverage check below.
  const samples: Record<string, () => LightsnapError> = {
    InvalidArgument: () => new errors.InvalidArgument('bad size'),
    JsonLinesError: () => new errors.JsonLinesError(7, 'not valid JSON'),
    CoreUnavailable: () => new errors.CoreUnavailable('no core could be loaded: this engine has no WebAssembly SIMD; call `await init()` first'),
    CheckpointNotFound: () => new errors.CheckpointNotFound('no manifest', { source: 'https://a.example/' }),
    ChunkNotFound: () => new errors.ChunkNotFound('404', { chunk: 4, source: 'https://a.example/' }),
    ChunkCorrupted: () => new errors.ChunkCorrupted('digest mismatch', { chunk: 5 }),
    ChunkProofVerificationFailed: () => new errors.ChunkProofVerificationFailed('root mismatch', { chunk: 6, source: 's' }),
    ManifestInvalid: () => new errors.ManifestInvalid('gap after chunk 2', { source: 'm' }),
    RootMismatch: () => new errors.RootMismatch('another root', { source: 'r' }),
    RestoreAlreadyInProgress: () => new errors.RestoreAlreadyInProgress('another checkpoint'),
    NoRestoreInProgress: () => new errors.NoRestoreInProgress('nothing to abort'),
    ChunkAlreadyRestored: () => new errors.ChunkAlreadyRestored('again', { chunk: 1 }),
    SourceUnavailable: () => new errors.SourceUnavailable('timed out', { chunk: 2, source: 'slow' }),
    KeyNotFound: () => new errors.KeyNotFound('absent key'),
    UnsupportedFormatVersion: () => new errors.UnsupportedFormatVersion('manifest formatVersion 2 is not supported', { source: 'https://a.example/' }),
    StorageFailed: () => new errors.StorageFailed('disk full', { chunk: 3 }),
    UnsortedLeaves: () => new errors.UnsortedLeaves(12),
    ProofInvalid: () => new errors.ProofInvalid('sibling count'),
    MalformedProof: () => new errors.MalformedProof('a field number is 0', 33),
    UnsupportedHashOp: () => new errors.UnsupportedHashOp('KECCAK256'),
    ChangesetInvalid: () => new errors.ChangesetInvalid('unknown version', { height: 9, piece: 2, source: 'c' }),
    ChangesetNotFound: () => new errors.ChangesetNotFound('no changeset.json', { source: 'c' }),
    ChangesetPieceNotFound: () => new errors.ChangesetPieceNotFound('missing', { height: 9, piece: 0 }),
    ChangesetPieceCorrupted: () => new errors.ChangesetPieceCorrupted('digest', { height: 9, piece: 1, source: 'c' }),
    ChangeTooLarge: () => new errors.ChangeTooLarge('key "k" too large', { height: 3 }),
    PrevRootMismatch: () => new errors.PrevRootMismatch('prevRoot differs', { height: 4 }),
    ChangesetRootMismatch: () => new errors.ChangesetRootMismatch('root differs', { height: 5 }),
    WorkerFailed: () => new errors.WorkerFailed('exited with code 1'),
    PoolClosed: () => new errors.PoolClosed(),
    LightBlockMalformed: () => new errors.LightBlockMalformed('signed_header.header.height', 'expected an integer'),
    LightVerificationFailed: () => new errors.LightVerificationFailed(42, 'signature 3 does not verify', 'http://rpc.example/'),
    TrustedHeaderExpired: () => new errors.TrustedHeaderExpired('expired at 2026-01-01T00:00:00Z'),
    ConflictingHeaders: () => new errors.ConflictingHeaders(7,
      { source: 'p', hash: 'AA', lightBlock: { signed_header: { header: { height: '7' } } } },
      { source: 'w', hash: 'BB', lightBlock: { signed_header: { header: { height: '7' } } } }),
    ProviderUnavailable: () => new errors.ProviderUnavailable('http://rpc.example/', 'timed out'),
    VisorConfigInvalid: () => new errors.VisorConfigInvalid('config.json: maxNumberOfRestarts must be an integer'),
    UpgradeSourceFailed: () => new errors.UpgradeSourceFailed('http://127.0.0.1/status answered 500'),
    ArtifactRefused: () => new errors.ArtifactRefused('release v2: node has SHA-256 00…, the config says ff…'),
    UpgradeAborted: () => new errors.UpgradeAborted('pre-upgrade hook aborted the upgrade to v2 (exit 30)'),
    ProcessGaveUp: () => new errors.ProcessGaveUp('process core exited again after 3 restarts'),
    HomeBusy: () => new errors.HomeBusy('a supervisor (pid 12) is already running'),
    NoActiveMigration: () => new errors.NoActiveMigration('no migration.json', { source: 'm' }),
    NoMoreChunksToRead: () => new errors.NoMoreChunksToRead('3 pieces', { height: 12, piece: 3 }),
    MigrationInvalid: () => new errors.MigrationInvalid('migration.json: bad status'),
    MigrationMismatch: () => new errors.MigrationMismatch('another migration', { source: 'm' }),
    HeightOutOfOrder: () => new errors.HeightOutOfOrder('notified out of order', { height: 14 }),
    MigrationStalled: () => new errors.MigrationStalled('nothing new for 60 s'),
  };

  it('has a sample for every registered error, and every sample is registered under its name', () => {
    expect(Object.keys(samples).sort()).toEqual(Object.keys(ERRORS).sort());
    for (const [name, make] of Object.entries(samples)) {
      const err = make();
      expect(err.name, name).toBe(name);
      expect(err, name).toBeInstanceOf(ERRORS[name].cls);
    }
  });

  it.each(Object.keys(ERRORS))('rebuilds %s as its own class with all its fields', async (name) => {
    const original = samples[name]();
    const err = await across(() => { throw original; });
    expect(err).toBeInstanceOf(ERRORS[name].cls);
    expect(Object.getPrototypeOf(err)).toBe(Object.getPrototypeOf(original));
    expect((err as Error).message).toBe(original.message);
    expect((err as Error).name).toBe(original.name);
    expect({ ...(err as object) }).toEqual({ ...original });
    expect(exitStatusOf(err)).toBe(ERRORS[name].exit);
  });
});

describe('exit statuses', () => {
  it('maps registered errors by kind and anything else to the bug status', () => {
    expect(exitStatusOf(new errors.KeyNotFound('k'))).toBe(EXIT.notFound);
    expect(exitStatusOf(new errors.JsonLinesError(3, 'x'))).toBe(EXIT.usage);
    expect(exitStatusOf(new errors.StorageFailed('full'))).toBe(EXIT.storage);
    expect(exitStatusOf(new LightsnapError('SomethingNew', 'x'))).toBe(EXIT.failure);
    expect(exitStatusOf(new TypeError('x'))).toBe(EXIT.failure);
  });
});
