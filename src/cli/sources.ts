// Turns CLI locations (a directory or an http(s) URL, several for mirrors) into Sources.
import { stat } from 'node:fs/promises';
import { dirSource } from '../net/dir-source.js';
import { httpSource } from '../net/http-source.js';
import type { Source } from '../net/source.js';
import { inputError, usageError } from './errors.js';

export async function sourcesFor(locations: string[], usage: string): Promise<Source[]> {
  if (locations.length === 0) throw usageError(`no checkpoint location given\nusage: lightsnap ${usage}`);
  return Promise.all(locations.map(async (loc) => {
    if (/^https?:\/\//i.test(loc)) return httpSource(loc);
    const info = await stat(loc).catch(() => undefined);
    if (!info?.isDirectory()) throw inputError(`${loc}: not a directory (nor an http(s) URL)`);
    return dirSource(loc);
  }));
}

/** The --root option: required, 64 hex digits (case-insensitive), returned in lowercase. */
export function rootOption(value: string | undefined, usage: string): string {
  if (value === undefined) throw usageError(`--root HEX is required: the trusted state root\nusage: lightsnap ${usage}`);
  if (!/^(0x)?[0-9a-fA-F]{64}$/.test(value)) throw usageError(`--root must be 64 hex digits, got ${JSON.stringify(value)}`);
  return value.replace(/^0x/, '').toLowerCase();
}
