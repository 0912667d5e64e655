// A Store in a directory (Node). Each key is a file; each write goes to a temporary name, is
// fsynced and renamed into place, so a crash never leaves a torn entry under a real key. The
// directories are synced by flush(), not after every rename: a crash can lose the latest
// renames (the data is fetched again), never expose a partial file.
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Store } from './store.js';
import { InvalidArgument, StorageFailed } from '../errors.js';

const TEMP_SUFFIX = '.partial';

function pathFor(root: string, key: string): string {
  if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(key) || key.split('/').some((p) => p === '.' || p === '..')
    || key.endsWith(TEMP_SUFFIX)) {
    throw new InvalidArgument(`store key ${JSON.stringify(key)} is not a safe relative path`);
  }
  return join(root, ...key.split('/'));
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function fsStore(root: string): Store {
  const dirty = new Set<string>();
  // Temporary names are unique per write, so two writers (two processes restoring into the
  // same directory) never rename each other's half-written files.
  let writes = 0;
  const tempFor = (path: string) => `${path}.${process.pid}-${writes++}${TEMP_SUFFIX}`;
  return {
    async get(key) {
      try {
        return new Uint8Array(await readFile(pathFor(root, key)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    async put(entries) {
      const paths = entries.map(([key]) => pathFor(root, key));
      const temps = paths.map(tempFor);
      // Data is written and synced in parallel; renames then happen in the caller's order.
      await Promise.all(entries.map(async ([, value], i) => {
        const temp = temps[i];
        try {
          await mkdir(dirname(paths[i]), { recursive: true });
          const handle = await open(temp, 'w');
          try {
            await handle.writeFile(value);
            await handle.sync();
          } finally {
            await handle.close();
          }
        } catch (err) {
          await rm(temp, { force: true });
          throw new StorageFailed(`cannot write ${paths[i]}: ${(err as Error).message}`, { cause: err });
        }
      }));
      for (const [i, path] of paths.entries()) {
        await rename(temps[i], path);
        dirty.add(dirname(path));
      }
    },
    async flush() {
      const dirs = [...dirty];
      dirty.clear();
      await Promise.all(dirs.map(syncDir));
    },
    async delete(keys) {
      for (const key of keys) await rm(pathFor(root, key), { force: true });
    },
    async keys(prefix) {
      let names: string[];
      try {
        names = (await readdir(root, { recursive: true, withFileTypes: true }))
          .filter((d) => d.isFile() && !d.name.endsWith(TEMP_SUFFIX))
          .map((d) => relative(root, join(d.parentPath ?? (d as unknown as { path: string }).path, d.name)).split(sep).join('/'));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
      return names.filter((k) => k.startsWith(prefix));
    },
  };
}
