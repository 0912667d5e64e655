// The range-proof encoding (docs/FORMAT.md, "Range proof"), shared by its builder, the
// in-chunk prover and the core's verifier (assembly/jmt_range.ts).

export const RANGE_PROOF_FORMAT_VERSION = 1;
/** Largest encoded range proof accepted: two boundary paths of 256 levels, with slack. */
export const MAX_RANGE_PROOF_BYTES = 1 << 16;

// Node tags. TAG_EMPTY (a straddling empty node) never occurs with chunk boundaries at leaves;
// verifiers accept it for intervals chosen otherwise.
export const TAG_EMPTY = 0;
export const TAG_LEAF_OUTSIDE = 1;
export const TAG_LEAF_INSIDE = 2;
export const TAG_INTERNAL = 3;
