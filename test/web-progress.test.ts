import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, rateOf } from '../web/progress-view.js';

const event = (bytesDone: number, bytesTotal: number) =>
  ({ phase: 'restore' as const, chunksDone: 0, chunksTotal: 10, bytesDone, bytesTotal });

describe('the page\'s progress figures', () => {
  it('count only the bytes moved in this run towards the rate and time left', () => {
    // 40 MB were already stored; 10 MB more arrived in 2 s; 50 MB remain.
    expect(rateOf(40e6, 0, event(50e6, 100e6), 2000)).toEqual({ bytesPerSecond: 5e6, secondsLeft: 10 });
  });

  it('give no rate before anything moved or too early to tell', () => {
    expect(rateOf(40e6, 0, event(40e6, 100e6), 5000)).toBeUndefined();
    expect(rateOf(0, 0, event(1e6, 100e6), 100)).toBeUndefined();
  });

  it('print sizes and durations for people', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(100 * 1024 * 1024)).toBe('100 MiB');
    expect(formatDuration(0.2)).toBe('under a second');
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(600)).toBe('10 min');
    expect(formatDuration(Infinity)).toBe('–');
  });
});
