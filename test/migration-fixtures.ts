// A small migration for the migration tests (both runtimes): a genesis state and random
// per-height changes (new keys, overwrites, deletes of present and absent keys).
import type { Pair } from '../src/tree/pairs.js';
import { rng } from './helpers.js';

const enc = new TextEncoder();

export interface MigrationPlan {
  genesis: Pair[];
  /** Changes per height, start + 1 … end, in order. */
  heights: Pair[][];
}

export function migrationPlan(keys: number, heights: number, perHeight: number, seed = 7): MigrationPlan {
  const r = rng(seed);
  const genesis = Array.from({ length: keys }, (_, i) => ({ key: enc.encode(`key-${i}`), value: r.bytes(10 + r.int(60)) }));
  let fresh = keys;
  const plan: Pair[][] = [];
  for (let h = 0; h < heights; h++) {
    const changes: Pair[] = [];
    for (let c = 0; c < perHeight; c++) {
      const kind = r.int(4);
      const existing = enc.encode(`key-${r.int(fresh)}`);
      if (kind === 0) changes.push({ key: enc.encode(`key-${fresh++}`), value: r.bytes(10 + r.int(60)) });
      else if (kind === 1) changes.push({ key: existing, value: r.bytes(10 + r.int(60)) });
      else if (kind === 2) changes.push({ key: existing, value: null });
      else changes.push({ key: enc.encode(`absent-${r.int(1 << 30)}`), value: null });
    }
    plan.push(changes);
  }
  return { genesis, heights: plan };
}
