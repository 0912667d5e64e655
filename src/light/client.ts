// The light client: from a trust root to any height, by CometBFT's light/client.go. Forward,
// by skipping verification (bisection: try the target, and while the trusted validators' power
// behind it is too small, try a pivot 9/16 of the way there) or sequentially; backward, by
// LastBlockID hashes. Verified blocks go to a light store. Every header the client comes to
// trust is compared with each witness: a witness that cannot answer is dropped (and named); a
// witness whose different header verifies from the same trust root is a fork or an attack, and
// stops the client with ConflictingHeaders carrying both headers.
import { equalBytes } from '../bytes.js';
import { ConflictingHeaders, InvalidArgument, LightBlockMalformed, LightVerificationFailed, ProviderUnavailable, TrustedHeaderExpired } from '../errors.js';
import { fromHex, toHexUpper } from '../hex.js';
import { memoryStore } from '../store/memory.js';
import type { Store } from '../store/store.js';
import { decodeLightBlock } from './decode.js';
import { headerHash, validatorSetHash } from './encoding.js';
import { lightBlockJson } from './json.js';
import { providerName, type Provider } from './provider.js';
import { LightStore } from './store.js';
import { formatTime, type Nanos } from './time.js';
import { BlockIdFlag, type LightBlock } from './types.js';
import {
  headerExpired, settings, toNanos, verifyDecoded, verifySelfSigned, type Settings, type TimeInput, type VerifyOptions,
} from './verify.js';

/** Where trust starts: a header known by height and hash (from a block explorer, a friend, genesis), or a light block. */
export type TrustRoot = { height: number; hash: string | Uint8Array } | { lightBlock: unknown };

export interface LightClientOptions extends Omit<VerifyOptions, 'now'> {
  primary: Provider;
  /** Other providers every verified header is compared with. */
  witnesses?: Provider[];
  trust: TrustRoot;
  /** Where verified light blocks are kept (default: in memory). */
  store?: Store;
  /** Most light blocks kept in the store (default 1000, as CometBFT). */
  pruningSize?: number;
  /** Verify every height in turn instead of skipping (default false). */
  sequential?: boolean;
  /** The current time, or a clock (default Date.now). */
  now?: TimeInput | (() => TimeInput);
  onEvent?: (event: LightClientEvent) => void;
}

export type LightClientEvent =
  | { type: 'verified'; height: number; hash: string }
  | { type: 'witness-dropped'; witness: string; reason: string };

export interface VerifiedHeader {
  height: number;
  /** The header hash, uppercase hex (as CometBFT prints it). */
  hash: string;
  appHash: Uint8Array;
  /** RFC 3339. */
  time: string;
  /** The voting power of the validators whose Commit votes the block carries, of their set's total. */
  signedPower: bigint;
  totalPower: bigint;
  lightBlock: LightBlock;
}

const PIVOT_NUMERATOR = 9;
const PIVOT_DENOMINATOR = 16;
const HEX = toHexUpper;

function describe(block: LightBlock): VerifiedHeader {
  const h = block.signedHeader.header;
  const vals = block.validatorSet!;
  const signedPower = block.signedHeader.commit.signatures.reduce(
    (n, s, i) => (s.blockIdFlag === BlockIdFlag.Commit ? n + vals.validators[i].votingPower : n), 0n);
  return {
    height: h.height, hash: HEX(block.signedHeader.commit.blockId.hash), appHash: h.appHash, time: formatTime(h.time),
    signedPower, totalPower: vals.totalVotingPower, lightBlock: block,
  };
}

const heightArg = (height: unknown, what: string) => {
  if (!Number.isSafeInteger(height) || (height as number) < 0) throw new InvalidArgument(`${what} must be a non-negative integer, got ${String(height)}`);
  return height as number;
};

