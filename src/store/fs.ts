// A Store in a directory (Node). Each key is a file; each write goes to a temporary name, is
// fsynced and renamed into place, so a crash never leaves a torn entry under a real key. The
// directories are synced by flush(), not after every rename: a crash can lose the latest
// renames (the data is fetched again), never expose a partial file. Temporary files left by
// killed processes are removed before the first write; every OS failure is a StorageFailed.
import { mkdir, open, readFile, readdir, rename, rm, rmdir, unlink } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Store } from './store.js';
import { fdClose, fdOpen, fdSync, fdWrite } from './fd.js';
import { InvalidArgument, StorageFailed } from '../errors.js';

const TEMP_SUFFIX = '.partial';
/** Files unlinked at once by delete(). */
const DELETE_BATCH = 64;

function pathFor(root: string, key: string): string {
  if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(key) || key.split('/').some((p) => p === '.' || p === '..')
    || key.endsWith(TEMP_SUFFIX)) {
    throw new InvalidArgument(`store key ${JSON.stringify(key)} is not a safe relative path`);
  }
  return join(root, ...key.split('/'));
}

export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes all of `bytes` to the open descriptor `fd` (bare descriptors: see fd.ts), syncs (if `sync`) and closes it. */
async function writeSynced(fd: number, bytes: Uint8Array, sync = true): Promise<void> {
  try {
    for (let at = 0; at < bytes.length;) at += (await fdWrite(fd, bytes, at, bytes.length - at)).bytesWritten;
    if (sync) await fdSync(fd);
  } finally {
    await fdClose(fd);
  }
}

/** Writes of this process so far: numbers its temporary files. */
let atomicWrites = 0;

/**
 * Replaces one file durably, outside any store: a temporary file named after the writer's pid,
 * fsynced, renamed over `path`, then the folder synced. A crash leaves the old or the new file.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const temp = `${path}.${process.pid}-${atomicWrites++}${TEMP_SUFFIX}`;
  try {
    await writeSynced(await fdOpen(temp, 'w'), typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw failed('write', path, err);
  }
  await syncDir(dirname(path));
}

/** An OS failure as the typed error of its kind, naming the operation and the path. */
function failed(op: string, path: string, err: unknown): StorageFailed {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code ? `${OS_ERRORS[code] ?? code} (${code})` : (err as Error).message;
  return new StorageFailed(`cannot ${op} ${path}: ${why}`, { cause: err });
}

const OS_ERRORS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'it is a directory',
  EEXIST: 'a file is in the way',
};

/** Every file below `root` (relative, '/'-separated), temporary ones included; [] if there is no root yet. */
async function listFiles(root: string): Promise<string[]> {
  try {
    return (await readdir(root, { recursive: true, withFileTypes: true }))
      .filter((d) => d.isFile())
      .map((d) => relative(root, join(d.parentPath ?? (d as unknown as { path: string }).path, d.name)).split(sep).join('/'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw failed('list', root, err);
  }
}

/** Whether process `pid` is alive (a temporary file of a live writer is not ours to remove). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temporary files that killed writers left below `root`. */
async function sweepTemporaries(root: string): Promise<void> {
  for (const name of await listFiles(root)) {
    const m = /\.(\d+)-\d+\.partial$/.exec(name);
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) await rm(join(root, name), { force: true });
  }
}

/**
 * Opens `path` for writing, creating its folder when missing (not before every file: a put of
 * many files pays no mkdir each); again if a concurrent delete removed the folder (or a parent,
 * as empty) meanwhile.
 */
async function openInFolder(path: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (attempt > 1) await mkdir(dirname(path), { recursive: true });
      return await fdOpen(path, 'w');
    } catch (err) {
      // Node's recursive mkdir reports a folder removed under it as ENOENT or ENOTDIR.
      const code = (err as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || attempt === 10) throw err;
    }
  }
}

/** Removes `folder` and its parents up to (not including) `root` while they are empty. */
async function removeEmptyFolders(root: string, folder: string): Promise<void> {
  const top = resolve(root);
  for (let dir = resolve(folder); dir.startsWith(top + sep); dir = dirname(dir)) {
    try {
      await rmdir(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue; // removed by a concurrent delete: its parent may be empty now
      if (code === 'ENOTEMPTY' || code === 'EEXIST') return;
      throw failed('remove the empty folder', dir, err);
    }
  }
}

/**
 * Writes the values of `entries` to `files` in parallel, synced if `sync`; if any write fails,
 * every file of the batch goes (nothing half-written is left) and the failure names `paths[i]`.
 */
async function writeAll(entries: ReadonlyArray<readonly [string, Uint8Array]>, files: string[], paths: string[], sync: boolean): Promise<void> {
  const writes = await Promise.allSettled(entries.map(async ([, value], i) => {
    try {
      await writeSynced(await openInFolder(files[i]), value, sync);
    } catch (err) {
      throw failed('write', paths[i], err);
    }
  }));
  const failure = writes.find((w): w is PromiseRejectedResult => w.status === 'rejected');
  if (failure) {
    await Promise.all(files.map((f) => rm(f, { force: true })));
    throw failure.reason;
  }
}

export function fsStore(root: string): Store {
  const dirty = new Set<string>();
  // Temporary names are unique per write and carry the writer's pid, so two writers (two
  // processes restoring into the same directory, or two stores of one process writing the same
  // key) never rename or sweep each other's files.
  const tempFor = (path: string) => `${path}.${process.pid}-${atomicWrites++}${TEMP_SUFFIX}`;
  let swept: Promise<void> | undefined;
  return {
    async get(key) {
      const path = pathFor(root, key);
      try {
        return new Uint8Array(await readFile(path));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw failed('read', path, err);
      }
    },
    async put(entries, options) {
      const paths = entries.map(([key]) => pathFor(root, key));
      // Scratch entries (a sort's runs) go in place, unsynced: syncing them made the disk write
      // every run its sort was about to delete.
      if (options?.scratch) return writeAll(entries, paths, paths, false);
      await (swept ??= sweepTemporaries(root));
      const temps = paths.map(tempFor);
      // Data is written and synced in parallel; renames then happen in the caller's order.
      await writeAll(entries, temps, paths, true);
      for (const [i, path] of paths.entries()) {
        await rename(temps[i], path).catch((err) => { throw failed('rename into', path, err); });
        dirty.add(dirname(path));
      }
    },
    async flush() {
      const dirs = [...dirty];
      dirty.clear();
      // A folder removed since (emptied by a delete) has nothing left to make durable.
      await Promise.all(dirs.map((dir) => syncDir(dir).catch((err) => {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw failed('sync', dir, err);
      })));
    },
    async delete(keys) {
      const paths = keys.map((key) => pathFor(root, key));
      const folders = new Set(paths.map((path) => dirname(path)));
      for (let i = 0; i < paths.length; i += DELETE_BATCH) {
        await Promise.all(paths.slice(i, i + DELETE_BATCH).map((path) => unlink(path).catch((err) => {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw failed('delete', path, err);
        })));
      }
      // Folders the deletes emptied go too (a sort's tmp/ runs, a pruned checkpoint's chunks/),
      // deepest first; a folder a concurrent write just filled stays.
      for (const folder of [...folders].sort((a, b) => b.length - a.length)) await removeEmptyFolders(root, folder);
    },
    async keys(prefix) {
      return (await listFiles(root)).filter((k) => k.startsWith(prefix) && !k.endsWith(TEMP_SUFFIX));
    },
  };
}
