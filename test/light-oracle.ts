// The ed25519 oracle for light-client tests: @noble/curves, whose verify follows ZIP-215 by
// default (as CometBFT), used as the batch verifier the light client is given.
import { ed25519 } from '@noble/curves/ed25519.js';
import type { BatchVerifier } from '../src/light/index.js';

export const nobleVerifier: BatchVerifier = (items) => items.map(({ publicKey, message, signature }) => {
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: true });
  } catch {
    return false;
  }
});
