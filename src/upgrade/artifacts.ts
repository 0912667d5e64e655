// Auto-install of a release's folder: each file fetched from the URL template, streamed to a
// temporary folder while hashed, checked against the SHA-256 the config names, and only then
// renamed into place. Nothing is switched to a folder that did not check out, so a bad
// download leaves the old version running.
import { createHash } from 'node:crypto';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { syncDir } from '../store/fs.js';
import type { AutoInstall } from './config.js';
import { ArtifactRefused } from '../errors.js';
import { pieces } from '../chunk/stream.js';

/** One request may take this long, body included. */
const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

export function artifactUrl(template: string, release: string, file: string): string {
  return template.replaceAll('{release}', encodeURIComponent(release)).replaceAll('{file}', file);
}

/** Refuses up front a release whose files lack checksums (unless allowed). */
export function missingChecksums(auto: AutoInstall, release: string): string[] {
  return auto.files.filter((f) => !auto.checksums[release]?.[f]);
}

async function download(url: string, path: string, maxBytes: number, signal?: AbortSignal): Promise<string> {
  const timeout = AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (err) {
    throw new ArtifactRefused(`${url}: ${(err as Error).message}`, { cause: err });
  }
  if (res.status !== 200 || !res.body) {
    await res.body?.cancel();
    throw new ArtifactRefused(`${url} answered ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body.cancel();
    throw new ArtifactRefused(`${url} is ${declared} bytes, over autoInstall.maxFileBytes (${maxBytes})`);
  }
  const hash = createHash('sha256');
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, 'w', 0o755);
  try {
    let total = 0;
    for await (const part of pieces(res.body)) {
      total += part.length;
      if (total > maxBytes) throw new ArtifactRefused(`${url} sent more than autoInstall.maxFileBytes (${maxBytes})`);
      hash.update(part);
      await handle.write(part);
    }
    await handle.sync();
  } catch (err) {
    if (err instanceof ArtifactRefused) throw err;
    throw new ArtifactRefused(`${url}: ${(err as Error).message}`, { cause: err });
  } finally {
    await handle.close();
    await res.body.cancel().catch(() => undefined);
  }
  return hash.digest('hex');
}

/**
 * Installs `release` into HOME/`folder`. Throws ArtifactRefused — and leaves no folder — when a
 * checksum is missing (and not allowed), a download fails, or a file's SHA-256 differs.
 */
export async function installRelease(home: string, folder: string, release: string, auto: AutoInstall, signal?: AbortSignal): Promise<void> {
  if (!auto.urlTemplate) throw new ArtifactRefused(`release ${release}: autoInstall.urlTemplate is not set`);
  const missing = missingChecksums(auto, release);
  if (missing.length > 0 && !auto.allowMissingChecksum) {
    throw new ArtifactRefused(`release ${release}: no SHA-256 in autoInstall.checksums for ${missing.join(', ')} (set autoInstall.allowMissingChecksum to install without)`);
  }
  const temp = join(home, `.install-${folder}.${process.pid}.partial`);
  await rm(temp, { recursive: true, force: true });
  try {
    for (const file of auto.files) {
      const url = artifactUrl(auto.urlTemplate, release, file);
      const digest = await download(url, join(temp, file), auto.maxFileBytes, signal);
      const expected = auto.checksums[release]?.[file];
      if (expected !== undefined && digest !== expected) {
        throw new ArtifactRefused(`release ${release}: ${file} from ${url} has SHA-256 ${digest}, the config says ${expected}`);
      }
      await chmod(join(temp, file), file.endsWith('.json') ? 0o644 : 0o755);
    }
    await syncDir(temp);
    await rename(temp, join(home, folder));
    await syncDir(home);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
