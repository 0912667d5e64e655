// A checkpoint in a local directory (Node).
import { join } from 'node:path';
import type { FetchOptions, Source } from './source.js';
import { describePath, notFound } from './source.js';
import { ChunkCorrupted, SourceUnavailable } from '../errors.js';
import { fdClose, fdOpen, fdRead, fdStat } from '../store/fd.js';

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
