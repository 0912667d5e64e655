// The supervisor's files and answers as untrusted input, and the CLI around them.
import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, parseConfig, parseRunConfig } from '../src/upgrade/config.js';
import { checkpointSettingsAt } from '../src/checkpoint/settings.js';
import { parseCometHeight, parseUpgradeInfo, parseVisorStatus } from '../src/upgrade/sources.js';
import { restartDelayMs } from '../src/upgrade/version-run.js';
import { UpgradeSourceFailed, VisorConfigInvalid } from '../src/errors.js';
import { runCli } from './cli-harness.js';
import { makeHome } from './visor-helpers.js';

describe('config.json', () => {
  it('Visor\'s defaults when fields are absent', () => {
    const c = parseConfig('{}');
    expect(c).toEqual(defaultConfig());
    expect([c.maxNumberOfRestarts, c.restartsDelaySeconds, c.stopSignalTimeoutSeconds, c.stopDelaySeconds, c.pollIntervalSeconds, c.maxFailedPolls])
      .toEqual([3, 5, 15, 0, 2, 10]);
  });

  it.each([
    ['not json', 'not JSON'],
    ['[]', 'must be an object'],
    ['{"maxNumberOfRestarts": -1}', 'maxNumberOfRestarts must be an integer from 0'],
    ['{"maxNumberOfRestarts": 1.5}', 'maxNumberOfRestarts'],
    ['{"restartsDelaySeconds": 10, "maxRestartsDelaySeconds": 5}', 'maxRestartsDelaySeconds'],
    ['{"surprise": 1}', 'surprise is not a known field'],
    ['{"upgradeFolders": {"v2": "../outside"}}', 'upgradeFolders.v2'],
    ['{"upgradeFolders": {"../x": "ok"}}', 'upgradeFolders.../x'],
    ['{"statusUrl": "file:///etc/passwd"}', 'statusUrl must be an http'],
    ['{"plan": [{"release": "v2", "height": 10}, {"release": "v3", "height": 10}]}', 'plan[1].height must be above'],
    ['{"plan": [{"release": "v2", "height": 0}]}', 'plan[0].height'],
    ['{"plan": [{"release": "v2", "height": 5, "checkpoint": {"formatVersion": 9}}]}', '9 cannot be written'],
    ['{"autoInstall": {"enabled": true}}', 'urlTemplate is required'],
    ['{"autoInstall": {"checksums": {"v2": {"bin/node": "abc"}}}}', 'autoInstall.checksums.v2.bin/node'],
    ['{"autoInstall": {"files": ["../../etc/passwd"]}}', 'autoInstall.files[0]'],
    ['{"backup": {"dataFolder": "/var/lib"}}', 'backup.dataFolder'],
    ['{"preUpgrade": {"path": "hook", "maxRetries": -2}}', 'preUpgrade.maxRetries'],
    [JSON.stringify({ plan: Array.from({ length: 1001 }, (_, i) => ({ release: `v${i}`, height: i + 1 })) }), 'at most 1000'],
  ])('%s is refused naming the field', (text, needle) => {
    expect(() => parseConfig(text)).toThrow(VisorConfigInvalid);
    expect(() => parseConfig(text)).toThrow(needle);
  });

  it('checkpoint settings apply from their height on, later entries overriding earlier ones', () => {
    const { plan } = parseConfig(JSON.stringify({ plan: [
      { release: 'v2', height: 100, checkpoint: { maxChunkBytes: 4096 } },
      { release: 'v3', height: 200 },
      { release: 'v4', height: 300, checkpoint: { maxChunkBytes: 8192, formatVersion: 1 } },
    ] }));
    expect(checkpointSettingsAt(plan, 99)).toEqual({});
    expect(checkpointSettingsAt(plan, 100)).toEqual({ maxChunkBytes: 4096 });
    expect(checkpointSettingsAt(plan, 299)).toEqual({ maxChunkBytes: 4096 });
    expect(checkpointSettingsAt(plan, 300)).toEqual({ maxChunkBytes: 8192, formatVersion: 1 });
  });
});

describe('run-config.json', () => {
  const ok = { name: 'v2', processes: [{ name: 'core', binary: { path: 'vega', args: ['node'] } }, { name: 'data', binary: { path: 'data-node' }, env: { A: '1' }, cwd: 'x' }] };

  it('reads processes with optional env and cwd', () => {
    expect(parseRunConfig(JSON.stringify(ok), 'rc').processes.map((p) => [p.name, p.binary.args, p.env, p.cwd]))
      .toEqual([['core', ['node'], undefined, undefined], ['data', [], { A: '1' }, 'x']]);
  });

  it.each([
    [{ processes: [] }, 'processes must be an array of 1 to 32'],
    [{ processes: [{ name: 'a', binary: { path: 'x' } }, { name: 'a', binary: { path: 'y' } }] }, 'repeats "a"'],
    [{ processes: [{ name: 'a', binary: { path: '' } }] }, 'binary.path'],
    [{ processes: [{ name: 'a', binary: { path: 'x', args: [1] } }] }, 'binary.args[0]'],
    [{ processes: [{ name: 'a', binary: { path: 'x' }, env: { 'BAD-NAME': 'v' } }] }, 'env.BAD-NAME'],
  ])('%j is refused', (value, needle) => {
    expect(() => parseRunConfig(JSON.stringify(value), 'rc')).toThrow(needle);
  });
});

