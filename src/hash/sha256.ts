// Public SHA-256 API over the active core.
import { assertBytes } from '../assert.js';
import { concatBytes } from '../bytes.js';
import { InvalidArgument } from '../errors.js';
import { backend } from '../core/load.js';
import { nodeBuiltin } from '../node-builtin.js';
import type { Sha256State } from '../core/backend.js';

/** SHA-256 of `data`. Throws InvalidArgument unless `data` is a Uint8Array. */
export function sha256(data: Uint8Array): Uint8Array {
  assertBytes(data, 'data');
  return backend().sha256(data);
}

/** Incremental SHA-256: `update` with any split of the message, then `digest` once. */
export class Sha256 {
  private readonly state: Sha256State = backend().sha256Stream();

  update(data: Uint8Array): this {
    assertBytes(data, 'data');
    this.state.update(data);
    return this;
  }

  digest(): Uint8Array {
    return this.state.digest();
  }
}

/** Most messages one batch call accepts: bounds the output allocation. */
export const MAX_BATCH_MESSAGES = 1 << 24;

/**
 * SHA-256 of many independent messages in one call (a Merkle level, a list of leaves).
 * Returns one 32-byte digest per message, in order. 64-byte messages take the fastest path.
 */
export function sha256Batch(messages: readonly Uint8Array[]): Uint8Array[] {
  if (!Array.isArray(messages)) throw new InvalidArgument('messages must be an array of Uint8Array');
  if (messages.length > MAX_BATCH_MESSAGES) {
    throw new InvalidArgument(`messages has ${messages.length} entries, over the limit of ${MAX_BATCH_MESSAGES}`);
  }
  let all64 = true;
  messages.forEach((m, i) => {
    assertBytes(m, `messages[${i}]`);
    if (m.length !== 64) all64 = false;
  });
  const digests = all64 ? backend().sha256Batch64(concatBytes(messages)) : hashMany(messages);
  return messages.map((_, i) => digests.subarray(i * 32, i * 32 + 32));
}

/** SHA-256 of each message (unchecked: internal callers), digests back to back, in one batch call. */
export function hashMany(messages: readonly Uint8Array[]): Uint8Array {
  const offsets = new Uint32Array(messages.length + 1);
  messages.forEach((m, i) => { offsets[i + 1] = offsets[i] + m.length; });
  return backend().sha256BatchVar(concatBytes(messages), offsets);
}

/** SHA-256 of each 64-byte message in `data` (length a multiple of 64); digests back to back. */
export function sha256Batch64(data: Uint8Array): Uint8Array {
  assertBytes(data, 'data', MAX_BATCH_MESSAGES * 64);
  if (data.length % 64 !== 0) throw new InvalidArgument(`data length ${data.length} is not a multiple of 64`);
  return backend().sha256Batch64(data);
}

/**
 * SHA-256 of many messages packed back to back: message i is `data[offsets[i], offsets[i + 1])`.
 * The fastest way to hash many small messages; digests back to back.
 */
export function sha256BatchPacked(data: Uint8Array, offsets: Uint32Array): Uint8Array {
  assertBytes(data, 'data');
  if (!(offsets instanceof Uint32Array)) throw new InvalidArgument('offsets must be a Uint32Array');
  if (offsets.length < 1) throw new InvalidArgument('offsets must hold at least one entry (n messages take n + 1)');
  if (offsets.length - 1 > MAX_BATCH_MESSAGES) {
    throw new InvalidArgument(`offsets describe ${offsets.length - 1} messages, over the limit of ${MAX_BATCH_MESSAGES}`);
  }
  for (let i = 1; i < offsets.length; i++) {
    if (offsets[i] < offsets[i - 1]) throw new InvalidArgument(`offsets[${i}] = ${offsets[i]} is below offsets[${i - 1}] = ${offsets[i - 1]}`);
  }
  const last = offsets[offsets.length - 1];
  if (last > data.length) throw new InvalidArgument(`offsets end at ${last}, past the ${data.length} bytes of data`);
  return backend().sha256BatchVar(data, offsets);
}

/** From this size on, the platform's native SHA-256 beats the core despite its per-call cost. */
const NATIVE_FROM = 16 << 10;
const subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle;

type NodeCrypto = { createHash(algorithm: 'sha256'): { update(data: Uint8Array): { digest(): Uint8Array } } };
/**
 * node:crypto where the platform is Node (found at run time, so no bundle carries an import of
 * it): OpenSSL's SHA-256 on the caller's bytes, where Web Crypto copies them for its thread.
 */
const nodeCrypto = nodeBuiltin<NodeCrypto>('node:crypto');

/**
 * SHA-256 of one whole message (a chunk, a file), natively where the platform has it (Node:
 * node:crypto; secure browser pages: Web Crypto; with SHA-NI where the CPU has it) and by the
 * core otherwise or for small messages. The same digest either way.
 */
export async function sha256Whole(data: Uint8Array): Promise<Uint8Array> {
  assertBytes(data, 'data');
  if (data.length < NATIVE_FROM) return backend().sha256(data);
  if (nodeCrypto) return new Uint8Array(nodeCrypto.createHash('sha256').update(data).digest());
  // Web Crypto refuses views of shared memory: those go to the core.
  if (subtle && data.buffer instanceof ArrayBuffer) {
    return new Uint8Array(await subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
  }
  return backend().sha256(data);
}
