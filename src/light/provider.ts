// Where light blocks come from. A provider is just `{ lightBlock(height) }`: the CometBFT RPC
// (rpc-provider.ts), the devnet, a test double, another transport. What it returns is
// untrusted: the client decodes and verifies it.

export interface Provider {
  /** A name for errors and events: the RPC URL, say. */
  readonly name?: string;
  /**
   * The light block at `height` (0: the latest): `{ signed_header, validator_set }` in the
   * CometBFT RPC JSON shape (a `next_validator_set` is used when present) or a decoded
   * LightBlock. Rejects with ProviderUnavailable when it cannot answer.
   */
  lightBlock(height: number, signal?: AbortSignal): Promise<unknown>;
}

export function providerName(p: Provider, fallback: string): string {
  return typeof p.name === 'string' && p.name ? p.name : fallback;
}
