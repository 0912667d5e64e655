// Opening input files with errors that say which file and why.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { inputError } from './errors.js';

/** Checks that `path` is a readable regular file, then streams it. */
export async function openInput(path: string): Promise<Readable> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw inputError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${code ?? String(err)})`);
  }
  if (!info.isFile()) throw inputError(`${path}: not a regular file`);
  return createReadStream(path, { highWaterMark: 1 << 20 });
}
