// The light client's errors (moved into src/errors.ts once that registry lands).
import { LightsnapError } from '../errors.js';

/** Untrusted light-client data (a light block, an RPC answer) does not have the expected shape; `path` says where. */
export class LightBlockMalformed extends LightsnapError {
  readonly path: string;
  constructor(path: string, message: string) {
    super('LightBlockMalformed', `${path}: ${message}`);
    this.name = 'LightBlockMalformed';
    this.path = path;
  }
}

/** A header failed verification (the INVALID verdict, or trust that cannot be reached); names the height. */
export class LightVerificationFailed extends LightsnapError {
  readonly height: number;
  readonly reason: string;
  readonly source?: string;
  constructor(height: number, reason: string, source?: string) {
    super('LightVerificationFailed', `header at height ${height}${source ? ` from ${source}` : ''} failed verification: ${reason}`);
    this.name = 'LightVerificationFailed';
    this.height = height;
    this.reason = reason;
    this.source = source;
  }
}

/** The trusted header is older than the trusting period: a new trust root is needed. */
export class TrustedHeaderExpired extends LightsnapError {
  constructor(message: string) {
    super('TrustedHeaderExpired', message);
    this.name = 'TrustedHeaderExpired';
  }
}

/**
 * A witness served a validly signed header different from the primary's at the same height:
 * a fork or an attack. Both light blocks are kept as evidence.
 */
export class ConflictingHeaders extends LightsnapError {
  readonly height: number;
  readonly primary: { source: string; hash: string; lightBlock: unknown };
  readonly witness: { source: string; hash: string; lightBlock: unknown };
  constructor(height: number, primary: ConflictingHeaders['primary'], witness: ConflictingHeaders['witness']) {
    super('ConflictingHeaders',
      `witness ${witness.source} has header ${witness.hash} at height ${height}, the primary ${primary.source} has ${primary.hash}`);
    this.name = 'ConflictingHeaders';
    this.height = height;
    this.primary = primary;
    this.witness = witness;
  }
}

/** A light-block provider could not answer (timeouts, connection errors, server errors, no such height). */
export class ProviderUnavailable extends LightsnapError {
  readonly source: string;
  constructor(source: string, message: string, options?: { cause?: unknown }) {
    super('ProviderUnavailable', `${source}: ${message}`, options);
    this.name = 'ProviderUnavailable';
    this.source = source;
  }
}
