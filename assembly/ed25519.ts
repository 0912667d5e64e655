// ed25519 signature verification with ZIP-215's rules, as CometBFT verifies votes
// (curve25519-voi VerifyOptionsZIP_215): A and R must decode as points, non-canonical encodings
// are accepted, s must be below ℓ, and the cofactored equation [8][s]B = [8]R + [8][k]A holds,
// k = SHA-512(R ‖ A ‖ M) mod ℓ. Small-order A and R are allowed.
// Batch verification checks one random linear combination of the equations with a single
// multi-scalar multiplication (ed25519-consensus's batch::Verifier); the host supplies the
// random 128-bit coefficients and finds the bad signatures when a batch fails.
import { POINT, geDecode, geOddMultiples, geStraus, geAddCached, geToCached, geToProjective, geIsSmallOrder } from './edwards25519';
import { scIsCanonical, scReduce512, scMulAdd, scNaf } from './scalar25519';
import { hashBegin, hashUpdate, hashEnd, SHA512 } from './ics23_hash';

/** NAF width and table size for B: 64 odd multiples, built once. */
const B_WIDTH = 8;
const B_TABLE: usize = memory.data(64 * <i32>POINT, 8);
/** NAF width and table size for any other point (8 odd multiples). */
const WIDTH = 5;
const TABLE_BYTES: usize = 8 * POINT;
const NAF_BYTES: usize = 256;

// The base point's encoding (y = 4/5, x even).
const B_BYTES = memory.data<u8>([
  0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
  0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66]);
let baseTableBuilt = false;

const P1: usize = memory.data(<i32>POINT, 8);
const P2: usize = memory.data(<i32>POINT, 8);
const CACHED: usize = memory.data(<i32>POINT, 8);
const WORK: usize = memory.data(2 * <i32>POINT, 8);
const DIGEST: usize = memory.data(64, 8);
const K: usize = memory.data(32, 8);
const S: usize = memory.data(32, 8);
const Z: usize = memory.data(32, 8);
const ZERO: usize = memory.data(32, 8);
const A_TABLE: usize = memory.data(<i32>TABLE_BYTES, 8);
const A_NAF: usize = memory.data(<i32>NAF_BYTES, 8);
const B_NAF: usize = memory.data(<i32>NAF_BYTES, 8);

/** The table of B (built on first use, through P1: call before P1 holds anything). */
function baseTable(): usize {
  if (!baseTableBuilt) {
    geDecode(P1, B_BYTES);
    geOddMultiples(B_TABLE, P1, 64);
    baseTableBuilt = true;
  }
  return B_TABLE;
}

/** out = SHA-512(R ‖ A ‖ M) mod ℓ. */
function challenge(out: usize, r: usize, a: usize, msg: usize, len: usize): void {
  hashBegin(SHA512);
  hashUpdate(r, 32);
  hashUpdate(a, 32);
  hashUpdate(msg, len);
  hashEnd(DIGEST);
  scReduce512(out, DIGEST);
}

/** 1 when the 64-byte `sig` is a valid signature of `msg` by the 32-byte `publicKey`, else 0. */
export function ed25519Verify(publicKey: usize, sig: usize, msg: usize, len: usize): i32 {
  const bTable = baseTable();
  if (!scIsCanonical(sig + 32)) return 0;
  if (!geDecode(P1, publicKey) || !geDecode(P2, sig)) return 0;
  challenge(K, sig, publicKey, msg, len);
  memory.copy(S, sig + 32, 32);
  geOddMultiples(A_TABLE, P1, 8);
  const top = max(scNaf(A_NAF, K, WIDTH), scNaf(B_NAF, S, B_WIDTH));
  // [k]A - [s]B + R must have small order.
  geStraus(P1, A_TABLE, A_NAF, 1, bTable, B_NAF, top);
  geToCached(CACHED, P2);
  geAddCached(WORK, P1, CACHED, false);
  geToProjective(P1, WORK);
  return geIsSmallOrder(P1, WORK) ? 1 : 0;
}

/** Bytes of the work area `ed25519VerifyBatch` needs for `n` signatures. */
export function ed25519BatchWorkSize(n: i32): usize {
  return <usize>n * 2 * (TABLE_BYTES + NAF_BYTES);
}

/**
 * 1 when all `n` signatures pass one random linear combination of their equations, 0 when any
 * is malformed or the combination fails (some signature is invalid, or with probability about
 * 2^-128, none is). Item i is publicKey ‖ signature (96 bytes) at `items + 96 i`, its message
 * `msgs[offsets[i], offsets[i + 1])` (offsets: u32, any alignment), its coefficient 16
 * little-endian bytes at `coeffs + 16 i`; `work` has ed25519BatchWorkSize(n) bytes.
 */
export function ed25519VerifyBatch(items: usize, n: i32, msgs: usize, offsets: usize, coeffs: usize, work: usize): i32 {
  // Points 2i (A_i, scalar z_i k_i) and 2i + 1 (R_i, scalar z_i); B gets -Σ z_i s_i.
  const bTable = baseTable();
  const tables = work;
  const nafs = work + <usize>(2 * n) * TABLE_BYTES;
  memory.fill(S, 0, 32);
  memory.fill(ZERO, 0, 32);
  memory.fill(Z, 0, 32);
  let top = 0;
  for (let i = 0; i < n; i++) {
    const pk = items + <usize>i * 96;
    const sig = pk + 32;
    if (!scIsCanonical(sig + 32)) return 0;
    const tA = tables + <usize>(2 * i) * TABLE_BYTES;
    const tR = tA + TABLE_BYTES;
    if (!geDecode(P1, pk) || !geDecode(P2, sig)) return 0;
    geOddMultiples(tA, P1, 8);
    geOddMultiples(tR, P2, 8);
    const from = load<u32>(offsets + (<usize>i << 2), 0, 1);
    const to = load<u32>(offsets + (<usize>(i + 1) << 2), 0, 1);
    challenge(K, sig, pk, msgs + <usize>from, <usize>(to - from));
    memory.copy(Z, coeffs + (<usize>i << 4), 16);
    memory.copy(DIGEST, sig + 32, 32); // s, aligned for the limb arithmetic
    scMulAdd(S, Z, DIGEST, S);
    scMulAdd(K, Z, K, ZERO);
    const nA = nafs + <usize>(2 * i) * NAF_BYTES;
    top = max(top, scNaf(nA, K, WIDTH));
    top = max(top, scNaf(nA + NAF_BYTES, Z, WIDTH));
  }
  top = max(top, scNaf(B_NAF, S, B_WIDTH));
  geStraus(P1, tables, nafs, 2 * n, bTable, B_NAF, top);
  return geIsSmallOrder(P1, WORK) ? 1 : 0;
}
