// The CLI's progress display, driven by a fake clock: off a terminal a line every few seconds
// and a final one; a create (total unknown) shows what it knows, never a percentage.
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { progressView } from '../src/cli/progress.js';
import type { ProgressEvent } from '../src/progress.js';
import { runCli } from './cli-harness.js';

function harness(isTTY: boolean, json = false) {
  let text = '';
  const stream = new Writable({ write(chunk, _enc, cb) { text += String(chunk); cb(); } });
  let t = 0;
  const view = progressView({ stdout: stream, stderr: stream, isTTY }, json, { now: () => t });
  return { view, at: (ms: number) => { t = ms; }, text: () => text, lines: () => text.split('\n').filter(Boolean) };
}

/** 100 chunks of 1 MB, one every 300 ms (30 s in all). */
function feed(h: ReturnType<typeof harness>, known: boolean, extra: Partial<ProgressEvent> = {}) {
  for (let k = 1; k <= 100; k++) {
    h.at(k * 300);
    const totals = known ? { chunksTotal: 100, bytesTotal: 100e6 } : {};
    h.view.listener({ phase: known ? 'verify' : 'create', chunksDone: k, bytesDone: k * 1e6, ...totals, ...extra });
  }
}

describe('CLI progress off a terminal', () => {
  it('prints a line every 5 s and one final line, not one per chunk', () => {
    const h = harness(false);
    feed(h, true);
    // Lines at 5.1, 10.2, 15.3, 20.4 and 25.5 s; 30 s is under 5 s after the last.
    expect(h.lines().length).toBe(5);
    expect(h.lines()[0]).toBe('verify: 17/100 chunks, 17.0 MB/100.0 MB (17%), 3.33 MB/s, 25 s left');
    h.view.end();
    h.view.end();
    expect(h.lines().length).toBe(6);
    expect(h.lines()[5]).toBe('verify: 100/100 chunks, 100.0 MB/100.0 MB (100%), 3.33 MB/s in 30 s');
  });

  it('a create, whose total is unknown, shows chunks, bytes and rate so far, never a percentage', () => {
    const h = harness(false);
    feed(h, false);
    h.view.end();
    expect(h.lines()[0]).toBe('create: 17 chunks, 17.0 MB, 3.33 MB/s');
    expect(h.lines().at(-1)).toBe('create: 100 chunks, 100.0 MB in 30 s, 3.33 MB/s');
    expect(h.text()).not.toMatch(/%/);
  });

  it('a quick run prints only its final line; a refused copy is reported at once', () => {
    const h = harness(false);
    h.at(10);
    h.view.listener({ phase: 'restore', chunksDone: 0, chunksTotal: 2, bytesDone: 0, bytesTotal: 20 });
    h.at(20);
    h.view.listener({ phase: 'restore', chunksDone: 0, chunksTotal: 2, bytesDone: 0, bytesTotal: 20, chunk: 1, state: 'bad',
      source: 'http://m1/', error: { code: 'ChunkCorrupted', message: 'chunk does not match its digest' } });
    h.at(500);
    h.view.listener({ phase: 'restore', chunksDone: 2, chunksTotal: 2, bytesDone: 20, bytesTotal: 20 });
    h.view.end();
    expect(h.lines()).toEqual([
      'restore: chunk 1 refused from http://m1/: ChunkCorrupted: chunk does not match its digest',
      'restore: 2/2 chunks, 0.00 MB/0.00 MB (100%), 0.00 MB/s in 0.5 s',
    ]);
  });

  it('counts the rate from where a resumed run started, not from zero', () => {
    const h = harness(false);
    h.view.listener({ phase: 'restore', chunksDone: 40, chunksTotal: 100, bytesDone: 40e6, bytesTotal: 100e6 });
    h.at(10_000);
    h.view.listener({ phase: 'restore', chunksDone: 50, chunksTotal: 100, bytesDone: 50e6, bytesTotal: 100e6 });
    expect(h.lines()).toEqual(['restore: 50/100 chunks, 50.0 MB/100.0 MB (50%), 1.00 MB/s, 50 s left']);
  });
});

describe('CLI progress on a terminal and as JSON', () => {
  it('redraws one bar (none for an unknown total) and ends it with a newline', () => {
    const tty = harness(true);
    feed(tty, true);
    tty.view.end();
    expect(tty.text().split('\n').length).toBe(2);
    expect(tty.text()).toMatch(/\r\[#{30}\] verify: 100\/100 chunks.*\n$/);
    const create = harness(true);
    feed(create, false);
    create.view.end();
    expect(create.text()).not.toMatch(/\[[#.]|%/);
    expect(create.text()).toMatch(/\rcreate: 100 chunks, 100\.0 MB, 3\.33 MB\/s\x1b\[K\n$/);
  });

  it('--json writes every event as it is', () => {
    const h = harness(false, true);
    feed(h, false);
    h.view.end();
    expect(h.lines().length).toBe(100);
    expect(JSON.parse(h.lines()[99])).toEqual({ phase: 'create', chunksDone: 100, bytesDone: 100e6 });
  });
});

describe('npm start off a terminal', () => {
  it('the demo prints a few progress lines per step, not one per chunk', async () => {
    const r = await runCli('demo', '--keys', '20000', '--no-serve');
    const progress = r.stderr.split('\n').filter((l) => /^(create|verify|restore): /.test(l));
    expect(progress.filter((l) => l.startsWith('create: ')).length).toBeLessThanOrEqual(3);
    expect(progress.length).toBeLessThanOrEqual(9);
    expect(progress.find((l) => l.startsWith('create: '))).not.toMatch(/%/);
  });
});
