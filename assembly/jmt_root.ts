// The JMT root of leaves streamed in key-hash order, in memory bounded by the tree depth.
//
// Binary view of the tree (SPECS.md §1.4): a subtree with one key is that leaf's hash, an empty
// one the placeholder, anything else internal(left, right). With leaves sorted, the split bit
// between neighbours k[i] and k[i+1] is their common prefix length c[i]; leaf i sits (lifted)
// at depth max(c[i-1], c[i]) + 1. A stack holds finished left subtrees waiting for their right
// siblings, depths strictly increasing, so never more than 257 entries.
//
// Hashing is batched: a window of leaves is first run *symbolically* (each merge or placeholder
// raise becomes an op on numbered hash slots), then the ops are executed grouped by height, so
// every group is one batch of independent 80-byte messages. The stack's hashes are made
// concrete at the end of each window and carried in a caller-held state block.
//
// Watched leaves: every op on a stack entry that contains a watched leaf emits a sibling event
// (the leaf-index range it applies to, the depth, the side and the sibling hash). The events of
// one leaf, in order, are exactly its SparseMerkleProof siblings, bottom to root.
import {
  PLACEHOLDER, LEAF_MESSAGE_LEN, INTERNAL_MESSAGE_LEN, writeLeafMessage, writeInternalMessage,
  bitAt, commonPrefixBits, compare32,
} from './jmt_hash';
import { hashFixedStrided } from './sha256_batch';
import { copy16, copy32 } from './copy';

const STACK_MAX: i32 = 258;
const WINDOW_LEAVES: i32 = 4096;
const OPS_CAP: i32 = 8192;
/** One leaf's reduce moves the top up at most 257 levels: one op and at most two events each. */
const MAX_OPS_PER_LEAF: i32 = 260;
const MAX_EVENTS_PER_LEAF: i32 = 520;

// Caller-held state block.
const ST_LEN: usize = 0;
const ST_BASE: usize = 4;
const ST_COUNT: usize = 8;
const ST_HAS_PENDING: usize = 12;
const ST_PENDING_SPLIT: usize = 16;
const ST_PENDING_WATCH: usize = 20;
const ST_EVENTS: usize = 24;
const ST_ERROR_AT: usize = 28;
const ST_PENDING_LEAF: usize = 32;
const ST_STACK: usize = 96;
const ST_ENTRY: usize = 48; // hash[32] depth first last watched
const STATE_SIZE: usize = ST_STACK + <usize>STACK_MAX * ST_ENTRY;

// Hash slots of one window: the placeholder, the carried-in stack, the leaves, the op outputs.
const LEAF_SLOTS: u32 = 1 + <u32>STACK_MAX;
const OP_SLOTS: u32 = LEAF_SLOTS + <u32>WINDOW_LEAVES + 1;
const TOTAL_SLOTS: usize = <usize>OP_SLOTS + <usize>OPS_CAP;

// Work area layout.
const W_SLOTS: usize = 0;
const W_HEIGHT: usize = W_SLOTS + TOTAL_SLOTS * 32;
const W_OPS: usize = W_HEIGHT + TOTAL_SLOTS * 4;
const W_ORDER: usize = W_OPS + <usize>OPS_CAP * 12;
const W_COUNTS: usize = W_ORDER + <usize>OPS_CAP * 4;
const W_MSG: usize = W_COUNTS + (<usize>OPS_CAP + 2) * 4;
const W_DIGESTS: usize = W_MSG + <usize>OPS_CAP * INTERNAL_MESSAGE_LEN;
const W_STACK: usize = W_DIGESTS + <usize>OPS_CAP * 32;
const W_EVENTS: usize = W_STACK + <usize>STACK_MAX * 20;
const WORK_SIZE: usize = W_EVENTS + <usize>OPS_CAP * 2 * 20;

/** Bytes of one sibling event: first, last, depth, side (u32 each), hash[32]. */
const EVENT_SIZE: usize = 48;
export const SIDE_LEFT: u32 = 0;
export const SIDE_RIGHT: u32 = 1;

export const ERR_NOT_INCREASING: i32 = -1;
export const ERR_OUTSIDE_SUBTREE: i32 = -2;

export function stateSize(): usize { return STATE_SIZE; }
export function workSize(): usize { return WORK_SIZE; }

// The window being processed (one call at a time: the core is single-threaded).
let work: usize = 0;
let stackLen: i32 = 0;
let opCount: i32 = 0;
let leafCount: i32 = 0;
let pendingEvents: i32 = 0;
let eventsOut: usize = 0;
let eventsUsed: i32 = 0;

