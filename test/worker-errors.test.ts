// Typed errors keep their class, code, chunk, source and message across a comlink boundary
// (here a MessageChannel: the same structured clone and transfer handlers as a worker).
import { describe, expect, it } from 'vitest';
import { expose, wrap } from 'comlink';
import { ChunkCorrupted, ChunkProofVerificationFailed, CheckpointError, StorageFailed } from '../src/checkpoint/errors.js';
import { InvalidArgument, LightsnapError } from '../src/errors.js';
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
});
