// Four-lane SHA-256 for the SIMD build: each v128 holds the same state or schedule word of
// four independent messages (lane j = message j), so one pass of the rounds hashes four
// messages. Only code behind `ASC_FEATURE_SIMD` calls into this module.
import { compressBlocks, copyTail, IV, padFrame, padTail, roundConstants, writeDigest } from './sha256';
import { bigSigma0x4 as bigSigma0, bigSigma1x4 as bigSigma1, sigma0x4 as sigma0, sigma1x4 as sigma1 } from './sha256_x4';

/**
 * T1 of round `i` of a group of eight: h + Σ1(e) + Ch(e, f, g) + K[i] + W[i]. With `expand`,
 * W[i] (i ≥ 16) is first computed from the earlier words and stored: the schedule is extended
 * as the rounds go, which keeps more of it in flight than a separate pass. With `addK` false the
 * schedule already holds W[i] + K[i] (a constant block's, computed once).
 */
// @ts-ignore: decorator
@inline function t1(e: v128, f: v128, g: v128, h: v128, wp: usize, kp: usize, i: usize, addK: bool, expand: bool): v128 {
  const q = wp + (i << 4);
  let w: v128;
  if (expand) {
    w = i32x4.add(i32x4.add(sigma1(v128.load(q - 32)), v128.load(q - 112)), i32x4.add(sigma0(v128.load(q - 240)), v128.load(q - 256)));
    v128.store(q, w);
  } else {
    w = v128.load(q);
  }
  const wk = addK ? i32x4.add(w, v128.load32_splat(kp + (i << 2))) : w;
  return i32x4.add(i32x4.add(h, bigSigma1(e)), i32x4.add(v128.bitselect(f, g, e), wk));
}

/**
 * T2: Σ0(a) + Maj(a, b, c), with Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)): `ab` is a ^ b, and
 * `bc` = b ^ c is the previous round's a ^ b, so Maj costs two operations instead of four.
 */
// @ts-ignore: decorator
@inline function t2(a: v128, b: v128, ab: v128, bc: v128): v128 {
  return i32x4.add(bigSigma0(a), v128.xor(b, v128.and(ab, bc)));
}

/**
 * The 64 rounds over the schedule at `w` (64 v128, W[0..15] filled), added into the transposed
 * `state` (8 v128). Inlined into its two callers, so `addK` and `expand` are constants and their
 * branches fold away. Rounds 0..15 and 16..63 are two loops because only the second extends the
 * schedule (a run-time test per round cost ~5%); the working variables are renamed round by
 * round, so a loop body is eight rounds.
 */
