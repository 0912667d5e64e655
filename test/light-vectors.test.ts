// tendermint-rs' model-based single-step cases (test/vectors/lightclient/README.md): each step's
// verdict must be the expected one; a SUCCESS makes the block the trusted one. Run as upstream
// runs them: trust level 1/3, clock drift 0, the initial block's validators its next validators.
import { describe, expect, it } from 'vitest';
import {
  verifyLightBlock,
} from '../src/light/index.js';
import { nobleVerifier } from './light-oracle.js';

interface Step { block: Record<string, unknown>; now: string; verdict: string }
interface Case {
  description: string;
  initial: { signed_header: unknown; next_validator_set: unknown; trusting_period: string; now: string };
  input: Step[];
}

const files = import.meta.glob<Case>('./vectors/lightclient/single_step/*.json', { eager: true, import: 'default' });

// Each case with the core's verifier (the default) and with @noble/curves as the oracle.
const verifiers = { core: undefined, noble: nobleVerifier };

describe('tendermint-rs single-step light-client vectors', () => {
  it('has the vectors', () => expect(Object.keys(files).length).toBeGreaterThanOrEqual(20));
  for (const [path, tc] of Object.entries(files)) for (const [which, verifier] of Object.entries(verifiers)) {
    it(`${path.replace(/.*\//, '')} (${which})`, () => {
      const trustingPeriodMs = Number(BigInt(tc.initial.trusting_period) / 1_000_000n);
      let trusted: unknown = {
        signed_header: tc.initial.signed_header,
        validator_set: tc.initial.next_validator_set,
        next_validator_set: tc.initial.next_validator_set,
      };
      tc.input.forEach((step, i) => {
        const result = verifyLightBlock(trusted, step.block, {
          trustingPeriodMs, clockDriftMs: 0, now: step.now, verifier,
        });
        expect(`step ${i}: ${result.verdict}`, result.reason).toBe(`step ${i}: ${step.verdict}`);
        if (result.verdict === 'SUCCESS') trusted = step.block;
      });
    });
  }
});
