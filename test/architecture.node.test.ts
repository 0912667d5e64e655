// The folders under src/ depend on each other one way only (docs/ARCHITECTURE.md).
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { cycles, folderGraph } from '../scripts/check-cycles.mjs';

type Graph = Map<string, Set<string>>;
const graph = (edges: Record<string, string[]>): Graph => new Map(Object.entries(edges).map(([k, v]) => [k, new Set(v)]));

describe('import graph of src/', () => {
  it('finds loops of any length, and only loops', () => {
    expect((cycles as (g: Graph) => string[][])(graph({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] }))).toEqual([['a', 'b', 'c']]);
    expect((cycles as (g: Graph) => string[][])(graph({ a: ['b'], b: ['c'], d: ['a', 'c'] }))).toEqual([]);
  });

  it('has no two folders that import each other', () => {
    const g = (folderGraph as () => Graph)();
    expect(g.get('checkpoint')?.size).toBeGreaterThan(0); // the graph was really read
    expect((cycles as (g: Graph) => string[][])(g)).toEqual([]);
  });

  it('keeps store/, net/ and format/ below checkpoint/', () => {
    const g = (folderGraph as () => Graph)();
    for (const low of ['store', 'net', 'format']) expect(g.get(low)?.has('checkpoint') ?? false, low).toBe(false);
  });
});