describe('upgrade answers', () => {
  it('Visor status: no accepted release, accepted, ready', () => {
    expect(parseVisorStatus({ acceptedReleaseInfo: null, readyToUpgrade: false }, 's')).toBeUndefined();
    expect(parseVisorStatus({ acceptedReleaseInfo: { vegaReleaseTag: '', upgradeBlockHeight: 0 }, readyToUpgrade: false }, 's')).toBeUndefined();
    expect(parseVisorStatus({ acceptedReleaseInfo: { vegaReleaseTag: 'v0.74.1', upgradeBlockHeight: '12345' }, readyToUpgrade: true }, 's'))
      .toEqual({ release: 'v0.74.1', height: 12345, source: 'status', ready: true });
  });

  it('cosmovisor upgrade-info.json and CometBFT /status', () => {
    expect(parseUpgradeInfo('{"name":"v7","time":"0001-01-01T00:00:00Z","height":7000,"info":"{}"}', 'f'))
      .toEqual({ release: 'v7', height: 7000, source: 'upgrade-info', ready: true });
    expect(parseCometHeight({ jsonrpc: '2.0', id: -1, result: { sync_info: { latest_block_height: '42' } } }, 'u')).toBe(42);
  });

  it.each([
    () => parseUpgradeInfo('{"name":"a/b","height":1}', 'f'),
    () => parseUpgradeInfo('{"name":"v2","height":"1e3"}', 'f'),
    () => parseUpgradeInfo('{"name":"v2","height":1,"info":{}}', 'f'),
    () => parseUpgradeInfo('nope', 'f'),
    () => parseCometHeight({ result: { sync_info: { latest_block_height: '99999999999999999' } } }, 'u'),
    () => parseCometHeight({ result: [] }, 'u'),
    () => parseVisorStatus({ acceptedReleaseInfo: 'v2', readyToUpgrade: true }, 's'),
  ])('malformed answer %# is an UpgradeSourceFailed', (f) => {
    expect(f).toThrow(UpgradeSourceFailed);
  });

  it('restart delays double and are capped', () => {
    const c = { restartsDelaySeconds: 5, maxRestartsDelaySeconds: 60 };
    expect([1, 2, 3, 4, 5, 6, 100, 2000].map((n) => restartDelayMs(n, c))).toEqual([5000, 10000, 20000, 40000, 60000, 60000, 60000, 60000]);
  });
});

describe('lightsnap visor (CLI)', () => {
  it('init, status and run --dry-run, in text and JSON', async () => {
    const home = join(await mkdtemp(join(tmpdir(), 'lightsnap-visor-cli-')), 'home');
    const init = await runCli('visor', 'init', home);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('created config.json');
    expect((await runCli('visor', 'init', home)).stdout).toContain('kept config.json');
    const config = JSON.parse(await readFile(join(home, 'config.json'), 'utf8'));
    Object.assign(config, {
      plan: [{ release: 'v2', height: 100 }, { release: 'v3', height: 200 }], heightUrl: 'http://127.0.0.1:1/status',
      backup: { dataFolder: 'data' }, preUpgrade: { path: 'hook', args: ['pre-upgrade'], maxRetries: 2 },
      autoInstall: { enabled: true, urlTemplate: 'https://example.org/{release}/{file}', checksums: { v3: { 'run-config.json': 'a'.repeat(64) } } },
    });
    await writeFile(join(home, 'config.json'), JSON.stringify(config));
    await mkdir(join(home, 'v2'));
    await writeFile(join(home, 'v2', 'run-config.json'), JSON.stringify({ processes: [{ name: 'core', binary: { path: '/bin/true' } }] }));
    const dry = await runCli('visor', 'run', home, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('would start node: node start');
    expect(dry.stdout).toContain('at height 100: upgrade to v2');
    expect(dry.stdout).toContain('back up data to');
    expect(dry.stdout).toContain('retry up to 2 time(s)');
    expect(dry.stdout).toContain('at height 200: upgrade to v3');
    expect(dry.stdout).toContain('fetch 1 file(s) into v3');
    expect(dry.stdout).toContain('stop core');
    const json = JSON.parse((await runCli('visor', 'run', home, '--dry-run', '--json')).stdout);
    expect(json.upgrades.map((u: { release: string; folderState: string }) => [u.release, u.folderState])).toEqual([['v2', 'present'], ['v3', 'install']]);
    const status = await runCli('visor', 'status', home, '--json');
    expect(JSON.parse(status.stdout)).toMatchObject({ current: 'genesis', supervisor: null, nextUpgrade: { release: 'v2', height: 100 } });
    expect((await runCli('visor', 'status', home)).stdout).toContain('next upgrade: v2 at height 100');
  });

  it('errors: usage 2, a missing home 4, a broken config 4 naming the field', async () => {
    expect((await runCli('visor')).code).toBe(2);
    expect((await runCli('visor', 'fly', '/tmp')).code).toBe(2);
    expect((await runCli('visor', 'status', '/tmp', '--dry-run')).code).toBe(2);
    const missing = await runCli('visor', 'status', join(tmpdir(), 'no-such-visor-home'));
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('VisorConfigInvalid');
    const { home } = await makeHome({ stopSignalTimeoutSeconds: 'long' }, {});
    const broken = await runCli('visor', 'run', home);
    expect(broken.code).toBe(4);
    expect(broken.stderr).toContain('stopSignalTimeoutSeconds');
  });
});
