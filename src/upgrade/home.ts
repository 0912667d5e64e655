// The supervisor's home folder (after Vega Visor): config.json, one folder per version each
// with its run-config.json, and the `current` symlink naming the version that runs.
import { lstat, mkdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDir } from '../store/fs.js';
import { VisorConfigInvalid } from '../errors.js';
import type { Journal } from './state.js';
import {
  defaultConfig, isSegment, parseConfig, parseRunConfig, readSmallFile, type RunConfig, type VisorConfig,
} from './config.js';

export const CONFIG_FILE = 'config.json';
export const RUN_CONFIG_FILE = 'run-config.json';
export const CURRENT_LINK = 'current';
export const GENESIS = 'genesis';

/** What a fresh genesis/run-config.json says: one process, to be edited. */
function genesisRunConfig(): RunConfig {
  return { name: GENESIS, processes: [{ name: 'node', binary: { path: 'node', args: ['start'] } }] };
}

export interface InitResult {
  created: string[];
  kept: string[];
}

/** Creates what is missing of a home folder; never touches what is already there. */
export async function initHome(home: string): Promise<InitResult> {
  const result: InitResult = { created: [], kept: [] };
  await mkdir(join(home, GENESIS), { recursive: true });
  const files: Array<[string, unknown]> = [[CONFIG_FILE, defaultConfig()], [join(GENESIS, RUN_CONFIG_FILE), genesisRunConfig()]];
  for (const [name, value] of files) {
    try {
      // 'wx': fails if the file exists, so a second init cannot overwrite an edited file.
      await writeFile(join(home, name), JSON.stringify(value, null, 2) + '\n', { flag: 'wx' });
      result.created.push(name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      result.kept.push(name);
    }
  }
  try {
    await symlink(GENESIS, join(home, CURRENT_LINK));
    result.created.push(CURRENT_LINK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    result.kept.push(CURRENT_LINK);
  }
  await syncDir(home);
  return result;
}

export async function loadConfig(home: string): Promise<VisorConfig> {
  const path = join(home, CONFIG_FILE);
  const text = await readSmallFile(path);
  if (text === undefined) throw new VisorConfigInvalid(`${path} is missing: run \`lightsnap visor init ${home}\` first`);
  return parseConfig(text, path);
}

/** The folder (in HOME) of a release: upgradeFolders' entry, or the release's own name. */
export function folderFor(config: VisorConfig, release: string): string {
  const folder = config.upgradeFolders[release] ?? release;
  if (!isSegment(folder)) throw new VisorConfigInvalid(`release ${JSON.stringify(release)} does not name a folder in the home`);
  return folder;
}

/** Already made, older than one made, or to the version running: never switched to (again). */
export function upgradeIsDone(journal: Journal, config: VisorConfig, u: { release: string; height: number }, running: string): boolean {
  return journal.done.some((d) => d.release === u.release || d.height >= u.height) || folderFor(config, u.release) === running;
}

/** The folder `current` points at. */
export async function currentFolder(home: string): Promise<string> {
  let target: string;
  try {
    target = await readlink(join(home, CURRENT_LINK));
  } catch (err) {
    throw new VisorConfigInvalid(`${join(home, CURRENT_LINK)} is not a symlink: ${(err as Error).message}`, { cause: err });
  }
  if (!isSegment(target)) throw new VisorConfigInvalid(`${join(home, CURRENT_LINK)} points at ${JSON.stringify(target)}, not a folder of the home`);
  return target;
}

/** The run config of a version folder; undefined when the folder has none. */
export async function loadRunConfig(home: string, folder: string): Promise<RunConfig | undefined> {
  const path = join(home, folder, RUN_CONFIG_FILE);
  const text = await readSmallFile(path);
  return text === undefined ? undefined : parseRunConfig(text, path);
}

/**
 * Points `current` at `folder` atomically: a new link under a temporary name renamed over the
 * old one, then the folder synced, so after a crash `current` is either the old or the new link.
 */
export async function switchCurrent(home: string, folder: string): Promise<void> {
  const temp = join(home, `${CURRENT_LINK}.${process.pid}.partial`);
  await rm(temp, { force: true });
  await symlink(folder, temp);
  await rename(temp, join(home, CURRENT_LINK));
  await syncDir(home);
}

export async function exists(path: string): Promise<boolean> {
  return lstat(path).then(() => true, () => false);
}
