import type { Command } from '../command.js';
import { parse } from '../args.js';
import { sourcesFor } from '../sources.js';
import { MAX_MANIFEST_BYTES, parseManifest } from '../../format/manifest.js';
import { sha256 } from '../../hash/sha256.js';
import { toHex } from '../../hex.js';

export const inspectCommand: Command = {
  summary: 'show a checkpoint\'s version, root, chunk count and sizes (nothing is verified)',
  usage: 'inspect DIR|URL [--json]',
  async run(args, io) {
    const { values, positionals } = parse(args, { json: { type: 'boolean' } }, this.usage);
    const [source] = await sourcesFor(positionals.slice(0, 1), this.usage);
    const bytes = await source.fetch('manifest.json', { maxBytes: MAX_MANIFEST_BYTES });
    const m = parseManifest(bytes);
    const sizes = m.chunks.map((c) => c.size);
    const total = sizes.reduce((a, b) => a + b, 0);
    const info = {
      id: toHex(sha256(bytes)), formatVersion: m.formatVersion, version: m.version, root: m.root, leaves: m.leaves, chunks: m.chunks.length,
      bytes: total, minChunkBytes: Math.min(...sizes), maxChunkBytes: Math.max(...sizes),
      proofBytes: m.chunks.reduce((a, c) => a + c.proofSize, 0), proofFiles: m.proofPacks?.length ?? m.chunks.length, chunking: m.chunking,
    };
    if (values.json) {
      io.stdout.write(JSON.stringify(info) + '\n');
      return 0;
    }
    io.stdout.write([
      `checkpoint ${info.id}`,
      `version    ${info.version}`,
      `root       ${info.root}`,
      `leaves     ${info.leaves}`,
      `chunks     ${info.chunks} (${info.bytes} bytes; smallest ${info.minChunkBytes}, largest ${info.maxChunkBytes})`,
      `proofs     ${info.proofBytes} bytes in ${info.proofFiles} ${m.proofPacks ? 'packs' : 'files'} (format version ${info.formatVersion})`,
      `chunking   max ${m.chunking.maxChunkBytes} B, min ${m.chunking.minChunkBytes} B, avg ${m.chunking.avgChunkBytes} B past the min`,
      '',
    ].join('\n'));
    return 0;
  },
};
