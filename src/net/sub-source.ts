// A Source seen through a path prefix: the genesis checkpoint of a migration is served under
// `genesis/` of the migration's location, and restores from there like any checkpoint.
import { describePath, type Source } from './source.js';

export function subSource(source: Source, prefix: string): Source {
  return {
    name: describePath(source.name, prefix),
    fetch: (path, opts) => source.fetch(prefix + path, opts),
  };
}
