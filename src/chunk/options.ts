// FastCDC options: fastcdc-rs's limits, checked up front so a bad value is an InvalidArgument
// naming the option (fastcdc-rs asserts the same ranges), never a wrong cut or a WASM trap.
import { assertInteger } from '../assert.js';
import { InvalidArgument } from '../errors.js';
import type { FastCdcParams } from '../core/backend.js';

export interface FastCdcOptions {
  /**
   * `'v2020'` (default): fastcdc-rs's `v2020` chunker. `'ronomon'`: fastcdc-rs's `ronomon`
   * chunker, the cut points of the @ronomon/deduplication module (no `level`, no `seed`).
   */
  variant?: 'v2020' | 'ronomon';
  /** Smallest chunk (except the last), 64..1 MiB. Default `avgSize / 4`. */
  minSize?: number;
  /** Target average chunk size, 256..4 MiB. Default 131072 (fastcdc-rs's examples). */
  avgSize?: number;
  /** Largest chunk, 1 KiB..16 MiB. Default `avgSize * 4`. */
  maxSize?: number;
  /** Normalization level 0..3: higher keeps sizes closer to `avgSize`. Default 1, as fastcdc-rs. */
  level?: number;
  /** fastcdc-rs's `with_level_and_seed`: a 64-bit value xored into the gear table. Default 0. */
  seed?: bigint | number;
}

export const FASTCDC_LIMITS = {
  minSize: [64, 1_048_576],
  avgSize: [256, 4_194_304],
  maxSize: [1024, 16_777_216],
} as const;

export const DEFAULT_AVG_SIZE = 131_072;

const MAX_SEED = (1n << 64n) - 1n;

/** Checks `options` and fills in the defaults. */
export function resolveFastCdcOptions(options: FastCdcOptions = {}): FastCdcParams {
  if (typeof options !== 'object' || options === null) throw new InvalidArgument('options must be an object');
  const avgSize = options.avgSize ?? DEFAULT_AVG_SIZE;
  assertInteger(avgSize, 'avgSize', ...FASTCDC_LIMITS.avgSize);
  const minSize = options.minSize ?? Math.floor(avgSize / 4);
  const maxSize = options.maxSize ?? avgSize * 4;
  assertInteger(minSize, 'minSize', ...FASTCDC_LIMITS.minSize);
  assertInteger(maxSize, 'maxSize', ...FASTCDC_LIMITS.maxSize);
  if (minSize > avgSize) throw new InvalidArgument(`minSize (${minSize}) must not exceed avgSize (${avgSize})`);
  if (avgSize > maxSize) throw new InvalidArgument(`avgSize (${avgSize}) must not exceed maxSize (${maxSize})`);
  const variant = options.variant ?? 'v2020';
  if (variant !== 'v2020' && variant !== 'ronomon') throw new InvalidArgument(`variant must be 'v2020' or 'ronomon', got ${String(variant)}`);
  if (variant === 'ronomon' && (options.level !== undefined || options.seed !== undefined)) {
    throw new InvalidArgument(`variant 'ronomon' takes no ${options.level !== undefined ? 'level' : 'seed'}`);
  }
  const level = options.level ?? 1;
  assertInteger(level, 'level', 0, 3);
  return { variant, minSize, avgSize, maxSize, level, seed: resolveSeed(options.seed ?? 0n) };
}

function resolveSeed(seed: unknown): bigint {
  if (typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0) return BigInt(seed);
  if (typeof seed === 'bigint' && seed >= 0n && seed <= MAX_SEED) return seed;
  throw new InvalidArgument(`seed must be a bigint from 0 to 2^64-1 or a non-negative safe integer, got ${String(seed)}`);
}
