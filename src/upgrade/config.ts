// The supervisor's two files: HOME/config.json (after Vega Visor's config.toml, with its
// defaults) and each version folder's run-config.json (the processes to run). Both are read
// from disk an operator edits by hand, so every field is checked and bounded and a mistake is
// a VisorConfigInvalid naming the file and the field.
import { open } from 'node:fs/promises';
import { VisorConfigInvalid } from '../errors.js';
import { WRITABLE_FORMAT_VERSIONS } from '../format/manifest.js';
import { preview } from '../format/json-fields.js';
import type { CheckpointSettings } from '../checkpoint/settings.js';

/** A release tag or folder name: one path segment, so no answer can point outside HOME. */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;
/** A file of a release: relative, segments as above. */
const RELATIVE_FILE = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}(\/[A-Za-z0-9][A-Za-z0-9._+-]{0,127}){0,7}$/;
const HEX64 = /^[0-9a-f]{64}$/;
/** Config files are small; anything bigger is a mistake, not a config. */
export const MAX_CONFIG_BYTES = 1 << 20;
const MAX_PLAN_ENTRIES = 1000;
const MAX_PROCESSES = 32;
const MAX_ARGS = 256;
const MAX_STRING = 4096;
const DAY_SECONDS = 86_400;

export interface PlannedUpgrade {
  release: string;
  height: number;
  checkpoint?: CheckpointSettings;
}

export interface AutoInstall {
  enabled: boolean;
  /** URL of each file: `{release}` and `{file}` are replaced. */
  urlTemplate: string | null;
  /** The files of a release folder to fetch (run-config.json and the binaries). */
  files: string[];
  /** release → file → SHA-256 (hex). */
  checksums: Record<string, Record<string, string>>;
  /** Install a file that has no checksum in `checksums` (off: such a release is refused). */
  allowMissingChecksum: boolean;
  maxFileBytes: number;
}

export interface PreUpgradeHook {
  /** Absolute, or relative to the new release's folder. */
  path: string;
  args: string[];
  /** How often exit 31 ("retry") is retried before the upgrade is aborted (cosmovisor's DAEMON_PREUPGRADE_MAX_RETRIES). */
  maxRetries: number;
  timeoutSeconds: number;
}

export interface VisorConfig {
  maxNumberOfRestarts: number;
  /** Delay before the first restart; doubled at each further restart of the same process. */
  restartsDelaySeconds: number;
  /** Cap of the growing restart delay. */
  maxRestartsDelaySeconds: number;
  stopSignalTimeoutSeconds: number;
  /** Wait between learning an upgrade is due and stopping the processes. */
  stopDelaySeconds: number;
  /** release → folder in HOME (default: the folder named after the release). */
  upgradeFolders: Record<string, string>;
  pollIntervalSeconds: number;
  /** Consecutive failed polls (after the first answer) before the supervisor gives up, as Visor. */
  maxFailedPolls: number;
  /** Visor's admin status: `{ acceptedReleaseInfo: { vegaReleaseTag, upgradeBlockHeight }, readyToUpgrade }`. */
  statusUrl: string | null;
  /** Folder (relative to HOME) where the node writes cosmovisor's `upgrade-info.json`. */
  upgradeInfoFolder: string | null;
  /** CometBFT RPC `/status` URL: the height that triggers `plan` entries. */
  heightUrl: string | null;
  plan: PlannedUpgrade[];
  autoInstall: AutoInstall;
  /** Copy this folder (relative to HOME) before switching, into `backupFolder`. */
  backup: { dataFolder: string; backupFolder: string } | null;
  preUpgrade: PreUpgradeHook | null;
}

export interface ProcessSpec {
  name: string;
  binary: { path: string; args: string[] };
  env?: Record<string, string>;
  cwd?: string;
}

export interface RunConfig {
  name: string;
  processes: ProcessSpec[];
}

/** Visor's defaults (SPECS §8.3, `visor/config/visor_config.go`) and ours for what Visor lacks. */
export function defaultConfig(): VisorConfig {
  return {
    maxNumberOfRestarts: 3,
    restartsDelaySeconds: 5,
    maxRestartsDelaySeconds: 60,
    stopSignalTimeoutSeconds: 15,
    stopDelaySeconds: 0,
    upgradeFolders: {},
    pollIntervalSeconds: 2,
    maxFailedPolls: 10,
    statusUrl: null,
    upgradeInfoFolder: null,
    heightUrl: null,
    plan: [],
    autoInstall: {
      enabled: false, urlTemplate: null, files: ['run-config.json'], checksums: {}, allowMissingChecksum: false,
      maxFileBytes: 1 << 30,
    },
    backup: null,
    preUpgrade: null,
  };
}

