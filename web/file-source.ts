// A checkpoint picked from the user's disk (a folder, through <input webkitdirectory>) as a
// Source: files are found by their path inside the picked folder. Still untrusted, verified
// like any download.
import { notFound, type Source } from '../src/net/source.js';
import { ChunkCorrupted } from '../src/errors.js';

export function fileListSource(files: FileList | readonly File[]): Source {
  const byPath = new Map<string, File>();
  for (const file of Array.from(files)) {
    // "picked-folder/chunks/ab12…": drop the folder's own name.
    const path = (file.webkitRelativePath || file.name).split('/').slice(1).join('/') || file.name;
    byPath.set(path, file);
  }
  const name = `local folder ${(Array.from(files)[0]?.webkitRelativePath ?? '').split('/')[0]}`.trim();
  return {
    name,
    async fetch(path, opts) {
      const file = byPath.get(path);
      if (!file) throw notFound(path, `${path} is not in the picked folder`, name);
      if (file.size > opts.maxBytes) throw new ChunkCorrupted(`${path} is ${file.size} bytes, over the ${opts.maxBytes} expected`, { source: name });
      return new Uint8Array(await file.arrayBuffer());
    },
  };
}
