// A migration declaration (after Kwil's MigrationDeclaration): the terms a network agrees on.
// Its canonical bytes are what a vote would sign, and their SHA-256 is the migration id, so two
// declarations with the same heights still differ by their timestamp.
//
// Canonical bytes (little-endian, as Kwil's MarshalBinary): u16 declaration version (1),
// u64 start height, u64 duration, u32 timestamp length, timestamp UTF-8.
import { backend } from '../core/load.js';
import { toHex } from '../hex.js';
import { MigrationInvalid } from '../errors.js';
import { assertBytes } from '../assert.js';

export const DECLARATION_VERSION = 1;
/** Longest timestamp accepted (bytes of UTF-8). */
export const MAX_TIMESTAMP_BYTES = 256;

export interface MigrationDeclaration {
  /** The height whose post-block state is the genesis checkpoint. */
  startHeight: number;
  /** Blocks after the start whose changesets are recorded: heights start + 1 … start + duration. */
  duration: number;
  /** When the migration was proposed; makes each declaration unique. */
  timestamp: string;
}

const utf8 = new TextEncoder();

/** The last height the migration records: start + duration. */
export function endHeight(d: MigrationDeclaration): number {
  const { startHeight, duration } = validateDeclaration(d);
  return startHeight + duration;
}

/** Checks a declaration's fields and bounds; throws MigrationInvalid naming the field. */
export function validateDeclaration(value: unknown): MigrationDeclaration {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MigrationInvalid('the declaration must be an object');
  const d = value as Record<string, unknown>;
  const int = (name: string, min: number): number => {
    const v = d[name];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
      throw new MigrationInvalid(`the declaration's ${name} must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
    }
    return v;
  };
  const startHeight = int('startHeight', 1);
  const duration = int('duration', 0);
  if (!Number.isSafeInteger(startHeight + duration)) throw new MigrationInvalid('the declaration\'s end height (start + duration) is not a safe integer');
  const timestamp = d.timestamp;
  if (typeof timestamp !== 'string' || timestamp.length === 0 || utf8.encode(timestamp).length > MAX_TIMESTAMP_BYTES) {
    throw new MigrationInvalid(`the declaration's timestamp must be a string of 1 to ${MAX_TIMESTAMP_BYTES} bytes`);
  }
  return { startHeight, duration, timestamp };
}

export function encodeDeclaration(declaration: MigrationDeclaration): Uint8Array {
  const d = validateDeclaration(declaration);
  const ts = utf8.encode(d.timestamp);
  const out = new Uint8Array(2 + 8 + 8 + 4 + ts.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, DECLARATION_VERSION, true);
  view.setBigUint64(2, BigInt(d.startHeight), true);
  view.setBigUint64(10, BigInt(d.duration), true);
  view.setUint32(18, ts.length, true);
  out.set(ts, 22);
  return out;
}

export function decodeDeclaration(bytes: Uint8Array): MigrationDeclaration {
  assertBytes(bytes, 'bytes');
  if (bytes.length < 22) throw new MigrationInvalid(`a declaration is at least 22 bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(0, true);
  if (version !== DECLARATION_VERSION) {
    throw new MigrationInvalid(`declaration version ${version} is not supported (this lightsnap reads ${DECLARATION_VERSION})`);
  }
  const length = view.getUint32(18, true);
  if (length !== bytes.length - 22) throw new MigrationInvalid(`the declaration's timestamp length ${length} does not match its ${bytes.length - 22} remaining bytes`);
  let timestamp: string;
  try {
    timestamp = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(22));
  } catch {
    throw new MigrationInvalid('the declaration\'s timestamp is not valid UTF-8');
  }
  const big = (at: number) => {
    const v = view.getBigUint64(at, true);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.NaN : Number(v);
  };
  return validateDeclaration({ startHeight: big(2), duration: big(10), timestamp });
}

/** The migration id: SHA-256 of the canonical bytes, lowercase hex. */
export function declarationId(declaration: MigrationDeclaration): string {
  return toHex(backend().sha256(encodeDeclaration(declaration)));
}