// @ts-ignore: decorator
@inline function roundsWith(state: usize, w: usize, addK: bool, expand: bool): void {
  let a = v128.load(state, 0), b = v128.load(state, 16), c = v128.load(state, 32), d = v128.load(state, 48);
  let e = v128.load(state, 64), f = v128.load(state, 80), g = v128.load(state, 96), h = v128.load(state, 112);
  const k = roundConstants();
  let t: v128, x0: v128, x1 = v128.xor(b, c);
  for (let i: usize = 0; i < 16; i += 8) {
    const wp = w + (i << 4), kp = k + (i << 2);
    t = t1(e, f, g, h, wp, kp, 0, addK, false); d = i32x4.add(d, t); x0 = v128.xor(a, b); h = i32x4.add(t, t2(a, b, x0, x1));
    t = t1(d, e, f, g, wp, kp, 1, addK, false); c = i32x4.add(c, t); x1 = v128.xor(h, a); g = i32x4.add(t, t2(h, a, x1, x0));
    t = t1(c, d, e, f, wp, kp, 2, addK, false); b = i32x4.add(b, t); x0 = v128.xor(g, h); f = i32x4.add(t, t2(g, h, x0, x1));
    t = t1(b, c, d, e, wp, kp, 3, addK, false); a = i32x4.add(a, t); x1 = v128.xor(f, g); e = i32x4.add(t, t2(f, g, x1, x0));
    t = t1(a, b, c, d, wp, kp, 4, addK, false); h = i32x4.add(h, t); x0 = v128.xor(e, f); d = i32x4.add(t, t2(e, f, x0, x1));
    t = t1(h, a, b, c, wp, kp, 5, addK, false); g = i32x4.add(g, t); x1 = v128.xor(d, e); c = i32x4.add(t, t2(d, e, x1, x0));
    t = t1(g, h, a, b, wp, kp, 6, addK, false); f = i32x4.add(f, t); x0 = v128.xor(c, d); b = i32x4.add(t, t2(c, d, x0, x1));
    t = t1(f, g, h, a, wp, kp, 7, addK, false); e = i32x4.add(e, t); x1 = v128.xor(b, c); a = i32x4.add(t, t2(b, c, x1, x0));
  }
  for (let i: usize = 16; i < 64; i += 8) {
    const wp = w + (i << 4), kp = k + (i << 2);
    t = t1(e, f, g, h, wp, kp, 0, addK, expand); d = i32x4.add(d, t); x0 = v128.xor(a, b); h = i32x4.add(t, t2(a, b, x0, x1));
    t = t1(d, e, f, g, wp, kp, 1, addK, expand); c = i32x4.add(c, t); x1 = v128.xor(h, a); g = i32x4.add(t, t2(h, a, x1, x0));
    t = t1(c, d, e, f, wp, kp, 2, addK, expand); b = i32x4.add(b, t); x0 = v128.xor(g, h); f = i32x4.add(t, t2(g, h, x0, x1));
    t = t1(b, c, d, e, wp, kp, 3, addK, expand); a = i32x4.add(a, t); x1 = v128.xor(f, g); e = i32x4.add(t, t2(f, g, x1, x0));
    t = t1(a, b, c, d, wp, kp, 4, addK, expand); h = i32x4.add(h, t); x0 = v128.xor(e, f); d = i32x4.add(t, t2(e, f, x0, x1));
    t = t1(h, a, b, c, wp, kp, 5, addK, expand); g = i32x4.add(g, t); x1 = v128.xor(d, e); c = i32x4.add(t, t2(d, e, x1, x0));
    t = t1(g, h, a, b, wp, kp, 6, addK, expand); f = i32x4.add(f, t); x0 = v128.xor(c, d); b = i32x4.add(t, t2(c, d, x0, x1));
    t = t1(f, g, h, a, wp, kp, 7, addK, expand); e = i32x4.add(e, t); x1 = v128.xor(b, c); a = i32x4.add(t, t2(b, c, x1, x0));
  }
  v128.store(state, i32x4.add(v128.load(state, 0), a), 0);
  v128.store(state, i32x4.add(v128.load(state, 16), b), 16);
  v128.store(state, i32x4.add(v128.load(state, 32), c), 32);
  v128.store(state, i32x4.add(v128.load(state, 48), d), 48);
  v128.store(state, i32x4.add(v128.load(state, 64), e), 64);
  v128.store(state, i32x4.add(v128.load(state, 80), f), 80);
  v128.store(state, i32x4.add(v128.load(state, 96), g), 96);
  v128.store(state, i32x4.add(v128.load(state, 112), h), 112);
}

/** The 64 rounds of a block whose W[0..15] are at `w` (64 v128 of room: the schedule is extended there). */
function rounds4(state: usize, w: usize): void { roundsWith(state, w, true, true); }

/** The 64 rounds over a full, constant schedule that already includes the round constants (W[i] + K[i]). */
function roundsPreadded4(state: usize, wk: usize): void { roundsWith(state, wk, false, false); }

/** Extends W[0..15] at `w` to the full 64-word schedule (for schedules computed once). */
function schedule4(w: usize): void {
  for (let p = w + 256, end = w + 1024; p < end; p += 16) {
    const x = i32x4.add(sigma1(v128.load(p - 32)), v128.load(p - 112));
    v128.store(p, i32x4.add(x, i32x4.add(sigma0(v128.load(p - 240)), v128.load(p - 256))));
  }
}

