// How the supervisor learns of an upgrade: Vega Visor's status answer, cosmovisor's
// upgrade-info.json, or a planned height checked against CometBFT's /status. Every answer is
// untrusted: read with a size bound and a timeout, its shape checked, and any defect is an
// UpgradeSourceFailed naming the source and the field.
import { join } from 'node:path';
import type { VisorConfig } from './config.js';
import { isSegment, readSmallFile } from './config.js';
import { UpgradeSourceFailed, VisorConfigInvalid } from '../errors.js';
import { MAX_ANSWER_BYTES, parseAnswer } from './http.js';
import { preview } from '../format/json-fields.js';
import type { KnownUpgrade } from './state.js';
import { fetchJson } from './http.js';

export const UPGRADE_INFO_FILE = 'upgrade-info.json';

function field(o: unknown, path: string[], where: string): unknown {
  let v = o;
  for (const [i, key] of path.entries()) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      throw new UpgradeSourceFailed(`${where}: ${path.slice(0, i).join('.') || 'the answer'} is not an object`);
    }
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** A height as a safe integer: JSON number, or a decimal string (protobuf JSON's int64). */
function height(v: unknown, what: string, where: string): number {
  const n = typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new UpgradeSourceFailed(`${where}: ${what} is not a block height: ${preview(v)}`);
  }
  return n;
}

function release(v: unknown, what: string, where: string): string {
  if (typeof v !== 'string' || !isSegment(v)) {
    throw new UpgradeSourceFailed(`${where}: ${what} is not a release name (letters, digits, . _ + -): ${preview(v)}`);
  }
  return v;
}

/** Vega Visor's status: `{ acceptedReleaseInfo: { vegaReleaseTag, upgradeBlockHeight }, readyToUpgrade }`. */
export function parseVisorStatus(answer: unknown, where: string): KnownUpgrade | undefined {
  const info = field(answer, ['acceptedReleaseInfo'], where);
  const ready = field(answer, ['readyToUpgrade'], where) ?? false;
  if (typeof ready !== 'boolean') throw new UpgradeSourceFailed(`${where}: readyToUpgrade is not a boolean`);
  if (info === null || info === undefined) return undefined;
  const tag = field(info, ['vegaReleaseTag'], where);
  if (tag === '' || tag === null || tag === undefined) return undefined;
  return {
    release: release(tag, 'acceptedReleaseInfo.vegaReleaseTag', where),
    height: height(field(info, ['upgradeBlockHeight'], where), 'acceptedReleaseInfo.upgradeBlockHeight', where),
    source: 'status', ready,
  };
}

/** cosmovisor's upgrade-info.json `{ name, height, info }`, written by the node when it halts at the height. */
export function parseUpgradeInfo(text: string, where: string): KnownUpgrade {
  const o = parseAnswer(text, where);
  const info = field(o, ['info'], where);
  if (info !== undefined && typeof info !== 'string') throw new UpgradeSourceFailed(`${where}: info is not a string`);
  return {
    release: release(field(o, ['name'], where), 'name', where),
    height: height(field(o, ['height'], where), 'height', where),
    source: 'upgrade-info', ready: true,
  };
}

/** CometBFT RPC /status: `result.sync_info.latest_block_height`. */
export function parseCometHeight(answer: unknown, where: string): number {
  return height(field(answer, ['result', 'sync_info', 'latest_block_height'], where), 'result.sync_info.latest_block_height', where);
}

export interface Detection {
  /** The first upgrade not yet done, from any source (the earliest due wins). */
  upgrade: KnownUpgrade | undefined;
  /** Whether a remote source was asked (failures count only for remote sources). */
  polled: boolean;
}

/**
 * Asks every configured source once. `isDone` filters out upgrades already made (or to the
 * version already running), so a source that keeps saying "v2 at 100" never switches twice.
 */
export async function detectUpgrade(
  config: VisorConfig, home: string, isDone: (u: KnownUpgrade) => boolean, signal?: AbortSignal,
): Promise<Detection> {
  const timeoutMs = Math.max(1000, config.pollIntervalSeconds * 1000);
  const found: KnownUpgrade[] = [];
  let polled = false;
  if (config.upgradeInfoFolder) {
    const path = join(home, config.upgradeInfoFolder, UPGRADE_INFO_FILE);
    let text: string | undefined;
    try {
      text = await readSmallFile(path, MAX_ANSWER_BYTES);
    } catch (err) {
      if (err instanceof VisorConfigInvalid) throw new UpgradeSourceFailed(err.message, { cause: err });
      throw err;
    }
    if (text !== undefined) found.push(parseUpgradeInfo(text, path));
  }
  if (config.statusUrl) {
    polled = true;
    const u = parseVisorStatus(await fetchJson(config.statusUrl, timeoutMs, signal), config.statusUrl);
    if (u) found.push(u);
  }
  const planned = config.plan.map((p): KnownUpgrade => ({ release: p.release, height: p.height, source: 'plan', ready: false }))
    .find((u) => !isDone(u));
  if (planned) {
    if (config.heightUrl) {
      polled = true;
      planned.ready = parseCometHeight(await fetchJson(config.heightUrl, timeoutMs, signal), config.heightUrl) >= planned.height;
    }
    found.push(planned);
  }
  const open = found.filter((u) => !isDone(u));
  open.sort((a, b) => Number(b.ready) - Number(a.ready) || a.height - b.height);
  return { upgrade: open[0], polled };
}
