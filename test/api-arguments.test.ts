// Every function of the public entries, called with arguments of the wrong type or shape,
// answers with a LightsnapError (InvalidArgument for a bad argument, as the README promises)
// or a value — never a TypeError, RangeError or trap from inside. Run in Node and Chromium.
import { describe, expect, it } from 'vitest';
import * as main from '../src/index.js';
import * as ics23 from '../src/ics23.js';
import * as light from '../src/light/index.js';
import { LightsnapError } from '../src/errors.js';

const WRONG: unknown[] = [undefined, null, 42, -1, 'text', {}, [], [null], [{}], new Uint8Array(3), true, () => 0];

/** Functions that start work on the whole machine or load the core: not argument checks. */
const SKIP = new Set(['init', 'initSync']);

async function outcome(f: (...args: unknown[]) => unknown, args: unknown[]): Promise<unknown> {
  try {
    const r = f(...args);
    if (r && typeof (r as Promise<unknown>).then === 'function') await r;
    else if (r && typeof (r as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
      for await (const _ of r as AsyncIterable<unknown>) break;
    }
    return undefined;
  } catch (err) {
    return err;
  }
}

describe.each([['lightsnap', main], ['lightsnap/ics23', ics23], ['lightsnap/light', light]] as const)('the %s entry', (entry, mod) => {
  const functions = Object.entries(mod).filter(([name, f]) => typeof f === 'function' && !/^[A-Z]/.test(name) && !SKIP.has(name));

  it('has functions to check', () => expect(functions.length).toBeGreaterThan(5));

  it.each(functions)('%s refuses wrong arguments with a typed error', async (name, f) => {
    const wrong: string[] = [];
    for (const value of WRONG) {
      for (const args of [[value], [value, value, value, value, value]]) {
        const err = await outcome(f as (...a: unknown[]) => unknown, args);
        if (err !== undefined && !(err instanceof LightsnapError)) {
          wrong.push(`${name}(${args.length === 1 ? '' : '5× '}${Object.prototype.toString.call(value)}): ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`);
        }
      }
    }
    expect(wrong, `${entry}`).toEqual([]);
  });
});