/**
 * Transposes the 4x4 words of rows r0..r3 and reverses the bytes of each word: column j goes to
 * `dj`. Turns 16 bytes of four messages into four schedule words, and four state words into 16
 * digest bytes of four messages (the transpose is its own inverse).
 */
// @ts-ignore: decorator
@inline function transpose4(r0: v128, r1: v128, r2: v128, r3: v128, d0: usize, d1: usize, d2: usize, d3: usize): void {
  const t0 = i8x16.shuffle(r0, r1, 0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23);
  const t1 = i8x16.shuffle(r0, r1, 8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31);
  const t2 = i8x16.shuffle(r2, r3, 0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23);
  const t3 = i8x16.shuffle(r2, r3, 8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31);
  v128.store(d0, i8x16.shuffle(t0, t2, 3, 2, 1, 0, 7, 6, 5, 4, 19, 18, 17, 16, 23, 22, 21, 20));
  v128.store(d1, i8x16.shuffle(t0, t2, 11, 10, 9, 8, 15, 14, 13, 12, 27, 26, 25, 24, 31, 30, 29, 28));
  v128.store(d2, i8x16.shuffle(t1, t3, 3, 2, 1, 0, 7, 6, 5, 4, 19, 18, 17, 16, 23, 22, 21, 20));
  v128.store(d3, i8x16.shuffle(t1, t3, 11, 10, 9, 8, 15, 14, 13, 12, 27, 26, 25, 24, 31, 30, 29, 28));
}

// Schedule and state of the four lanes.
const W4: usize = memory.data(64 * 16, 16);
const STATE4: usize = memory.data(8 * 16, 16);

/** Loads one 64-byte block of each of four messages into W4 (rounds4 extends the schedule). */
function loadBlocks4(p0: usize, p1: usize, p2: usize, p3: usize): void {
  for (let r: usize = 0; r < 64; r += 16) {
    const d = W4 + (r << 2);
    transpose4(v128.load(p0 + r), v128.load(p1 + r), v128.load(p2 + r), v128.load(p3 + r), d, d + 16, d + 32, d + 48);
  }
}

/** Writes the four lanes' digests to o0..o3. */
function writeDigests4(o0: usize, o1: usize, o2: usize, o3: usize): void {
  const s = STATE4;
  transpose4(v128.load(s, 0), v128.load(s, 16), v128.load(s, 32), v128.load(s, 48), o0, o1, o2, o3);
  transpose4(v128.load(s, 64), v128.load(s, 80), v128.load(s, 96), v128.load(s, 112), o0 + 16, o1 + 16, o2 + 16, o3 + 16);
}

// The second block of every 64-byte message is the same padding (0x80, zeros, bit length 512):
// its schedule plus the round constants, broadcast to four lanes, is computed once.
const PAD64_SCHEDULE: usize = memory.data(64 * 16, 16);
let pad64Ready = false;

function preparePad64(): void {
  memory.fill(PAD64_SCHEDULE, 0, 256);
  v128.store(PAD64_SCHEDULE, i32x4.splat(0x80000000), 0);
  v128.store(PAD64_SCHEDULE, i32x4.splat(512), 15 * 16);
  schedule4(PAD64_SCHEDULE);
  const k = roundConstants();
  for (let i: usize = 0; i < 64; i++) {
    const p = PAD64_SCHEDULE + (i << 4);
    v128.store(p, i32x4.add(v128.load(p), v128.load32_splat(k + (i << 2))));
  }
  pad64Ready = true;
}

/**
 * SHA-256 of four 64-byte messages at `src` (back to back) to four digests at `out`. `out` may
 * equal `src`: all input is read before any digest is written.
 */