/** Field checks that throw VisorConfigInvalid naming `file` and the field's path. */
class Fields {
  constructor(private readonly file: string) {}

  /** The JSON value of a file's text. */
  parse(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new VisorConfigInvalid(`${this.file}: not JSON: ${(err as Error).message}`);
    }
  }

  fail(field: string, message: string): never {
    throw new VisorConfigInvalid(`${this.file}: ${field} ${message}`);
  }

  object(v: unknown, field: string): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(field, 'must be an object');
    return v as Record<string, unknown>;
  }

  known(o: Record<string, unknown>, field: string, keys: readonly string[]): void {
    for (const k of Object.keys(o)) if (!keys.includes(k)) this.fail(field ? `${field}.${k}` : k, 'is not a known field');
  }

  number(v: unknown, field: string, min: number, max: number, integer = false): number {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isSafeInteger(v))) {
      this.fail(field, `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${preview(v)}`);
    }
    return v;
  }

  string(v: unknown, field: string, pattern?: RegExp): string {
    if (typeof v !== 'string' || v.length === 0 || v.length > MAX_STRING || (pattern && !pattern.test(v))) {
      this.fail(field, `must be ${pattern ? `a string matching ${pattern}` : 'a non-empty string'}, got ${preview(v)}`);
    }
    return v;
  }

  boolean(v: unknown, field: string): boolean {
    if (typeof v !== 'boolean') this.fail(field, 'must be true or false');
    return v;
  }

  url(v: unknown, field: string): string {
    const s = this.string(v, field);
    let u: URL;
    try {
      u = new URL(s.replaceAll('{release}', 'r').replaceAll('{file}', 'f'));
    } catch {
      this.fail(field, `is not a URL: ${preview(s)}`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') this.fail(field, 'must be an http: or https: URL');
    return s;
  }

  strings(v: unknown, field: string, max: number, pattern?: RegExp): string[] {
    if (!Array.isArray(v) || v.length > max) this.fail(field, `must be an array of at most ${max} strings`);
    return v.map((s, i) => {
      if (typeof s !== 'string' || s.length > MAX_STRING || (pattern && !pattern.test(s))) this.fail(`${field}[${i}]`, 'must be a string' + (pattern ? ` matching ${pattern}` : ''));
      return s;
    });
  }

  record(v: unknown, field: string, keyPattern: RegExp, value: (v: unknown, field: string) => string, max = 1000): Record<string, string> {
    const o = this.object(v, field);
    const keys = Object.keys(o);
    if (keys.length > max) this.fail(field, `has more than ${max} entries`);
    const out: Record<string, string> = {};
    for (const k of keys) {
      if (!keyPattern.test(k)) this.fail(`${field}.${k}`, `is not a valid name (${keyPattern})`);
      out[k] = value(o[k], `${field}.${k}`);
    }
    return out;
  }

  nullable<T>(v: unknown, parse: (v: unknown) => T): T | null {
    return v === null || v === undefined ? null : parse(v);
  }
}

/** Parses config.json's text; absent fields take their defaults, unknown fields are refused. */
export function parseConfig(text: string, file = 'config.json'): VisorConfig {
  const f = new Fields(file);
  const o = f.object(f.parse(text), 'the config');
  const d = defaultConfig();
  f.known(o, '', Object.keys(d));
  const num = (k: keyof VisorConfig, min: number, max: number, integer = false) =>
    o[k] === undefined ? d[k] as number : f.number(o[k], k, min, max, integer);
  const cfg: VisorConfig = {
    maxNumberOfRestarts: num('maxNumberOfRestarts', 0, 1_000_000, true),
    restartsDelaySeconds: num('restartsDelaySeconds', 0, DAY_SECONDS),
    maxRestartsDelaySeconds: num('maxRestartsDelaySeconds', 0, DAY_SECONDS),
    stopSignalTimeoutSeconds: num('stopSignalTimeoutSeconds', 0, DAY_SECONDS),
    stopDelaySeconds: num('stopDelaySeconds', 0, DAY_SECONDS),
    pollIntervalSeconds: num('pollIntervalSeconds', 0.01, 3600),
    maxFailedPolls: num('maxFailedPolls', 0, 1_000_000, true),
    upgradeFolders: o.upgradeFolders === undefined ? {} : f.record(o.upgradeFolders, 'upgradeFolders', SEGMENT, (v, k) => f.string(v, k, SEGMENT)),
    statusUrl: f.nullable(o.statusUrl, (v) => f.url(v, 'statusUrl')),
    heightUrl: f.nullable(o.heightUrl, (v) => f.url(v, 'heightUrl')),
    upgradeInfoFolder: f.nullable(o.upgradeInfoFolder, (v) => f.string(v, 'upgradeInfoFolder', RELATIVE_FILE)),
    plan: o.plan === undefined ? [] : parsePlan(f, o.plan),
    autoInstall: o.autoInstall === undefined ? d.autoInstall : parseAutoInstall(f, o.autoInstall, d.autoInstall),
    backup: f.nullable(o.backup, (v) => {
      const b = f.object(v, 'backup');
      f.known(b, 'backup', ['dataFolder', 'backupFolder']);
      return {
        dataFolder: f.string(b.dataFolder, 'backup.dataFolder', RELATIVE_FILE),
        backupFolder: b.backupFolder === undefined ? 'backups' : f.string(b.backupFolder, 'backup.backupFolder', RELATIVE_FILE),
      };
    }),
    preUpgrade: f.nullable(o.preUpgrade, (v) => {
      const h = f.object(v, 'preUpgrade');
      f.known(h, 'preUpgrade', ['path', 'args', 'maxRetries', 'timeoutSeconds']);
      return {
        path: f.string(h.path, 'preUpgrade.path'),
        args: h.args === undefined ? [] : f.strings(h.args, 'preUpgrade.args', MAX_ARGS),
        maxRetries: h.maxRetries === undefined ? 0 : f.number(h.maxRetries, 'preUpgrade.maxRetries', 0, 1000, true),
        timeoutSeconds: h.timeoutSeconds === undefined ? 600 : f.number(h.timeoutSeconds, 'preUpgrade.timeoutSeconds', 0.01, DAY_SECONDS),
      };
    }),
  };
  if (cfg.maxRestartsDelaySeconds < cfg.restartsDelaySeconds) {
    f.fail('maxRestartsDelaySeconds', `(${cfg.maxRestartsDelaySeconds}) is below restartsDelaySeconds (${cfg.restartsDelaySeconds})`);
  }
  if (cfg.autoInstall.enabled && !cfg.autoInstall.urlTemplate) f.fail('autoInstall.urlTemplate', 'is required when autoInstall.enabled is true');
  return cfg;
}

function parsePlan(f: Fields, v: unknown): PlannedUpgrade[] {
  if (!Array.isArray(v) || v.length > MAX_PLAN_ENTRIES) f.fail('plan', `must be an array of at most ${MAX_PLAN_ENTRIES} entries`);
  const plan = v.map((raw, i): PlannedUpgrade => {
    const at = `plan[${i}]`;
    const e = f.object(raw, at);
    f.known(e, at, ['release', 'height', 'checkpoint']);
    const entry: PlannedUpgrade = {
      release: f.string(e.release, `${at}.release`, SEGMENT),
      height: f.number(e.height, `${at}.height`, 1, Number.MAX_SAFE_INTEGER, true),
    };
    if (e.checkpoint !== undefined) {
      const c = f.object(e.checkpoint, `${at}.checkpoint`);
      f.known(c, `${at}.checkpoint`, ['maxChunkBytes', 'formatVersion']);
      entry.checkpoint = {};
      if (c.maxChunkBytes !== undefined) entry.checkpoint.maxChunkBytes = f.number(c.maxChunkBytes, `${at}.checkpoint.maxChunkBytes`, 1024, 64 << 20, true);
      if (c.formatVersion !== undefined) {
        const fv = f.number(c.formatVersion, `${at}.checkpoint.formatVersion`, 0, 1_000_000, true);
        // Refused up front: a plan naming a format this lightsnap cannot write would fail at its height.
        if (!WRITABLE_FORMAT_VERSIONS.includes(fv)) f.fail(`${at}.checkpoint.formatVersion`, `${fv} cannot be written by this lightsnap (it writes ${WRITABLE_FORMAT_VERSIONS.join(', ')})`);
        entry.checkpoint.formatVersion = fv;
      }
    }
    return entry;
  });
  for (let i = 1; i < plan.length; i++) {
    if (plan[i].height <= plan[i - 1].height) f.fail(`plan[${i}].height`, 'must be above the previous entry\'s height');
  }
  return plan;
}

function parseAutoInstall(f: Fields, v: unknown, d: AutoInstall): AutoInstall {
  const a = f.object(v, 'autoInstall');
  f.known(a, 'autoInstall', Object.keys(d));
  const checksums: AutoInstall['checksums'] = {};
  if (a.checksums !== undefined) {
    const byRelease = f.object(a.checksums, 'autoInstall.checksums');
    for (const [release, files] of Object.entries(byRelease)) {
      if (!SEGMENT.test(release)) f.fail(`autoInstall.checksums.${release}`, `is not a valid release (${SEGMENT})`);
      checksums[release] = f.record(files, `autoInstall.checksums.${release}`, RELATIVE_FILE,
        (s, k) => f.string(s, k, HEX64), 256);
    }
  }
  return {
    enabled: a.enabled === undefined ? d.enabled : f.boolean(a.enabled, 'autoInstall.enabled'),
    urlTemplate: f.nullable(a.urlTemplate, (s) => f.url(s, 'autoInstall.urlTemplate')),
    files: a.files === undefined ? d.files : f.strings(a.files, 'autoInstall.files', 256, RELATIVE_FILE),
    checksums,
    allowMissingChecksum: a.allowMissingChecksum === undefined ? d.allowMissingChecksum : f.boolean(a.allowMissingChecksum, 'autoInstall.allowMissingChecksum'),
    maxFileBytes: a.maxFileBytes === undefined ? d.maxFileBytes : f.number(a.maxFileBytes, 'autoInstall.maxFileBytes', 1, 2 ** 40, true),
  };
}

/** Parses a run-config.json: the processes of one version. */
export function parseRunConfig(text: string, file: string): RunConfig {
  const f = new Fields(file);
  const o = f.object(f.parse(text), 'the run config');
  f.known(o, '', ['name', 'processes']);
  if (!Array.isArray(o.processes) || o.processes.length === 0 || o.processes.length > MAX_PROCESSES) {
    f.fail('processes', `must be an array of 1 to ${MAX_PROCESSES} processes`);
  }
  const names = new Set<string>();
  const processes = (o.processes as unknown[]).map((raw, i): ProcessSpec => {
    const at = `processes[${i}]`;
    const p = f.object(raw, at);
    f.known(p, at, ['name', 'binary', 'env', 'cwd']);
    const name = f.string(p.name, `${at}.name`, SEGMENT);
    if (names.has(name)) f.fail(`${at}.name`, `repeats ${JSON.stringify(name)}`);
    names.add(name);
    const b = f.object(p.binary, `${at}.binary`);
    f.known(b, `${at}.binary`, ['path', 'args']);
    const spec: ProcessSpec = {
      name,
      binary: { path: f.string(b.path, `${at}.binary.path`), args: b.args === undefined ? [] : f.strings(b.args, `${at}.binary.args`, MAX_ARGS) },
    };
    if (p.env !== undefined) spec.env = f.record(p.env, `${at}.env`, /^[A-Za-z_][A-Za-z0-9_]{0,127}$/, (v, k): string => {
      if (typeof v !== 'string' || v.length > MAX_STRING) f.fail(k, 'must be a string');
      return v as string;
    }, 256);
    if (p.cwd !== undefined) spec.cwd = f.string(p.cwd, `${at}.cwd`);
    return spec;
  });
  return { name: o.name === undefined ? '' : f.string(o.name, 'name'), processes };
}

/** Reads a text file of at most `maxBytes` (checked before reading); undefined when absent. */
export async function readSmallFile(path: string, maxBytes = MAX_CONFIG_BYTES): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new VisorConfigInvalid(`${path}: cannot read: ${(err as Error).message}`, { cause: err });
  }
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw new VisorConfigInvalid(`${path}: ${size} bytes, over the ${maxBytes} allowed`);
    const buf = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buf, 0, size, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Whether `s` can name a release or a folder in HOME. */
export function isSegment(s: string): boolean {
  return SEGMENT.test(s);
}
