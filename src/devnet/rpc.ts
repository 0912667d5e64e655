// The CometBFT RPC endpoints a light client needs, answered from a DevChain: `/status`,
// `/commit?height=`, `/validators?height=&page=&per_page=`, as JSON-RPC envelopes the way a
// CometBFT node writes them (errors as HTTP 500 with a JSON-RPC error). Pure: the devnet
// server (Node) and the tests (a fetch double, any runtime) both use it.
import { toHexUpper } from '../hex.js';
import { commitJson, headerJson, validatorSetJson } from '../light/json.js';
import { formatTime } from '../light/time.js';
import type { DevChain } from './chain.js';

export interface RpcAnswer {
  status: number;
  body: string;
}

const ok = (result: unknown): RpcAnswer => ({ status: 200, body: JSON.stringify({ jsonrpc: '2.0', id: -1, result }) });
const error = (message: string, data: string): RpcAnswer => ({
  status: 500, body: JSON.stringify({ jsonrpc: '2.0', id: -1, error: { code: -32603, message, data } }),
});

/** Answers `url` (its path and query) for `chain`, whose latest committed height is `latest()`. */
export function devnetRpc(chain: DevChain, latest: () => number): (url: URL) => RpcAnswer | undefined {
  function height(url: URL): number | RpcAnswer {
    const raw = url.searchParams.get('height');
    const top = latest();
    if (raw === null || raw === '' || raw === '0') return top;
    const h = Number(raw);
    if (!Number.isSafeInteger(h) || h < 1) return error('Invalid params', `height must be a positive integer, got ${raw}`);
    if (h > top) return error('Internal error', `height ${h} must be less than or equal to the current blockchain height ${top}`);
    return h;
  }
  return (url) => {
    const route = url.pathname.replace(/^.*\//, '');
    if (route === 'status') {
      const top = latest();
      const header = chain.header(top);
      return ok({
        node_info: { network: chain.spec.chainId, moniker: 'lightsnap-devnet', version: '0.38.0' },
        sync_info: {
          latest_block_hash: toHexUpper(chain.hash(top)), latest_app_hash: toHexUpper(header.appHash),
          latest_block_height: String(top), latest_block_time: formatTime(header.time), catching_up: false,
        },
      });
    }
    if (route === 'commit') {
      const h = height(url);
      if (typeof h !== 'number') return h;
      const header = chain.header(h);
      return ok({ signed_header: { header: headerJson(header), commit: commitJson(chain.commit(h, header)) }, canonical: true });
    }
    if (route === 'validators') {
      const h = height(url);
      if (typeof h !== 'number') return h;
      const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
      const all = validatorSetJson(chain.validators(h).set).validators;
      const slice = all.slice((page - 1) * perPage, page * perPage);
      if (slice.length === 0) return error('Internal error', `page should be within [1, ${Math.ceil(all.length / perPage)}] range, given ${page}`);
      return ok({ block_height: String(h), validators: slice, count: String(slice.length), total: String(all.length) });
    }
    return undefined;
  };
}
