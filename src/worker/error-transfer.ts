// comlink turns an error thrown in a worker into a plain Error with only message, name and
// stack, so a caller could no longer tell ChunkCorrupted from ChunkProofVerificationFailed,
// nor which chunk and source were bad. This wraps comlink's "throw" transfer handler: a
// LightsnapError crosses as its message and its own fields and is rebuilt on the other side as
// an instance of the same class (so `instanceof`, `code`, `chunk`, `source`, `detail` and
// methods such as CheckpointError#at work). Other errors go through
// comlink's handler unchanged. Both sides of a pool install it (idempotent).
import { transferHandlers, type TransferHandler } from 'comlink';
import { CheckpointError, errorClass, LightsnapError } from '../errors.js';

interface WireError {
  lightsnap: {
    name: string;
    message: string;
    stack?: string;
    /** The error's own fields: code, chunk, source, detail, offset, … (primitives and plain JSON-like objects). */
    fields: Record<string, unknown>;
  };
}

function toWire(err: LightsnapError): WireError {
  const fields: WireError['lightsnap']['fields'] = {};
  for (const [key, value] of Object.entries(err)) {
    // Plain objects (ConflictingHeaders' evidence) are structured-cloned; class instances are not sent.
    const plain = typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
    if (value === undefined || plain || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  }
  return { lightsnap: { name: err.name, message: err.message, stack: err.stack, fields } };
}

/** An instance of the error's own class (or the nearest base) without re-running its constructor. */
function rebuildError(wire: WireError['lightsnap']): LightsnapError {
  const { fields } = wire;
  const located = fields.chunk !== undefined || fields.source !== undefined;
  const cls = errorClass(wire.name) ?? (located ? CheckpointError : LightsnapError);
  const err = Object.create(cls.prototype) as LightsnapError;
  const hidden = (value: unknown) => ({ value, writable: true, configurable: true, enumerable: false });
  // Message and stack are not own enumerable fields of an Error; `name` is one (set by the
  // constructor) and comes back with the fields.
  Object.defineProperties(err, { message: hidden(wire.message), stack: hidden(wire.stack) });
  return Object.assign(err, { name: wire.name }, fields);
}

let installed = false;

/** Makes comlink carry LightsnapErrors intact in this thread (call on both sides). */
export function installErrorTransfer(): void {
  if (installed) return;
  installed = true;
  const original = transferHandlers.get('throw') as TransferHandler<{ value: unknown }, unknown>;
  const handler: TransferHandler<{ value: unknown }, unknown> = {
    canHandle: (value): value is { value: unknown } => original.canHandle(value),
    serialize: (thrown) => thrown.value instanceof LightsnapError
      ? [toWire(thrown.value), []]
      : original.serialize(thrown),
    deserialize: (wire) => {
      if (wire && typeof wire === 'object' && 'lightsnap' in wire) throw rebuildError((wire as WireError).lightsnap);
      return original.deserialize(wire);
    },
  };
  transferHandlers.set('throw', handler);
}
