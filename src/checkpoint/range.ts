export function checkRangeProof(..._a: unknown[]): string | undefined { throw new Error("pending"); }
