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

export function assertString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') throw new InvalidArgument(`${name} must be a string, got ${describe(value)}`);
}

/** A plain object (not null, not an array, not bytes). */
export function assertObject(value: unknown, name: string): asserts value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw new InvalidArgument(`${name} must be an object, got ${describe(value)}`);
  }
}

export function assertArray(value: unknown, name: string): asserts value is unknown[] {
  if (!Array.isArray(value)) throw new InvalidArgument(`${name} must be an array, got ${describe(value)}`);
}

/** Something `for of` (sync: true) or `for await of` (sync: false, sync iterables too) can walk. */
export function assertIterable(value: unknown, name: string, sync = true): void {
  const it = value as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown } | null;
  const ok = it !== null && it !== undefined && typeof it === 'object'
    && (typeof it[Symbol.iterator] === 'function' || (!sync && typeof it[Symbol.asyncIterator] === 'function'));
  if (!ok || ArrayBuffer.isView(value)) throw new InvalidArgument(`${name} must be ${sync ? 'an iterable' : 'an iterable or async iterable'} of items, got ${describe(value)}`);
}

/** An object with these methods (a Store, a Source, a tree…): named by `what` in the message. */
export function assertMethods(value: unknown, name: string, what: string, methods: readonly string[]): void {
  const missing = typeof value === 'object' && value !== null
    ? methods.filter((m) => typeof (value as Record<string, unknown>)[m] !== 'function') : methods;
  if (missing.length) throw new InvalidArgument(`${name} must be ${what} (with ${missing.join(', ')}), got ${describe(value)}`);
}

/** A leaf or entry: an object whose `fields` are all byte arrays. */
export function assertByteFields(value: unknown, name: string, fields: readonly string[]): void {
  assertObject(value, name);
  for (const f of fields) assertBytes((value as Record<string, unknown>)[f], `${name}.${f}`);
}
