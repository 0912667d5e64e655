// The functions of FIPS 180-4 §4.1.2 on four u32 words at once (one v128), for the SIMD build's
// four-lane kernel (sha256_simd.ts) and its single-message schedule (sha256_hybrid.ts). WASM
// has no vector rotate: each is two shifts and an or.

// @ts-ignore: decorator
@inline function rotr4(x: v128, n: i32): v128 { return v128.or(i32x4.shr_u(x, n), i32x4.shl(x, 32 - n)); }
// @ts-ignore: decorator
@inline function xor3(x: v128, y: v128, z: v128): v128 { return v128.xor(v128.xor(x, y), z); }
// @ts-ignore: decorator
@inline export function bigSigma0x4(x: v128): v128 { return xor3(rotr4(x, 2), rotr4(x, 13), rotr4(x, 22)); }
// @ts-ignore: decorator
@inline export function bigSigma1x4(x: v128): v128 { return xor3(rotr4(x, 6), rotr4(x, 11), rotr4(x, 25)); }
// @ts-ignore: decorator
@inline export function sigma0x4(x: v128): v128 { return xor3(rotr4(x, 7), rotr4(x, 18), i32x4.shr_u(x, 3)); }
// @ts-ignore: decorator
@inline export function sigma1x4(x: v128): v128 { return xor3(rotr4(x, 17), rotr4(x, 19), i32x4.shr_u(x, 10)); }
