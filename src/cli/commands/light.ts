// `lightsnap light verify`: verify a CometBFT chain's header at a height from a trusted height
// and hash, with the light client over the RPC (witnesses cross-checking every header). The last
// stdout line is the proven app hash, ready for `--root`.
import type { Command } from '../command.js';
import { intOption, parse } from '../args.js';
import { usageError } from '../errors.js';
import { LightClient } from '../../light/client.js';
import { rpcProvider } from '../../light/rpc-provider.js';
import { toHex } from '../../hex.js';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3600_000 };

/** A Go-style duration (`336h`, `90m`, `30s`) in milliseconds. */
function durationOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const m = DURATION.exec(value);
  if (!m || Number(m[1]) <= 0) throw usageError(`--${name} must be a duration such as 336h, 90m or 30s, got ${JSON.stringify(value)}`);
  return Number(m[1]) * UNIT_MS[m[2]];
}

function urlOption(value: string, name: string): string {
  if (!/^https?:\/\/[^\s]+$/i.test(value)) throw usageError(`--${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
  return value;
}

const verify: Command = {
  summary: 'verify a CometBFT header from a trusted height and hash; prints its app hash',
  usage: 'light verify --rpc URL [--witness URL]... --trusted-height H --trusted-hash HEX --height H2 '
    + '[--trusting-period 168h] [--sequential] [--json]',
  async run(args, io) {
    const { values, positionals } = parse(args, {
      rpc: { type: 'string' }, witness: { type: 'string', multiple: true }, 'trusted-height': { type: 'string' },
      'trusted-hash': { type: 'string' }, height: { type: 'string' }, 'trusting-period': { type: 'string' },
      sequential: { type: 'boolean' }, json: { type: 'boolean' },
    }, this.usage);
    if (positionals.length) throw usageError(`unexpected argument ${JSON.stringify(positionals[0])}\nusage: lightsnap ${this.usage}`);
    if (!values.rpc) throw usageError(`--rpc URL is required: the primary's CometBFT RPC\nusage: lightsnap ${this.usage}`);
    const trustedHeight = intOption(values['trusted-height'], 'trusted-height', 1, Number.MAX_SAFE_INTEGER);
    if (trustedHeight === undefined) throw usageError(`--trusted-height is required\nusage: lightsnap ${this.usage}`);
    const hash = values['trusted-hash'];
    if (!hash || !/^(0x)?[0-9a-fA-F]{64}$/.test(hash)) throw usageError(`--trusted-hash must be the 64 hex digits of the trusted header's hash`);
    const height = intOption(values.height, 'height', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const primary = rpcProvider(urlOption(values.rpc, 'rpc'));
    const witnesses = (values.witness ?? []).map((w) => rpcProvider(urlOption(w, 'witness')));
    const client = await LightClient.create({
      primary, witnesses, trust: { height: trustedHeight, hash: hash.replace(/^0x/, '') },
      trustingPeriodMs: durationOption(values['trusting-period'], 'trusting-period') ?? 168 * 3600_000,
      sequential: values.sequential ?? false,
      onEvent: (e) => {
        if (e.type === 'witness-dropped') io.stderr.write(`witness ${e.witness} dropped: ${e.reason}\n`);
      },
    });
    const v = await client.verifyTo(height);
    const appHash = toHex(v.appHash);
    if (values.json) {
      io.stdout.write(JSON.stringify({
        height: v.height, hash: v.hash, time: v.time, appHash, chainId: v.lightBlock.signedHeader.header.chainId,
        trustedHeight, droppedWitnesses: client.droppedWitnesses,
      }) + '\n');
      return 0;
    }
    io.stdout.write(`verified header ${v.height} (${v.time}) of ${v.lightBlock.signedHeader.header.chainId}: ${v.hash}\n`);
    io.stdout.write(`from trusted height ${trustedHeight}, cross-checked with ${witnesses.length - client.droppedWitnesses.length} witness(es)\n`);
    io.stdout.write(`app hash:\n${appHash}\n`);
    return 0;
  },
};

export const lightCommand: Command = {
  summary: 'CometBFT light client: `light verify` proves a header and its app hash',
  usage: verify.usage,
  async run(args, io) {
    if (args[0] !== 'verify') throw usageError(`unknown light subcommand ${JSON.stringify(args[0] ?? '')}\nusage: lightsnap ${verify.usage}`);
    return verify.run(args.slice(1), io);
  },
};
