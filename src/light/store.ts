// The light store: verified light blocks on the project's Store interface (IndexedDB, files,
// memory), one entry per height as the RPC's JSON, pruned to the most recent ones.
import type { Store } from '../store/store.js';
import { decodeLightBlock } from './decode.js';
import { lightBlockJson } from './json.js';
import type { LightBlock } from './types.js';

const PREFIX = 'light/';
/** Fixed-width heights, so keys sort by height as strings too. */
const key = (height: number) => PREFIX + String(height).padStart(16, '0');
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

export class LightStore {
  constructor(private readonly store: Store, private readonly maxBlocks = 1000) {}

  async heights(): Promise<number[]> {
    return (await this.store.keys(PREFIX)).map((k) => Number(k.slice(PREFIX.length))).sort((a, b) => a - b);
  }

  async get(height: number): Promise<LightBlock | undefined> {
    const bytes = await this.store.get(key(height));
    return bytes && decodeLightBlock(JSON.parse(fromUtf8.decode(bytes)), `light store height ${height}`);
  }

  async latest(): Promise<LightBlock | undefined> {
    const hs = await this.heights();
    return hs.length ? this.get(hs[hs.length - 1]) : undefined;
  }

  /** The stored block with the lowest height above `height`, if any. */
  async above(height: number): Promise<LightBlock | undefined> {
    const h = (await this.heights()).find((x) => x > height);
    return h === undefined ? undefined : this.get(h);
  }

  /** The stored block with the highest height below `height`, if any. */
  async below(height: number): Promise<LightBlock | undefined> {
    const h = (await this.heights()).filter((x) => x < height).pop();
    return h === undefined ? undefined : this.get(h);
  }

  /** Saves verified blocks, then drops the oldest beyond `maxBlocks`. */
  async save(blocks: readonly LightBlock[]): Promise<void> {
    if (blocks.length === 0) return;
    await this.store.put(blocks.map((b) => [key(b.signedHeader.header.height), utf8.encode(JSON.stringify(lightBlockJson(b)))] as const));
    await this.store.flush?.();
    const hs = await this.heights();
    if (hs.length > this.maxBlocks) await this.store.delete(hs.slice(0, hs.length - this.maxBlocks).map(key));
  }
}
