// A checkpoint served over HTTP(S) by any static host: per-request timeouts, retries with
// exponential backoff for transient failures, and a hard bound on the bytes read. Limits apply
// to the decoded bytes as they arrive, so a CDN that compresses (Content-Encoding) is fine.
import { concatBytes } from '../bytes.js';
import type { FetchOptions, Source } from './source.js';
import { describePath, notFound } from './source.js';
import { ChunkCorrupted, InvalidArgument, SourceUnavailable } from '../errors.js';

export interface HttpSourceOptions {
  /** Milliseconds one request may take, body included (default 30 000). */
  timeoutMs?: number;
  /** Extra attempts after a transient failure (default 3). */
  retries?: number;
  /** First backoff delay in ms, doubled each retry (default 200). */
  backoffMs?: number;
  /** The fetch to use (default globalThis.fetch). */
  fetch?: typeof globalThis.fetch;
}

class Transient extends Error {}

/** What the body is read in when the server does not say its size (and after it said too little). */
const PIECE = 1 << 16;

/**
 * The body, read into buffers of its own (a byte stream's BYOB reader): the size the server
 * announced (Content-Length) when it is within `maxBytes`, then pieces of at most what the
 * bound still allows plus one byte, so a body of exactly the announced size ends up in one
 * whole buffer (no joining copy, and a worker pool can move it as it is), and a body over the
 * bound is refused after reading at most one byte too many.
 */
async function readBounded(res: Response, maxBytes: number, where: string, source: string): Promise<Uint8Array> {
  // Only the decoded bytes are counted, never Content-Length: with an encoding it counts the
  // compressed bytes, and a browser may hide the Content-Encoding that says so (CORS). The
  // announced size only chooses the first buffer, which the bound caps.
  if (!res.body) return new Uint8Array(0);
  const reader = byobReader(res.body);
  if (!reader) return readPieces(res.body.getReader(), maxBytes, where, source);
  const announced = Number(res.headers.get('content-length'));
  let size = Number.isInteger(announced) && announced > 0 && announced <= maxBytes ? announced : Math.min(PIECE, maxBytes + 1);
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { bytes, done } = await fill(reader, size);
    total += bytes.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new ChunkCorrupted(`${where} sent more than the ${maxBytes} bytes expected`, { source });
    }
    if (bytes.length) parts.push(bytes);
    if (done) return parts.length === 1 ? parts[0] : concatBytes(parts);
    size = Math.min(PIECE, maxBytes + 1 - total);
  }
}

/** A BYOB reader of `body`, or undefined where a body is not a byte stream (a Response made from another stream). */
function byobReader(body: ReadableStream<Uint8Array>): ReadableStreamBYOBReader | undefined {
  try {
    return body.getReader({ mode: 'byob' });
  } catch {
    return undefined;
  }
}

/** Reads into a new buffer of `size` bytes until it is full or the body ends (then the bytes read are a view of it). */
async function fill(reader: ReadableStreamBYOBReader, size: number): Promise<{ bytes: Uint8Array; done: boolean }> {
  let buffer = new ArrayBuffer(size);
  let at = 0;
  while (at < size) {
    // Each read moves the buffer into the stream and hands it back with the bytes in it.
    const { done, value } = await reader.read(new Uint8Array(buffer, at));
    if (done) return { bytes: new Uint8Array(value?.buffer ?? new ArrayBuffer(0), 0, value ? at : 0), done: true };
    buffer = value.buffer as ArrayBuffer;
    at += value.length;
  }
  return { bytes: new Uint8Array(buffer), done: false };
}

/** The body read piece by piece as the stream hands them out, then joined (one copy). */
async function readPieces(reader: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number, where: string, source: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new ChunkCorrupted(`${where} sent more than the ${maxBytes} bytes expected`, { source });
    }
    parts.push(value);
  }
  return parts.length === 1 ? parts[0] : concatBytes(parts);
}

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); }, { once: true });
});

/** `baseUrl` as a base for relative paths; a malformed URL is the caller's mistake, not the network's. */
function checkedBase(baseUrl: string): string {
  if (typeof baseUrl !== 'string') throw new InvalidArgument('httpSource: the base URL must be a string');
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new InvalidArgument(`not a URL: ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgument(`${JSON.stringify(baseUrl)}: only http: and https: URLs are sources`);
  }
  if (url.username || url.password) {
    throw new InvalidArgument(`${url.host}: a URL with a user name or password cannot be fetched (put credentials in the fetch option)`);
  }
  return baseUrl.endsWith('/') ? baseUrl : baseUrl + '/';
}

/** A redirect loop, or too many redirects: fetch gives up on its own, and asking again will not help. */
const isRedirectLoop = (err: unknown) => /redirect/i.test(String((err as { cause?: Error })?.cause?.message ?? ''));

export function httpSource(baseUrl: string, options: HttpSourceOptions = {}): Source {
  const base = checkedBase(baseUrl);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 200;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);

  async function attempt(path: string, opts: FetchOptions): Promise<Uint8Array> {
    const where = describePath(base, path);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await doFetch(new URL(path, base), { signal });
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      if (isRedirectLoop(err)) throw new SourceUnavailable(`${where}: ${(err as { cause: Error }).cause.message}`, { source: base });
      throw new Transient(timeout.aborted ? `timed out after ${timeoutMs} ms` : String((err as Error).message ?? err));
    }
    if (res.status === 404 || res.status === 410) {
      await res.body?.cancel();
      throw notFound(path, `${where} answered ${res.status}`, base);
    }
    if (res.status >= 500 || res.status === 429 || res.status === 408) {
      await res.body?.cancel();
      throw new Transient(`answered ${res.status}`);
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new SourceUnavailable(`${where} answered ${res.status} ${res.statusText}`, { source: base });
    }
    try {
      return await readBounded(res, opts.maxBytes, where, base);
    } catch (err) {
      if (err instanceof ChunkCorrupted || opts.signal?.aborted) throw err;
      throw new Transient(timeout.aborted ? `timed out after ${timeoutMs} ms` : String((err as Error).message ?? err));
    }
  }

  return {
    name: base,
    async fetch(path, opts) {
      let last = '';
      for (let i = 0; i <= retries; i++) {
        if (i > 0) await sleep(backoffMs * 2 ** (i - 1), opts.signal);
        try {
          return await attempt(path, opts);
        } catch (err) {
          if (!(err instanceof Transient)) throw err;
          last = err.message;
        }
      }
      throw new SourceUnavailable(`${describePath(base, path)} failed ${retries + 1} times; last: ${last}`, { source: base });
    },
  };
}
