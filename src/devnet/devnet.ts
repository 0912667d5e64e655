// `lightsnap devnet`: a small CometBFT-shaped chain to try the light client on (Node). Real
// ed25519 keys (node:crypto, from fixed seeds), a validator set that changes every few heights,
// a header every height whose app hash is the root of that height's state, a checkpoint of the
// state at chosen heights; served over HTTP: the CometBFT RPC endpoints a light client needs
// (/status, /commit, /validators) and the checkpoints under /checkpoints/<height>/.
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { createCheckpoint } from '../checkpoint/create.js';
import { toHex, toHexUpper } from '../hex.js';
import type { ProgressListener } from '../progress.js';
import { fromMillis, type Nanos } from '../light/time.js';
import { serveDirectory } from '../net/serve.js';
import { fsStore } from '../store/fs.js';
import { MemoryTree } from '../tree/memory-tree.js';
import type { Pair } from '../tree/pairs.js';
import { DevChain, type DevValidator } from './chain.js';
import { devnetRpc } from './rpc.js';

/** PKCS#8 DER of an ed25519 private key, before its 32-byte seed (RFC 8410). */
const PKCS8_ED25519_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);

/** A validator signing with node:crypto, its key derived from `name`. */
export function nodeValidator(name: string, votingPower: bigint): DevValidator {
  const seed = new Uint8Array(32);
  new TextEncoder().encodeInto(name.padEnd(32, '.').slice(0, 32), seed);
  const der = new Uint8Array(PKCS8_ED25519_PREFIX.length + 32);
  der.set(PKCS8_ED25519_PREFIX);
  der.set(seed, PKCS8_ED25519_PREFIX.length);
  const key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  const pubKey = new Uint8Array(createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32));
  return { pubKey, votingPower, sign: (message) => new Uint8Array(sign(null, message, key)) };
}

export interface DevnetOptions {
  /** The state at height 1 (the demo's sample); each height then changes a few keys. */
  state: readonly Pair[];
  /** Heights in the chain (default 100); the last is about `now`. */
  heights?: number;
  /** Heights whose state gets a checkpoint (default: the last). */
  checkpointHeights?: number[];
  /** Heights between validator-set changes (default 10). */
  epoch?: number;
  /** Where the checkpoints are written. */
  dir: string;
  port?: number;
  host?: string;
  chainId?: string;
  /** The time of the last height (default: now). */
  now?: number;
  onProgress?: (message: string) => void;
  /** Progress of creating each checkpoint. */
  onCreateProgress?: ProgressListener;
}

export interface Devnet {
  url: string;
  chainId: string;
  heights: number;
  /** A trust root: height 1 and its header hash (uppercase hex). */
  genesis: { height: number; hash: string };
  checkpoints: Array<{ height: number; root: string; url: string }>;
  chain: DevChain;
  server: Server;
  close(): Promise<void>;
}

const enc = new TextEncoder();

/** The keys a height changes: a block counter and one account, so every height has its own root. */
function changesAt(height: number, keys: number): Pair[] {
  const value = new Uint8Array(8);
  new DataView(value.buffer).setBigUint64(0, BigInt(height));
  return [
    { key: enc.encode('chain/height'), value },
    { key: enc.encode(`account/${String(height % Math.max(1, keys)).padStart(7, '0')}/nonce`), value },
  ];
}

/** The state at `height`: the initial state with every height's changes up to it applied. */
function stateAt(initial: readonly Pair[], height: number): Pair[] {
  const byKey = new Map<string, Pair>();
  for (const p of initial) byKey.set(toHex(p.key), p);
  for (let h = 2; h <= height; h++) for (const p of changesAt(h, initial.length)) byKey.set(toHex(p.key), p);
  return [...byKey.values()];
}

export async function startDevnet(options: DevnetOptions): Promise<Devnet> {
  const heights = options.heights ?? 100;
  const epoch = options.epoch ?? 10;
  const chainId = options.chainId ?? 'lightsnap-devnet';
  const say = options.onProgress ?? (() => {});
  // A pool of validators; each epoch the set moves on by one (one leaves, one joins) and the
  // powers shift, so consecutive sets overlap and skipping verification has something to do.
  const pool = Array.from({ length: 16 }, (_, i) => i);
  const setOf = new Map<number, DevValidator[]>();
  const validatorsAt = (height: number) => {
    const e = Math.floor((height - 1) / epoch);
    let set = setOf.get(e);
    if (!set) {
      set = [0, 1, 2, 3].map((j) => nodeValidator(`devnet-validator-${pool[(e + j) % pool.length]}`, BigInt(10 + ((e + j) % 4) * 10)));
      setOf.set(e, set);
    }
    return set;
  };
  say(`computing the state root of each of ${heights} heights`);
  const tree = new MemoryTree();
  const roots: Uint8Array[] = [tree.apply(options.state)];
  for (let h = 2; h <= heights; h++) roots.push(tree.apply(changesAt(h, options.state.length)));
  const lastTime: Nanos = fromMillis(options.now ?? Date.now()) - 1_000_000_000n;
  const chain = new DevChain({
    chainId, validatorsAt,
    genesisTime: lastTime - BigInt(heights - 1) * 1_000_000_000n,
    appHashAt: (h) => roots[Math.min(h, heights) - 1],
  });
  const checkpoints: Devnet['checkpoints'] = [];
  const site = options.dir;
  await mkdir(join(site, 'checkpoints'), { recursive: true });
  for (const height of options.checkpointHeights ?? [heights]) {
    say(`creating the checkpoint of height ${height}`);
    const created = await createCheckpoint(stateAt(options.state, height), {
      store: fsStore(join(site, 'checkpoints', String(height))), version: height, onProgress: options.onCreateProgress,
    });
    if (created.manifest.root !== toHex(roots[height - 1])) throw new Error(`devnet: the checkpoint root of height ${height} is not its app hash`);
    checkpoints.push({ height, root: created.manifest.root, url: '' });
  }
  const rpc = devnetRpc(chain, () => heights);
  const { server, url } = await serveDirectory(site, { port: options.port, host: options.host, answer: rpc });
  for (const c of checkpoints) c.url = `${url}checkpoints/${c.height}/`;
  return {
    url, chainId, heights, chain, server, checkpoints,
    genesis: { height: 1, hash: toHexUpper(chain.hash(1)) },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