export function hash64x4(src: usize, out: usize): void {
  if (!pad64Ready) preparePad64();
  loadBlocks4(src, src + 64, src + 128, src + 192);
  for (let i: usize = 0; i < 8; i++) v128.store(STATE4 + (i << 4), v128.load32_splat(IV + (i << 2)));
  rounds4(STATE4, W4);
  roundsPreadded4(STATE4, PAD64_SCHEDULE);
  writeDigests4(out, out + 32, out + 64, out + 96);
}

// Lane bookkeeping for variable-length messages: per lane, the message, its current block,
// its count of whole blocks in place, its count of blocks with padding, where its digest goes.
const LANE_MSG: usize = memory.data(16, 16);
const LANE_BLOCK: usize = memory.data(16, 16);
const LANE_FULL: usize = memory.data(16, 16);
const LANE_BLOCKS: usize = memory.data(16, 16);
const LANE_OUT: usize = memory.data(16, 16);
// Each lane's padded last block(s), and the block idle lanes compress (their result is unused).
const LANE_TAIL: usize = memory.data(4 * 128, 16);
const IDLE_BLOCK: usize = memory.data(64, 16);
const DRAIN_STATE: usize = memory.data(32, 16);

// @ts-ignore: decorator
@inline function lane(field: usize, j: usize): usize { return load<u32>(field + (j << 2)); }
// @ts-ignore: decorator
@inline function setLane(field: usize, j: usize, value: usize): void { store<u32>(field + (j << 2), <u32>value); }

/** Puts message `msg` (`len` bytes, digest to `out`) in lane j, starting from the initial hash value. */
function startLane(j: usize, msg: usize, len: usize, out: usize): void {
  const full = len >>> 6;
  const tailBlocks = padTail(LANE_TAIL + (j << 7), msg + (full << 6), len & 63, <f64>len);
  setLane(LANE_MSG, j, msg);
  setLane(LANE_BLOCK, j, 0);
  setLane(LANE_FULL, j, full);
  setLane(LANE_BLOCKS, j, full + tailBlocks);
  setLane(LANE_OUT, j, out);
  for (let i: usize = 0; i < 8; i++) store<u32>(STATE4 + (i << 4) + (j << 2), load<u32>(IV + (i << 2)));
}

/** Puts message i of a packed batch (see hashVarBatch4) in lane j. */
function startMessage(j: usize, data: usize, offsets: usize, i: usize, out: usize, stride: usize): void {
  const start = <usize>load<u32>(offsets + (i << 2), 0, 1);
  startLane(j, data + start, <usize>load<u32>(offsets + (i << 2), 4, 1) - start, out + i * stride);
}

/** Address of lane j's current block: in the message, or in its padded tail. */
function laneBlock(j: usize): usize {
  const block = lane(LANE_BLOCK, j), full = lane(LANE_FULL, j);
  return block < full ? lane(LANE_MSG, j) + (block << 6) : LANE_TAIL + (j << 7) + ((block - full) << 6);
}

/** Copies lane j's state words to a scalar state at `dst`. */
function laneState(j: usize, dst: usize): void {
  for (let i: usize = 0; i < 8; i++) store<u32>(dst + (i << 2), load<u32>(STATE4 + (i << 4) + (j << 2)));
}

/** Finishes lane j's message with the scalar code (when too few lanes are busy to pay for SIMD). */
function drainLane(j: usize): void {
  laneState(j, DRAIN_STATE);
  const full = lane(LANE_FULL, j);
  let block = lane(LANE_BLOCK, j);
  if (block < full) {
    compressBlocks(DRAIN_STATE, lane(LANE_MSG, j) + (block << 6), full - block);
    block = full;
  }
  compressBlocks(DRAIN_STATE, LANE_TAIL + (j << 7) + ((block - full) << 6), lane(LANE_BLOCKS, j) - block);
  writeDigest(DRAIN_STATE, lane(LANE_OUT, j));
}

/**
 * SHA-256 of `n` messages (message i = `data[offsets[i], offsets[i + 1])`, offsets u32) to
 * digests at `out + i × stride`. Each lane takes the next message as soon as its last one is done, so
 * messages of different lengths keep all four lanes busy; the last one finishes in scalar code.
 */