// @ts-ignore: decorator
@inline function slotAt(s: u32): usize { return work + W_SLOTS + (<usize>s << 5); }
// @ts-ignore: decorator
@inline function heightOf(s: u32): u32 { return load<u32>(work + W_HEIGHT + (<usize>s << 2)); }
// @ts-ignore: decorator
@inline function setHeight(s: u32, h: u32): void { store<u32>(work + W_HEIGHT + (<usize>s << 2), h); }
// Working stack entry: slot, depth, first, last, watched (u32 each).
// @ts-ignore: decorator
@inline function entry(i: i32): usize { return work + W_STACK + <usize>i * 20; }

function beginWindow(st: usize): void {
  copy32(slotAt(0), PLACEHOLDER);
  setHeight(0, 0);
  stackLen = load<i32>(st + ST_LEN);
  for (let i = 0; i < stackLen; i++) {
    const src = st + ST_STACK + <usize>i * ST_ENTRY;
    const slot = <u32>(1 + i);
    copy32(slotAt(slot), src);
    setHeight(slot, 0);
    const e = entry(i);
    store<u32>(e, slot);
    copy16(e + 4, src + 32);
  }
  opCount = 0;
  leafCount = 0;
  pendingEvents = 0;
}

/** Queues the leaf hash of the 64 bytes `keyHash || valueHash` at `leaf`; returns its slot. */
function addLeaf(leaf: usize): u32 {
  const slot = LEAF_SLOTS + <u32>leafCount;
  writeLeafMessage(work + W_MSG + <usize>leafCount * LEAF_MESSAGE_LEN, leaf, leaf + 32);
  setHeight(slot, 0);
  leafCount++;
  return slot;
}

/** Queues internal(left, right); returns the output slot. */
function addOp(left: u32, right: u32): u32 {
  const out = OP_SLOTS + <u32>opCount;
  const o = work + W_OPS + <usize>opCount * 12;
  store<u32>(o, out);
  store<u32>(o, left, 4);
  store<u32>(o, right, 8);
  const hl = heightOf(left);
  const hr = heightOf(right);
  setHeight(out, (hl > hr ? hl : hr) + 1);
  opCount++;
  return out;
}

function recordEvent(e: usize, depth: i32, side: u32, sibling: u32): void {
  if (load<u32>(e, 16) == 0) return;
  const p = work + W_EVENTS + <usize>pendingEvents * 20;
  store<u32>(p, load<u32>(e, 8));
  store<u32>(p, load<u32>(e, 12), 4);
  store<i32>(p, depth, 8);
  store<u32>(p, side, 12);
  store<u32>(p, sibling, 16);
  pendingEvents++;
}

function push(slot: u32, depth: i32, index: u32, watched: u32): void {
  const e = entry(stackLen++);
  store<u32>(e, slot);
  store<i32>(e, depth, 4);
  store<u32>(e, index, 8);
  store<u32>(e, index, 12);
  store<u32>(e, watched, 16);
}

/** Merges and raises the top of the stack until it sits at `target`; `key` is in the top entry. */
function reduce(target: i32, key: usize): void {
  let top = entry(stackLen - 1);
  let d = load<i32>(top, 4);
  while (d > target) {
    if (stackLen >= 2 && load<i32>(entry(stackLen - 2), 4) == d) {
      const left = entry(stackLen - 2);
      const ls = load<u32>(left);
      const rs = load<u32>(top);
      const out = addOp(ls, rs);
      recordEvent(left, d - 1, SIDE_RIGHT, rs);
      recordEvent(top, d - 1, SIDE_LEFT, ls);
      store<u32>(left, out);
      store<i32>(left, d - 1, 4);
      store<u32>(left, load<u32>(top, 12), 12);
      store<u32>(left, load<u32>(left, 16) | load<u32>(top, 16), 16);
      stackLen--;
      top = left;
    } else {
      const s = load<u32>(top);
      const onRight = bitAt(key, d - 1);
      const out = onRight ? addOp(0, s) : addOp(s, 0);
      recordEvent(top, d - 1, onRight ? SIDE_LEFT : SIDE_RIGHT, 0);
      store<u32>(top, out);
      store<i32>(top, d - 1, 4);
    }
    d--;
  }
}

