// A checkpoint in a local directory (Node). The source reads through async descriptors on the
// caller's thread; `readDirFile` is the same read done synchronously, for a worker thread that
// verifies a chunk where it reads it (src/worker/node.ts): both refuse the same way.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { FetchOptions, Source } from './source.js';
import { describePath, notFound } from './source.js';
import { ChunkCorrupted, LightsnapError, SourceUnavailable, type CheckpointError } from '../errors.js';
import { fdClose, fdOpen, fdRead, fdStat } from '../store/fd.js';

/** The typed error for a file of `dir` that cannot be opened. */
function openFailed(dir: string, path: string, err: unknown): CheckpointError {
  const where = describePath(dir, path);
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return notFound(path, `${where} does not exist`, dir);
  return new SourceUnavailable(`cannot open ${where}: ${code}`, { source: dir, cause: err });
}

/** The buffer to read a file of `size` bytes into; ChunkCorrupted when it is over the bound. */
function bufferFor(dir: string, path: string, size: number, maxBytes: number): Uint8Array {
  if (size > maxBytes) throw new ChunkCorrupted(`${describePath(dir, path)} is ${size} bytes, over the ${maxBytes} expected`, { source: dir });
  return new Uint8Array(size);
}

/** The typed error for a file of `dir` that opened but cannot be read (a directory, an I/O error). */
function readFailed(dir: string, path: string, err: unknown): unknown {
  if (err instanceof LightsnapError) return err;
  return new SourceUnavailable(`cannot read ${describePath(dir, path)}: ${(err as NodeJS.ErrnoException).code ?? err}`, { source: dir, cause: err });
}

/** A file that shrank while it was read is returned as far as it went (its digest then fails). */
function upTo(out: Uint8Array, pos: number): Uint8Array {
  return pos === out.length ? out : out.subarray(0, pos);
}

export function dirSource(dir: string): Source {
  return {
    name: dir,
    dir,
    async fetch(path: string, opts: FetchOptions): Promise<Uint8Array> {
      let fd: number;
      try {
        fd = await fdOpen(join(dir, ...path.split('/')), 'r');
      } catch (err) {
        throw openFailed(dir, path, err);
      }
      try {
        const out = bufferFor(dir, path, (await fdStat(fd)).size, opts.maxBytes);
        let pos = 0;
        while (pos < out.length) {
          const { bytesRead } = await fdRead(fd, out, pos, out.length - pos, pos);
          if (bytesRead === 0) break;
          pos += bytesRead;
        }
        return upTo(out, pos);
      } catch (err) {
        throw readFailed(dir, path, err);
      } finally {
        await fdClose(fd);
      }
    },
  };
}

/** `dirSource(dir).fetch(path, { maxBytes })`, synchronously (for a worker thread, where blocking is its job). */
export function readDirFile(dir: string, path: string, maxBytes: number): Uint8Array {
  let fd: number;
  try {
    fd = openSync(join(dir, ...path.split('/')), 'r');
  } catch (err) {
    throw openFailed(dir, path, err);
  }
  try {
    const out = bufferFor(dir, path, fstatSync(fd).size, maxBytes);
    let pos = 0;
    while (pos < out.length) {
      const bytesRead = readSync(fd, out, pos, out.length - pos, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
    }
    return upTo(out, pos);
  } catch (err) {
    throw readFailed(dir, path, err);
  } finally {
    closeSync(fd);
  }
}