export function hashVarBatch4(data: usize, offsets: usize, n: usize, out: usize, stride: usize): void {
  let next: usize = 0;
  let busy: usize = 0;
  for (let j: usize = 0; j < 4; j++) {
    if (next < n) {
      startMessage(j, data, offsets, next, out, stride);
      next++;
      busy++;
    } else {
      setLane(LANE_BLOCKS, j, 0);
    }
  }
  while (busy > 1) {
    loadBlocks4(laneOrIdle(0), laneOrIdle(1), laneOrIdle(2), laneOrIdle(3));
    rounds4(STATE4, W4);
    for (let j: usize = 0; j < 4; j++) {
      const blocks = lane(LANE_BLOCKS, j);
      if (blocks == 0) continue;
      const block = lane(LANE_BLOCK, j) + 1;
      setLane(LANE_BLOCK, j, block);
      if (block < blocks) continue;
      laneState(j, DRAIN_STATE);
      writeDigest(DRAIN_STATE, lane(LANE_OUT, j));
      if (next < n) {
        startMessage(j, data, offsets, next, out, stride);
        next++;
      } else {
        setLane(LANE_BLOCKS, j, 0);
        busy--;
      }
    }
  }
  for (let j: usize = 0; j < 4; j++) if (lane(LANE_BLOCKS, j) != 0) drainLane(j);
}

function laneOrIdle(j: usize): usize {
  return lane(LANE_BLOCKS, j) != 0 ? laneBlock(j) : IDLE_BLOCK;
}

// Where the digests of lanes with no message of their own go (a partial last group).
const DISCARD: usize = memory.data(32, 16);

/**
 * SHA-256 of messages of the same `len` bytes, message i at `src + i × len`, digest i at
 * `out + i × stride`, four at a time: equal lengths need no lane bookkeeping (every lane is at
 * the same block), so each group is the message's whole blocks read in place and the padded
 * tail blocks, whose padding is written once per call. A last group of two or three messages
 * still runs in the four lanes (the spare ones repeat a message): cheaper than the scalar code
 * from two messages on. Returns how many messages it hashed (all but a lone last one).
 */
export function hashFixed4(src: usize, len: usize, n: usize, out: usize, stride: usize): usize {
  const full = len >>> 6;
  const tailLen = len & 63;
  let tailBlocks: usize = 0;
  for (let j: usize = 0; j < 4; j++) tailBlocks = padFrame(LANE_TAIL + (j << 7), tailLen, <f64>len);
  let i: usize = 0;
  for (; i + 2 <= n; i += 4) {
    const last = min<usize>(n - i, 4) - 1;
    const m0 = src + i * len, m1 = m0 + min<usize>(1, last) * len;
    const m2 = m0 + min<usize>(2, last) * len, m3 = m0 + last * len;
    const o0 = out + i * stride, o1 = o0 + stride;
    const o2 = last >= 2 ? o1 + stride : DISCARD, o3 = last == 3 ? o1 + 2 * stride : DISCARD;
    const tail = full << 6;
    copyTail(LANE_TAIL, m0 + tail, tailLen);
    copyTail(LANE_TAIL + 128, m1 + tail, tailLen);
    copyTail(LANE_TAIL + 256, m2 + tail, tailLen);
    copyTail(LANE_TAIL + 384, m3 + tail, tailLen);
    for (let w: usize = 0; w < 8; w++) v128.store(STATE4 + (w << 4), v128.load32_splat(IV + (w << 2)));
    for (let b: usize = 0; b < tail; b += 64) {
      loadBlocks4(m0 + b, m1 + b, m2 + b, m3 + b);
      rounds4(STATE4, W4);
    }
    for (let b: usize = 0; b < tailBlocks; b++) {
      const t = LANE_TAIL + (b << 6);
      loadBlocks4(t, t + 128, t + 256, t + 384);
      rounds4(STATE4, W4);
    }
    writeDigests4(o0, o1, o2, o3);
  }
  return min(i, n);
}
