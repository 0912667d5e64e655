// HTTP reads of untrusted answers: bounded in bytes and time.
import { UpgradeSourceFailed } from '../errors.js';
import { pieces } from '../chunk/stream.js';

/** Largest answer read from a status or height URL, or upgrade-info.json. */
export const MAX_ANSWER_BYTES = 64 << 10;

/** The JSON value of an answer's text; UpgradeSourceFailed when it is not JSON. */
export function parseAnswer(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UpgradeSourceFailed(`${where} did not answer JSON`);
  }
}

/** GETs `url` and parses its JSON body, reading at most MAX_ANSWER_BYTES within `timeoutMs`. */
export async function fetchJson(url: string, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, redirect: 'error' });
    if (res.status !== 200 || !res.body) {
      await res.body?.cancel();
      throw new UpgradeSourceFailed(`${url} answered ${res.status}`);
    }
    const parts: Uint8Array[] = [];
    let total = 0;
    try {
      for await (const part of pieces(res.body)) {
        total += part.length;
        if (total > MAX_ANSWER_BYTES) throw new UpgradeSourceFailed(`${url} sent more than ${MAX_ANSWER_BYTES} bytes`);
        parts.push(part);
      }
    } finally {
      await res.body.cancel().catch(() => undefined); // what is left unread, when the bound was hit
    }
    return parseAnswer(Buffer.concat(parts).toString('utf8'), url);
  } catch (err) {
    if (err instanceof UpgradeSourceFailed) throw err;
    throw new UpgradeSourceFailed(`${url}: ${timeout.aborted ? `no answer within ${timeoutMs} ms` : (err as Error).message}`, { cause: err });
  }
}
