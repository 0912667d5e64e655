// ICS23 HashOps over one streaming hasher: the leaf and inner operations hash a concatenation
// of pieces that sit in different places (prefix, length-prefixed key, value, suffix), so they
// feed them in turn instead of copying them together. Only one hash is in flight at a time.
import { initState, compressBlocks, writeDigest, sha256Frame, sha256Into, FRAME_MAX } from './sha256';
import { sha512Init, sha512Compress, sha512Digest } from './sha512';
import { ripemd160Init, ripemd160Compress } from './ripemd160';
import { blake2Init, blake2Compress } from './blake2';

// HashOp numbers (cosmos.ics23.v1.HashOp).
export const NO_HASH = 0;
export const SHA256 = 1;
export const SHA512 = 2;
export const RIPEMD160 = 4;
export const BITCOIN = 5;
export const SHA512_256 = 6;
export const BLAKE2B_512 = 7;
export const BLAKE2S_256 = 8;

/** Longest digest of any supported HashOp (SHA-512). */
export const MAX_DIGEST = 64;

const STATE: usize = memory.data(64, 16);
const BLOCK: usize = memory.data(128, 16);
// A short SHA-256 message (an inner op of every common spec, a leaf with a short key) is
// gathered in FRAME and compressed in one call; only a longer one goes through the streaming
// path below, fed with what FRAME held so far.
const FRAME: usize = memory.data(128, 16);
let framing: bool = false;
let frameLen: usize = 0;
const INNER_DIGEST: usize = memory.data(32, 16);

let op: i32 = 0;
let blockSize: usize = 64;
let buffered: usize = 0;
let total: u64 = 0;
// Bytes compressed so far (BLAKE2's counter).
let compressed: u64 = 0;

// The pieces hashed here are short (a prefix, a 32-byte child, a length byte), so they are
// moved with word loops: engines call out of the WASM code for memory.copy / memory.fill, which
// costs more than the move itself at these sizes and added up to a fifth of a verification.
// Unaligned word accesses carry alignment 1 for wasm2js (see sha256.ts).

/** Copies `len` bytes from `src` to `dst` (the ranges do not overlap). */
// @ts-ignore: decorator
@inline function copyBytes(dst: usize, src: usize, len: usize): void {
  let i: usize = 0;
  for (; i + 8 <= len; i += 8) store<u64>(dst + i, load<u64>(src + i, 0, 1), 0, 1);
  for (; i < len; i++) store<u8>(dst + i, load<u8>(src + i));
}

/** Zeroes `len` bytes at `dst`. */
// @ts-ignore: decorator
@inline function zeroBytes(dst: usize, len: usize): void {
  let i: usize = 0;
  for (; i + 8 <= len; i += 8) store<u64>(dst + i, 0, 0, 1);
  for (; i < len; i++) store<u8>(dst + i, 0);
}

/** Whether `hashOp` can be computed (KECCAK256 and BLAKE3 are not implemented, as in Go). */
export function hashSupported(hashOp: i32): bool {
  return hashOp >= SHA256 && hashOp <= BLAKE2S_256 && hashOp != 3;
}

/** Digest length of a supported HashOp. */
export function digestLength(hashOp: i32): usize {
  if (hashOp == SHA512 || hashOp == BLAKE2B_512) return 64;
  if (hashOp == RIPEMD160 || hashOp == BITCOIN) return 20;
  return 32;
}

/** Starts a hash; the caller has checked `hashSupported(hashOp)`. */
export function hashBegin(hashOp: i32): void {
  op = hashOp;
  framing = hashOp == SHA256;
  frameLen = 0;
  buffered = 0;
  total = 0;
  compressed = 0;
  blockSize = hashOp == SHA512 || hashOp == SHA512_256 || hashOp == BLAKE2B_512 ? 128 : 64;
  if (framing) return; // STATE starts only if the message outgrows the frame (hashUpdate)
  if (hashOp == SHA512 || hashOp == SHA512_256) sha512Init(STATE, hashOp == SHA512_256);
  else if (hashOp == RIPEMD160) ripemd160Init(STATE);
  else if (hashOp == BLAKE2B_512) blake2Init<u64>(STATE, 64);
  else if (hashOp == BLAKE2S_256) blake2Init<u32>(STATE, 32);
  else initState(STATE);
}

