import { describe, expect, it } from 'vitest';
import { nextTurn } from '../src/store/next-turn.js';

// A chain of three timer callbacks stands for a store's I/O (each step needs a turn of the event loop).
function chain(): { done: () => boolean } {
  let steps = 0;
  const step = () => {
    if (++steps < 3) setTimeout(step, 0);
  };
  setTimeout(step, 0);
  return { done: () => steps === 3 };
}

describe('nextTurn', () => {
  it('lets callbacks queued on the event loop run while a loop awaits it', async () => {
    const io = chain();
    let turns = 0;
    while (!io.done() && turns < 10_000) {
      await nextTurn();
      turns++;
    }
    expect(io.done()).toBe(true);
  });

  it('is needed: awaiting promise continuations alone never lets them run', async () => {
    const io = chain();
    for (let i = 0; i < 10_000; i++) await Promise.resolve();
    expect(io.done()).toBe(false);
    while (!io.done()) await nextTurn();
  });
});
