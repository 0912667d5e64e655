// Typed access to the ed25519 exports of the core (assembly/ed25519.ts): copies keys,
// signatures and messages into scratch memory and calls.
import type { CoreExports, Scratch } from './abi.js';

export interface Ed25519Item {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}

export interface Ed25519Core {
  /** One signature (lengths already checked: 32-byte key, 64-byte signature). */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /**
   * Whether every item passes, checked as one linear combination with the 16-byte random
   * coefficients `coeffs` (16 per item). False means at least one item is invalid (or, with
   * probability about 2^-128, unlucky coefficients).
   */
  verifyBatch(items: readonly Ed25519Item[], coeffs: Uint8Array): boolean;
}

export function createEd25519Core(core: CoreExports, scratch: Scratch): Ed25519Core {
  return {
    verify(publicKey, message, signature) {
      const base = scratch.ensure(96 + message.length);
      const mem = scratch.view(base, 96 + message.length);
      mem.set(publicKey, 0);
      mem.set(signature, 32);
      mem.set(message, 96);
      return core.ed25519Verify(base, base + 32, base + 96, message.length) === 1;
    },
    verifyBatch(items, coeffs) {
      const n = items.length;
      let msgBytes = 0;
      for (const it of items) msgBytes += it.message.length;
      // Layout: work (aligned) | items | coefficients | offsets | messages.
      const workBytes = core.ed25519BatchWorkSize(n);
      const itemsAt = workBytes;
      const coeffsAt = itemsAt + 96 * n;
      const offsetsAt = coeffsAt + 16 * n;
      const msgsAt = offsetsAt + 4 * (n + 1);
      const total = msgsAt + msgBytes;
      const base = scratch.ensure(total);
      const mem = scratch.view(base, total);
      const offsets = new DataView(mem.buffer, base + offsetsAt, 4 * (n + 1));
      let off = 0;
      items.forEach((it, i) => {
        mem.set(it.publicKey, itemsAt + 96 * i);
        mem.set(it.signature, itemsAt + 96 * i + 32);
        offsets.setUint32(4 * i, off, true);
        mem.set(it.message, msgsAt + off);
        off += it.message.length;
      });
      offsets.setUint32(4 * n, off, true);
      mem.set(coeffs.subarray(0, 16 * n), coeffsAt);
      return core.ed25519VerifyBatch(base + itemsAt, n, base + msgsAt, base + offsetsAt, base + coeffsAt, base) === 1;
    },
  };
}