function compress(src: usize, blocks: usize): void {
  // SHA-256 first: nearly every proof in use (IAVL, Tendermint, SMT, JMT) hashes only with it.
  if (op == SHA256 || op == BITCOIN) compressBlocks(STATE, src, blocks);
  else if (op == BLAKE2B_512 || op == BLAKE2S_256) {
    for (let b: usize = 0; b < blocks; b++) {
      compressed += <u64>blockSize;
      if (op == BLAKE2B_512) blake2Compress<u64>(STATE, src + b * blockSize, compressed, false);
      else blake2Compress<u32>(STATE, src + b * blockSize, compressed, false);
    }
  } else if (blockSize == 128) sha512Compress(STATE, src, blocks);
  else ripemd160Compress(STATE, src, blocks);
}

/**
 * Feeds `len` bytes at `src`. A full block is compressed only once more input follows, so the
 * final block is always still buffered at the end (BLAKE2 must flag it as the last).
 */
export function hashUpdate(src: usize, len: usize): void {
  if (framing) {
    if (len <= FRAME_MAX - frameLen) {
      copyBytes(FRAME + frameLen, src, len);
      frameLen += len;
      return;
    }
    framing = false;
    initState(STATE);
    streamUpdate(FRAME, frameLen);
  }
  streamUpdate(src, len);
}

function streamUpdate(src: usize, len: usize): void {
  total += <u64>len;
  while (len > 0) {
    if (buffered == blockSize) {
      compress(BLOCK, 1);
      buffered = 0;
    }
    if (buffered == 0 && len > blockSize) {
      const blocks = (len - 1) / blockSize;
      compress(src, blocks);
      src += blocks * blockSize;
      len -= blocks * blockSize;
    }
    const take = min(blockSize - buffered, len);
    copyBytes(BLOCK + buffered, src, take);
    buffered += take;
    src += take;
    len -= take;
  }
}

/** Pads the buffered tail (Merkle–Damgård) and appends the bit length in `lengthBytes` bytes. */
function finishMd(lengthBytes: usize, bigEndian: bool): void {
  if (buffered == blockSize) {
    compress(BLOCK, 1);
    buffered = 0;
  }
  store<u8>(BLOCK + buffered, 0x80);
  let at = buffered + 1;
  if (at > blockSize - lengthBytes) {
    zeroBytes(BLOCK + at, blockSize - at);
    compress(BLOCK, 1);
    at = 0;
  }
  zeroBytes(BLOCK + at, blockSize - at);
  const bits = total << 3;
  const end = BLOCK + blockSize;
  if (bigEndian) {
    store<u64>(end - 8, bswap<u64>(bits));
    if (lengthBytes == 16) store<u64>(end - 16, bswap<u64>(total >>> 61));
  } else {
    store<u64>(end - 8, bits);
  }
  compress(BLOCK, 1);
}

/** BLAKE2: zero-pads and compresses the buffered last block, writes the little-endian digest. */
function finishBlake(out: usize): usize {
  zeroBytes(BLOCK + buffered, blockSize - buffered);
  compressed += <u64>buffered;
  if (op == BLAKE2B_512) blake2Compress<u64>(STATE, BLOCK, compressed, true);
  else blake2Compress<u32>(STATE, BLOCK, compressed, true);
  const len = digestLength(op);
  copyBytes(out, STATE, len);
  return len;
}

/** Finishes the hash, writes the digest to `out` and returns its length. */
export function hashEnd(out: usize): usize {
  if (framing) {
    sha256Frame(FRAME, frameLen, out);
    return 32;
  }
  if (op == BLAKE2B_512 || op == BLAKE2S_256) return finishBlake(out);
  if (op == SHA512 || op == SHA512_256) {
    finishMd(16, true);
    const len = digestLength(op);
    sha512Digest(STATE, out, len);
    return len;
  }
  if (op == RIPEMD160) {
    finishMd(8, false);
    copyBytes(out, STATE, 20);
    return 20;
  }
  finishMd(8, true);
  if (op == BITCOIN) {
    // BITCOIN = RIPEMD-160(SHA-256(x)).
    writeDigest(STATE, INNER_DIGEST);
    hashBegin(RIPEMD160);
    hashUpdate(INNER_DIGEST, 32);
    return hashEnd(out);
  }
  writeDigest(STATE, out);
  return 32;
}

/** One-shot hash of `len` bytes at `src` into `out`; returns the digest length. */
export function hashInto(hashOp: i32, src: usize, len: usize, out: usize): usize {
  if (hashOp == SHA256) {
    sha256Into(src, len, out);
    return 32;
  }
  hashBegin(hashOp);
  hashUpdate(src, len);
  return hashEnd(out);
}
