// Checks at every public boundary: untrusted or mistyped input becomes an InvalidArgument
// that names the argument, never a WASM trap or a silent coercion.
import { InvalidArgument } from './errors.js';

export function assertBytes(value: unknown, name: string, maxLength = Number.MAX_SAFE_INTEGER): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new InvalidArgument(`${name} must be a Uint8Array, got ${describe(value)}`);
  }
  if (value.length > maxLength) {
    throw new InvalidArgument(`${name} is ${value.length} bytes, over the limit of ${maxLength}`);
  }
}

export function assertInteger(value: unknown, name: string, min: number, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgument(`${name} must be an integer from ${min} to ${max}, got ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `${typeof value} ${String(value)}`;
}