/** Executes the window's hashing: leaves in one batch, then ops one height at a time. */
function runOps(): void {
  hashFixedStrided(work + W_MSG, LEAF_MESSAGE_LEN, <usize>leafCount, slotAt(LEAF_SLOTS), 32);
  if (opCount == 0) return;
  let maxHeight: u32 = 0;
  for (let i = 0; i < opCount; i++) {
    const h = heightOf(load<u32>(work + W_OPS + <usize>i * 12));
    if (h > maxHeight) maxHeight = h;
  }
  const counts = work + W_COUNTS;
  memory.fill(counts, 0, (<usize>maxHeight + 2) << 2);
  for (let i = 0; i < opCount; i++) {
    const h = heightOf(load<u32>(work + W_OPS + <usize>i * 12));
    const c = counts + ((<usize>h + 1) << 2);
    store<u32>(c, load<u32>(c) + 1);
  }
  for (let h: u32 = 1; h <= maxHeight + 1; h++) {
    const c = counts + (<usize>h << 2);
    store<u32>(c, load<u32>(c) + load<u32>(c - 4));
  }
  // counts[h] is now the start of height h in `order`.
  for (let i = 0; i < opCount; i++) {
    const h = heightOf(load<u32>(work + W_OPS + <usize>i * 12));
    const c = counts + (<usize>h << 2);
    const at = load<u32>(c);
    store<u32>(work + W_ORDER + (<usize>at << 2), <u32>i);
    store<u32>(c, at + 1);
  }
  // After the scatter counts[h] is the end of height h; height 1 starts at 0.
  let start: u32 = 0;
  for (let h: u32 = 1; h <= maxHeight; h++) {
    const end = load<u32>(counts + (<usize>h << 2));
    const n = end - start;
    for (let j: u32 = 0; j < n; j++) {
      const o = work + W_OPS + (<usize>load<u32>(work + W_ORDER + (<usize>(start + j) << 2))) * 12;
      writeInternalMessage(work + W_MSG + <usize>j * INTERNAL_MESSAGE_LEN, slotAt(load<u32>(o, 4)), slotAt(load<u32>(o, 8)));
    }
    hashFixedStrided(work + W_MSG, INTERNAL_MESSAGE_LEN, <usize>n, work + W_DIGESTS, 32);
    for (let j: u32 = 0; j < n; j++) {
      const o = work + W_OPS + (<usize>load<u32>(work + W_ORDER + (<usize>(start + j) << 2))) * 12;
      copy32(slotAt(load<u32>(o)), work + W_DIGESTS + (<usize>j << 5));
    }
    start = end;
  }
}

function endWindow(st: usize): void {
  runOps();
  for (let i = 0; i < pendingEvents; i++) {
    const p = work + W_EVENTS + <usize>i * 20;
    const out = eventsOut + <usize>eventsUsed * EVENT_SIZE;
    copy16(out, p);
    copy32(out + 16, slotAt(load<u32>(p, 16)));
    eventsUsed++;
  }
  store<i32>(st + ST_LEN, stackLen);
  for (let i = 0; i < stackLen; i++) {
    const e = entry(i);
    const dst = st + ST_STACK + <usize>i * ST_ENTRY;
    copy32(dst, slotAt(load<u32>(e)));
    copy16(dst + 32, e + 4);
  }
}

/** Starts a stream whose leaves all lie in one subtree at `baseDepth` (0: the whole tree). */
export function rootInit(st: usize, baseDepth: i32): void {
  memory.fill(st, 0, ST_STACK);
  store<i32>(st + ST_BASE, baseDepth);
  store<i32>(st + ST_PENDING_SPLIT, baseDepth - 1);
}

/**
 * Feeds `n` leaves (64 bytes each: keyHash || valueHash) in strictly increasing key-hash order.
 * `watch` is 0 or `n` flag bytes. Sibling events go to `events` (room for `eventCap`, at least
 * MAX_EVENTS_PER_LEAF). Returns the number of leaves consumed (fewer than `n` when the event
 * room ran out), or an ERR_ code with the leaf's index in the state.
 */
