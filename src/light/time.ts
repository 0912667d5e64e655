// CometBFT times: RFC 3339 strings with up to nanosecond precision in JSON, protobuf
// `Timestamp{seconds, nanos}` in hashes and sign bytes. Held as nanoseconds since the Unix
// epoch in a bigint, so comparisons are exact (a JavaScript Date keeps only milliseconds).
// Calendar arithmetic is done by hand: Date.UTC maps years 0–99 to 1900–1999, and Go's zero
// time (0001-01-01) appears in absent votes.
import { concatBytes } from '../bytes.js';
import { varintField } from './proto.js';

/** Nanoseconds since 1970-01-01T00:00:00Z (negative before). */
export type Nanos = bigint;

const NS_PER_S = 1_000_000_000n;
/** Go's valid Timestamp range: 0001-01-01T00:00:00Z … 9999-12-31T23:59:59.999999999Z. */
const MIN_SECONDS = -62135596800n;
const MAX_SECONDS = 253402300799n;

/** Go's zero time.Time (0001-01-01T00:00:00Z), which absent votes carry. */
export const GO_ZERO_TIME: Nanos = MIN_SECONDS * NS_PER_S;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** Parses an RFC 3339 time; undefined when it is not one or is outside Go's Timestamp range. */
export function parseTime(text: string): Nanos | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offset = (m[9] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const seconds = BigInt(daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset);
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) return undefined;
  const nanos = BigInt((m[7] ?? '').padEnd(9, '0'));
  return seconds * NS_PER_S + nanos;
}

/** Seconds and nanoseconds as protobuf's Timestamp splits them (nanos always 0 … 999 999 999). */
export function splitTime(t: Nanos): { seconds: bigint; nanos: number } {
  let seconds = t / NS_PER_S;
  let nanos = t % NS_PER_S;
  if (nanos < 0n) {
    nanos += NS_PER_S;
    seconds -= 1n;
  }
  return { seconds, nanos: Number(nanos) };
}

/** `google.protobuf.Timestamp` bytes (gogotypes.StdTimeMarshal). */
export function encodeTimestamp(t: Nanos): Uint8Array {
  const { seconds, nanos } = splitTime(t);
  return concatBytes([varintField(1, seconds), varintField(2, nanos)]);
}

/** RFC 3339 with the fraction trimmed of trailing zeros, as Go's RFC3339Nano writes it. */
export function formatTime(t: Nanos): string {
  const { seconds, nanos } = splitTime(t);
  const s = Number(seconds);
  const days = Math.floor(s / 86400);
  const rest = s - days * 86400;
  const [y, mo, d] = civilFromDays(days);
  const two = (n: number) => String(n).padStart(2, '0');
  const frac = nanos === 0 ? '' : '.' + String(nanos).padStart(9, '0').replace(/0+$/, '');
  return `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}T${two(Math.floor(rest / 3600))}:${two(Math.floor(rest / 60) % 60)}:${two(rest % 60)}${frac}Z`;
}

/** Milliseconds (a Date or a number) as nanoseconds. */
export function fromMillis(ms: number): Nanos {
  return BigInt(Math.round(ms)) * 1_000_000n;
}