export class LightClient {
  private readonly settings: Settings;
  private readonly store: LightStore;
  private readonly witnesses: Provider[];
  private readonly dropped: Array<{ witness: string; reason: string }> = [];
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly options: LightClientOptions) {
    this.settings = settings(options);
    this.store = new LightStore(options.store ?? memoryStore(), options.pruningSize ?? 1000);
    this.witnesses = [...(options.witnesses ?? [])];
  }

  /** A client whose trust root is checked (fetched from the primary when given by height and hash) and stored. */
  static async create(options: LightClientOptions): Promise<LightClient> {
    if (typeof options !== 'object' || options === null || typeof options.primary?.lightBlock !== 'function') {
      throw new InvalidArgument('options.primary must be a provider ({ lightBlock(height) })');
    }
    if (options.witnesses !== undefined && (!Array.isArray(options.witnesses) || !options.witnesses.every((w) => typeof w?.lightBlock === 'function'))) {
      throw new InvalidArgument('options.witnesses must be an array of providers');
    }
    const client = new LightClient(options);
    await client.initialize(options.trust);
    return client;
  }

  /** Witnesses dropped so far, with why. */
  get droppedWitnesses(): ReadonlyArray<{ witness: string; reason: string }> {
    return this.dropped;
  }

  private now(): Nanos {
    const now = this.options.now;
    return toNanos((typeof now === 'function' ? now() : now) ?? Date.now(), 'options.now');
  }

  private name(p: Provider): string {
    return providerName(p, p === this.options.primary ? 'primary' : `witness ${this.options.witnesses!.indexOf(p)}`);
  }

  private async initialize(trust: TrustRoot): Promise<void> {
    if (typeof trust !== 'object' || trust === null) throw new InvalidArgument('options.trust must be { height, hash } or { lightBlock }');
    let block: LightBlock;
    if ('lightBlock' in trust) {
      block = decodeLightBlock(trust.lightBlock, 'options.trust.lightBlock');
    } else {
      const height = heightArg(trust.height, 'options.trust.height');
      if (height === 0) throw new InvalidArgument('options.trust.height must be at least 1');
      const hash = typeof trust.hash === 'string' ? fromHex(trust.hash, 'options.trust.hash') : trust.hash;
      if (!(hash instanceof Uint8Array) || hash.length !== 32) throw new InvalidArgument('options.trust.hash must be 32 bytes (64 hex digits)');
      const stored = await this.store.get(height);
      if (stored && equalBytes(stored.signedHeader.commit.blockId.hash, hash)) return;
      block = await this.fetch(this.options.primary, height);
      if (!equalBytes(headerHash(block.signedHeader.header), hash)) {
        throw new LightVerificationFailed(height, `the header hashes to ${HEX(headerHash(block.signedHeader.header))}, not the trusted ${HEX(hash)}`, this.name(this.options.primary));
      }
    }
    const result = verifySelfSigned(block, this.settings);
    const height = block.signedHeader.header.height;
    if (result.verdict !== 'SUCCESS') throw new LightVerificationFailed(height, `the trust root: ${result.reason}`, this.name(this.options.primary));
    if (headerExpired(block.signedHeader, this.settings.trustingPeriod, this.now())) {
      throw new TrustedHeaderExpired(`the trusted header at height ${height} is older than the trusting period`);
    }
    await this.crossCheck([block], block);
    await this.store.save([block]);
  }

  /** Fetches and decodes a block; a malformed or mislabelled answer is a failed verification of that height. */
  private async fetch(provider: Provider, height: number): Promise<LightBlock> {
    const source = this.name(provider);
    let raw: unknown;
    try {
      raw = await provider.lightBlock(height);
    } catch (err) {
      if (err instanceof ProviderUnavailable) throw err;
      if (err instanceof LightBlockMalformed) throw new LightVerificationFailed(height, err.message, source);
      throw new ProviderUnavailable(source, `light block ${height}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
    let block: LightBlock;
    try {
      block = decodeLightBlock(raw, `${source} height ${height}`);
    } catch (err) {
      if (err instanceof LightBlockMalformed) throw new LightVerificationFailed(height, err.message, source);
      throw err;
    }
    if (height !== 0 && block.signedHeader.header.height !== height) {
      throw new LightVerificationFailed(height, `asked for height ${height}, got ${block.signedHeader.header.height}`, source);
    }
    return block;
  }

  /** The latest verified header, if any. */
  async latestTrusted(): Promise<VerifiedHeader | undefined> {
    const b = await this.store.latest();
    return b && describe(b);
  }

  /**
   * Verifies the header at `height` (0: the primary's latest) and returns it. Rejects with
   * LightVerificationFailed (naming the height and the provider), ConflictingHeaders,
   * TrustedHeaderExpired or ProviderUnavailable.
   */
  verifyTo(height: number): Promise<VerifiedHeader> {
    const run = this.queue.then(() => this.verifyToNow(heightArg(height, 'height')));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async verifyToNow(target: number): Promise<VerifiedHeader> {
    const now = this.now();
    const known = target === 0 ? undefined : await this.store.get(target);
    if (known) return describe(known);
    const latest = (await this.store.latest())!;
    const latestHeight = latest.signedHeader.header.height;
    const primary = this.options.primary;
    const targetBlock = target === 0 || target > latestHeight ? await this.fetch(primary, target) : undefined;
    const height = targetBlock?.signedHeader.header.height ?? target;
    if (height <= latestHeight) {
      if (height === latestHeight) return describe(latest);
      return describe(await this.backwards(height, now));
    }
    if (headerExpired(latest.signedHeader, this.settings.trustingPeriod, now)) {
      throw new TrustedHeaderExpired(`the latest trusted header (height ${latestHeight}) expired at ${formatTime(latest.signedHeader.header.time + this.settings.trustingPeriod)}: a new trust root is needed`);
    }
    const trace = this.options.sequential
      ? await this.sequential(primary, latest, targetBlock!, now)
      : await this.skipping(primary, latest, targetBlock!, now);
    await this.crossCheck(trace, latest);
    await this.store.save(trace);
    for (const b of trace) this.options.onEvent?.({ type: 'verified', height: b.signedHeader.header.height, hash: HEX(b.signedHeader.commit.blockId.hash) });
    return describe(trace[trace.length - 1]);
  }

  private failed(block: LightBlock, reason: string, provider: Provider): never {
    throw new LightVerificationFailed(block.signedHeader.header.height, reason, this.name(provider));
  }

  private async sequential(source: Provider, from: LightBlock, to: LightBlock, now: Nanos): Promise<LightBlock[]> {
    const trace: LightBlock[] = [];
    let trusted = from;
    for (let h = from.signedHeader.header.height + 1; h <= to.signedHeader.header.height; h++) {
      const next = h === to.signedHeader.header.height ? to : await this.fetch(source, h);
      const r = verifyDecoded(trusted, next, this.settings, now);
      if (r.verdict !== 'SUCCESS') this.failed(next, r.reason!, source);
      trace.push(next);
      trusted = next;
    }
    return trace;
  }

  /** Bisection (light/client.go verifySkipping): the verified blocks from `from` (excluded) to `to`. */
  private async skipping(source: Provider, from: LightBlock, to: LightBlock, now: Nanos): Promise<LightBlock[]> {
    const trace: LightBlock[] = [];
    let verified = from;
    const pending = [to];
    for (;;) {
      const candidate = pending[pending.length - 1];
      const r = verifyDecoded(verified, candidate, this.settings, now);
      if (r.verdict === 'SUCCESS') {
        trace.push(candidate);
        pending.pop();
        verified = candidate;
        if (pending.length === 0) return trace;
      } else if (r.verdict === 'NOT_ENOUGH_TRUST') {
        const lo = verified.signedHeader.header.height;
        const hi = candidate.signedHeader.header.height;
        const pivot = lo + Math.floor(((hi - lo) * PIVOT_NUMERATOR) / PIVOT_DENOMINATOR);
        pending.push(await this.fetch(source, pivot));
      } else {
        this.failed(candidate, r.reason!, source);
      }
    }
  }

  /** light.VerifyBackwards from the nearest trusted block above `height`, down through LastBlockID hashes. */
  private async backwards(height: number, now: Nanos): Promise<LightBlock> {
    const below = await this.store.below(height);
    if (below && !headerExpired(below.signedHeader, this.settings.trustingPeriod, now)) {
      const to = await this.fetch(this.options.primary, height);
      const trace = await this.skipping(this.options.primary, below, to, now);
      await this.crossCheck(trace, below);
      await this.store.save(trace);
      return to;
    }
    let trusted = (await this.store.above(height))!;
    while (trusted.signedHeader.header.height > height) {
      const th = trusted.signedHeader.header;
      const block = await this.fetch(this.options.primary, th.height - 1);
      const h = block.signedHeader.header;
      const hash = headerHash(h);
      if (h.chainId !== th.chainId) this.failed(block, `belongs to chain ${JSON.stringify(h.chainId)}`, this.options.primary);
      if (!(h.time < th.time)) this.failed(block, `its time ${formatTime(h.time)} is not before ${formatTime(th.time)} of the header above`, this.options.primary);
      if (!equalBytes(hash, th.lastBlockId.hash)) {
        this.failed(block, `hashes to ${HEX(hash)}, the header above names ${HEX(th.lastBlockId.hash)} as its last block`, this.options.primary);
      }
      // Stored blocks must be whole: their validator set is used to verify from them later.
      if (!block.validatorSet || !equalBytes(validatorSetHash(block.validatorSet.validators), h.validatorsHash)) {
        this.failed(block, 'its validator set does not match its header', this.options.primary);
      }
      trusted = block;
    }
    await this.store.save([trusted]);
    return trusted;
  }

  /**
   * Compares each header with every witness. A witness that fails to answer is dropped; one
   * that serves a different header is checked: if its header verifies from `root` (the trust
   * both sides started from), the chain has forked or the client is attacked.
   */
  private async crossCheck(blocks: readonly LightBlock[], root: LightBlock): Promise<void> {
    if (this.options.witnesses?.length === 0 || this.options.witnesses === undefined) return;
    for (const block of blocks) {
      const height = block.signedHeader.header.height;
      const hash = block.signedHeader.commit.blockId.hash;
      await Promise.all([...this.witnesses].map(async (witness) => {
        let theirs: LightBlock;
        try {
          theirs = await this.fetch(witness, height);
        } catch (err) {
          this.drop(witness, (err as Error).message);
          return;
        }
        if (equalBytes(theirs.signedHeader.commit.blockId.hash, hash) && equalBytes(headerHash(theirs.signedHeader.header), hash)) return;
        if (theirs.signedHeader.header.height === root.signedHeader.header.height) {
          const r = verifySelfSigned(theirs, this.settings);
          if (r.verdict !== 'SUCCESS') return this.drop(witness, `its header at height ${height} is invalid: ${r.reason}`);
        } else {
          try {
            await this.skipping(witness, root, theirs, this.now());
          } catch (err) {
            if (!(err instanceof LightVerificationFailed)) throw err;
            return this.drop(witness, `its header at height ${height} differs and does not verify: ${err.message}`);
          }
        }
        throw new ConflictingHeaders(height,
          { source: this.name(this.options.primary), hash: HEX(hash), lightBlock: lightBlockJson(block) },
          { source: this.name(witness), hash: HEX(theirs.signedHeader.commit.blockId.hash), lightBlock: lightBlockJson(theirs) });
      }));
      if (this.witnesses.length === 0) {
        throw new ProviderUnavailable('witnesses', `every witness was dropped (${this.dropped.map((d) => `${d.witness}: ${d.reason}`).join('; ')}); headers cannot be cross-checked`);
      }
    }
  }

  private drop(witness: Provider, reason: string): void {
    const i = this.witnesses.indexOf(witness);
    if (i < 0) return;
    const name = this.name(witness);
    this.witnesses.splice(i, 1);
    this.dropped.push({ witness: name, reason });
    this.options.onEvent?.({ type: 'witness-dropped', witness: name, reason });
  }
}
