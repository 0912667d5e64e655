// A light-block provider over the CometBFT RPC (HTTP GET, JSON-RPC answers): `/commit?height=`
// for the signed header, `/validators?height=&page=&per_page=` page by page for the validator
// set, `/status` for the chain's latest height. Requests go through httpSource (timeouts,
// retries with backoff, a bound on the bytes read). Every answer is untrusted: its envelope,
// page counts and heights are checked here, the light block itself by the client.
import { LightBlockMalformed, ProviderUnavailable, SourceUnavailable, CheckpointError } from '../errors.js';
import { httpSource, type HttpSourceOptions } from '../net/http-source.js';
import { MAX_VALIDATORS } from './decode.js';
import type { Provider } from './provider.js';

export interface RpcProviderOptions extends HttpSourceOptions {
  /** Largest answer read, in bytes (default 16 MiB: a commit of 10,000 signatures is ~2 MiB). */
  maxResponseBytes?: number;
  /** Validators per `/validators` page (default 100, CometBFT's maximum). */
  perPage?: number;
}

export interface RpcProvider extends Provider {
  readonly name: string;
  /** `/status`: the chain id and the latest height the node has. */
  status(signal?: AbortSignal): Promise<{ chainId: string; latestHeight: number }>;
}

type Obj = Record<string, unknown>;

export function rpcProvider(url: string, options: RpcProviderOptions = {}): RpcProvider {
  const source = httpSource(url, options);
  const name = source.name;
  const maxBytes = options.maxResponseBytes ?? 16 * 1024 * 1024;
  const perPage = options.perPage ?? 100;
  const utf8 = new TextDecoder('utf-8', { fatal: true });

  /** The `result` of a JSON-RPC answer (CometBFT also answers bare results behind some proxies). */
  async function call(path: string, signal?: AbortSignal): Promise<Obj> {
    let bytes: Uint8Array;
    try {
      bytes = await source.fetch(path, { maxBytes, signal });
    } catch (err) {
      if (err instanceof SourceUnavailable) throw new ProviderUnavailable(name, `${path}: ${err.detail}`, { cause: err });
      if (err instanceof CheckpointError) {
        // Not found, or an answer over the size bound.
        throw new ProviderUnavailable(name, `${path}: ${err.detail}`, { cause: err });
      }
      throw err;
    }
    let body: unknown;
    try {
      body = JSON.parse(utf8.decode(bytes));
    } catch {
      throw new LightBlockMalformed(`${name}${path}`, 'the answer is not JSON');
    }
    if (typeof body !== 'object' || body === null) throw new LightBlockMalformed(`${name}${path}`, 'the answer is not a JSON object');
    const o = body as Obj;
    if (o.error !== undefined) {
      const e = (o.error ?? {}) as Obj;
      throw new ProviderUnavailable(name, `${path}: ${String(e.message ?? 'error')}${e.data ? ` (${String(e.data).slice(0, 200)})` : ''}`);
    }
    const result = 'result' in o ? o.result : o;
    if (typeof result !== 'object' || result === null) throw new LightBlockMalformed(`${name}${path}`, 'no result object');
    return result as Obj;
  }

  async function validators(height: number, signal?: AbortSignal): Promise<unknown[]> {
    const all: unknown[] = [];
    let total = Infinity;
    for (let page = 1; all.length < total; page++) {
      const path = `validators?height=${height}&page=${page}&per_page=${perPage}`;
      const r = await call(path, signal);
      const where = `${name}${path}`;
      const t = Number(r.total);
      if (!Number.isSafeInteger(t) || t < 1 || t > MAX_VALIDATORS) throw new LightBlockMalformed(`${where}.total`, `${String(r.total)} is not a validator count from 1 to ${MAX_VALIDATORS}`);
      if (total !== Infinity && t !== total) throw new LightBlockMalformed(`${where}.total`, `changed from ${total} to ${t} between pages`);
      total = t;
      if (String(r.block_height) !== String(height)) throw new LightBlockMalformed(`${where}.block_height`, `is ${String(r.block_height)}, asked for ${height}`);
      const list = r.validators;
      if (!Array.isArray(list) || list.length === 0 || list.length > perPage || all.length + list.length > total) {
        throw new LightBlockMalformed(`${where}.validators`, `expected 1 to ${Math.min(perPage, total - all.length)} validators`);
      }
      all.push(...list);
    }
    return all;
  }

  return {
    name,
    async lightBlock(height, signal) {
      const commit = await call(height === 0 ? 'commit' : `commit?height=${height}`, signal);
      const signedHeader = commit.signed_header as Obj | undefined;
      const header = signedHeader?.header as Obj | undefined;
      const h = Number(header?.height);
      if (!Number.isSafeInteger(h) || h < 1 || (height !== 0 && h !== height)) {
        throw new LightBlockMalformed(`${name}commit?height=${height}.signed_header.header.height`, `is ${String(header?.height)}, asked for ${height}`);
      }
      return { signed_header: signedHeader, validator_set: { validators: await validators(h, signal) } };
    },
    async status(signal) {
      const r = await call('status', signal);
      const info = (r.sync_info ?? {}) as Obj;
      const node = (r.node_info ?? {}) as Obj;
      const latestHeight = Number(info.latest_block_height);
      if (!Number.isSafeInteger(latestHeight) || latestHeight < 0) throw new LightBlockMalformed(`${name}status.sync_info.latest_block_height`, 'expected a height');
      if (typeof node.network !== 'string') throw new LightBlockMalformed(`${name}status.node_info.network`, 'expected the chain id');
      return { chainId: node.network, latestHeight };
    },
  };
}
