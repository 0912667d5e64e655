// A short, seeded slice of the fuzz campaign on every decoder and verifier, on the WASM core
// and on the JavaScript fallback. `npm run fuzz` runs the same targets for a time budget
// (FUZZ_SECONDS, default 600) with a fresh seed; RELIABILITY.md records its figures.
import { describe, expect, it } from 'vitest';
import { fuzzOptionsFromEnv, runFuzz } from './fuzz-runner.js';
import { targets } from './fuzz-targets.js';

const campaign = process.env.FUZZ_SECONDS !== undefined || process.env.FUZZ_REPLAY !== undefined;

describe('fuzzing every decoder and verifier', () => {
  it.runIf(campaign)('the campaign of npm run fuzz', async () => {
    const { failures, total } = await runFuzz(fuzzOptionsFromEnv({ seconds: 600 }));
    expect(total).toBeGreaterThan(0);
    expect(failures).toBe(0);
  }, 24 * 3600_000);

  it.runIf(!campaign).each(['wasm-simd', 'js'])('a seeded slice on the %s core: no failure, every target reached', async (backend) => {
    const { failures, tallies } = await runFuzz({ seconds: 4 * targets.length / 10, seed: 20261126, backend });
    expect(failures).toBe(0);
    for (const t of tallies) expect(t.inputs, t.target).toBeGreaterThan(0);
  }, 300_000);
});