export function rootFeed(st: usize, workArea: usize, leaves: usize, n: i32, watch: usize, events: usize, eventCap: i32): i32 {
  work = workArea;
  eventsOut = events;
  eventsUsed = 0;
  const base = load<i32>(st + ST_BASE);
  let i = 0;
  while (i < n) {
    beginWindow(st);
    let hasPending = load<u32>(st + ST_HAS_PENDING);
    let pendingKey = st + ST_PENDING_LEAF;
    let pendingSplit = load<i32>(st + ST_PENDING_SPLIT);
    let pendingWatch = load<u32>(st + ST_PENDING_WATCH);
    let count = load<u32>(st + ST_COUNT);
    let pendingSlot: u32 = hasPending ? addLeaf(pendingKey) : 0;
    const start = i;
    while (i < n && leafCount < WINDOW_LEAVES && opCount + MAX_OPS_PER_LEAF <= OPS_CAP
      && eventsUsed + pendingEvents + MAX_EVENTS_PER_LEAF <= eventCap) {
      const k = leaves + (<usize>i << 6);
      let split = base - 1;
      if (hasPending) {
        if (compare32(pendingKey, k) >= 0) return fail(st, ERR_NOT_INCREASING, count);
        split = commonPrefixBits(pendingKey, k);
        if (split < base) return fail(st, ERR_OUTSIDE_SUBTREE, count);
        push(pendingSlot, (pendingSplit > split ? pendingSplit : split) + 1, count - 1, pendingWatch);
        reduce(split + 1, pendingKey);
      }
      hasPending = 1;
      pendingKey = k;
      pendingSplit = split;
      pendingWatch = watch ? <u32>load<u8>(watch + <usize>i) : 0;
      pendingSlot = addLeaf(k);
      count++;
      i++;
    }
    endWindow(st);
    if (i > start) memory.copy(st + ST_PENDING_LEAF, pendingKey, 64);
    store<u32>(st + ST_HAS_PENDING, hasPending);
    store<i32>(st + ST_PENDING_SPLIT, pendingSplit);
    store<u32>(st + ST_PENDING_WATCH, pendingWatch);
    store<u32>(st + ST_COUNT, count);
    if (i == start) break;
  }
  store<i32>(st + ST_EVENTS, eventsUsed);
  return i;
}

function fail(st: usize, code: i32, index: u32): i32 {
  store<u32>(st + ST_ERROR_AT, index);
  return code;
}

/** Index of the leaf a failed feed stopped at. */
export function rootErrorIndex(st: usize): u32 {
  return load<u32>(st + ST_ERROR_AT);
}

/** Number of sibling events the last feed or finish wrote. */
export function rootEventCount(st: usize): i32 {
  return load<i32>(st + ST_EVENTS);
}

/** Ends the stream: writes the subtree root (the placeholder when empty) to `out`. */
export function rootFinish(st: usize, workArea: usize, events: usize, eventCap: i32, out: usize): i32 {
  work = workArea;
  eventsOut = events;
  eventsUsed = 0;
  const base = load<i32>(st + ST_BASE);
  beginWindow(st);
  if (load<u32>(st + ST_HAS_PENDING)) {
    const key = st + ST_PENDING_LEAF;
    const split = load<i32>(st + ST_PENDING_SPLIT);
    const slot = addLeaf(key);
    push(slot, (split > base - 1 ? split : base - 1) + 1, load<u32>(st + ST_COUNT) - 1, load<u32>(st + ST_PENDING_WATCH));
    reduce(base, key);
  }
  endWindow(st);
  store<u32>(st + ST_HAS_PENDING, 0);
  memory.copy(out, stackLen > 0 ? st + ST_STACK : PLACEHOLDER, 32);
  store<i32>(st + ST_EVENTS, eventsUsed);
  return eventsUsed;
}

/** Leaf hashes of `n` (keyHash || valueHash) pairs at `leaves`, back to back at `out`. */
export function leafHashes(workArea: usize, leaves: usize, n: i32, out: usize): void {
  const msg = workArea + W_MSG;
  for (let done = 0; done < n; done += WINDOW_LEAVES) {
    const m = min(WINDOW_LEAVES, n - done);
    for (let j = 0; j < m; j++) {
      const leaf = leaves + (<usize>(done + j) << 6);
      writeLeafMessage(msg + <usize>j * LEAF_MESSAGE_LEN, leaf, leaf + 32);
    }
    hashFixedStrided(msg, LEAF_MESSAGE_LEN, <usize>m, out + (<usize>done << 5), 32);
  }
}

/** Internal hashes of `n` (left || right) pairs at `pairs`, back to back at `out`. */
export function internalHashes(workArea: usize, pairs: usize, n: i32, out: usize): void {
  const msg = workArea + W_MSG;
  for (let done = 0; done < n; done += OPS_CAP) {
    const m = min(OPS_CAP, n - done);
    for (let j = 0; j < m; j++) {
      const pair = pairs + (<usize>(done + j) << 6);
      writeInternalMessage(msg + <usize>j * INTERNAL_MESSAGE_LEN, pair, pair + 32);
    }
    hashFixedStrided(msg, INTERNAL_MESSAGE_LEN, <usize>m, out + (<usize>done << 5), 32);
  }
}
