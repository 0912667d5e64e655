// A checkpoint in a local directory (Node).
import { close, fstat, open, read } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { FetchOptions, Source } from './source.js';
import { describePath, notFound } from './source.js';
import { ChunkCorrupted, SourceUnavailable } from '../errors.js';

// Bare descriptors, not a FileHandle: a FileHandle's open, stat, read and close cost several
// times the system time per file, which a verify of hundreds of chunk and proof files pays on
// the thread that also feeds the workers (as in store/fs.ts).
const fdOpen = promisify(open);
const fdStat = promisify(fstat);
const fdRead = promisify(read);
const fdClose = promisify(close);

export function dirSource(dir: string): Source {
  return {
    name: dir,
    async fetch(path: string, opts: FetchOptions): Promise<Uint8Array> {
      const where = describePath(dir, path);
      let fd: number;
      try {
        fd = await fdOpen(join(dir, ...path.split('/')), 'r');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') {
          throw notFound(path, `${where} does not exist`, dir);
        }
        throw new SourceUnavailable(`cannot open ${where}: ${code}`, { source: dir, cause: err });
      }
      try {
        const { size } = await fdStat(fd);
        if (size > opts.maxBytes) {
          throw new ChunkCorrupted(`${where} is ${size} bytes, over the ${opts.maxBytes} expected`, { source: dir });
        }
        const out = new Uint8Array(size);
        let pos = 0;
        while (pos < size) {
          const { bytesRead } = await fdRead(fd, out, pos, size - pos, pos);
          if (bytesRead === 0) break;
          pos += bytesRead;
        }
        return pos === size ? out : out.subarray(0, pos);
      } finally {
        await fdClose(fd);
      }
    },
  };
}
