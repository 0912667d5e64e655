// Node's callback fs calls on bare descriptors, as promises. Not a FileHandle: its open, stat,
// read, write, sync and close cost several times the system time per file, which a checkpoint's
// hundreds of small chunk and proof files pay per write (store/fs.ts) and per read
// (net/dir-source.ts, on the thread that also feeds the verify workers).
import { close, fstat, fsync, open, read, write } from 'node:fs';
import { promisify } from 'node:util';

export const fdOpen = promisify(open);
export const fdStat = promisify(fstat);
export const fdRead = promisify(read);
export const fdWrite = promisify(write);
export const fdSync = promisify(fsync);
export const fdClose = promisify(close);
