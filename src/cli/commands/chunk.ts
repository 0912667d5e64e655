import { fastcdcStream } from '../../chunk/stream.js';
import { FASTCDC_LIMITS, resolveFastCdcOptions, type FastCdcOptions } from '../../chunk/options.js';
import { InvalidArgument } from '../../errors.js';
import { sha256 } from '../../hash/sha256.js';
import { toHex } from '../../hex.js';
import type { Command } from '../command.js';
import { intOption, parse } from '../args.js';
import { usageError } from '../errors.js';
import { openInput } from '../files.js';

/** The library's option names as the user typed them, for error messages. */
const FLAG_OF: Record<string, string> = { minSize: '--min', avgSize: '--avg', maxSize: '--max', level: '--level', variant: '--variant' };

export const chunkCommand: Command = {
  summary: 'split a file into FastCDC chunks: offset, length and SHA-256 per line',
  usage: 'chunk FILE [--min N] [--avg N] [--max N] [--level 0-3] [--variant v2020|ronomon]',
  async run(args, io) {
    const { positionals, values } = parse(args, {
      min: { type: 'string' }, avg: { type: 'string' }, max: { type: 'string' }, level: { type: 'string' }, variant: { type: 'string' },
    }, this.usage);
    if (positionals.length !== 1) throw usageError(`expected one FILE, got ${positionals.length}\nusage: lightsnap ${this.usage}`);
    const options: FastCdcOptions = {
      minSize: intOption(values.min, 'min', ...FASTCDC_LIMITS.minSize),
      avgSize: intOption(values.avg, 'avg', ...FASTCDC_LIMITS.avgSize),
      maxSize: intOption(values.max, 'max', ...FASTCDC_LIMITS.maxSize),
      level: intOption(values.level, 'level', 0, 3),
      variant: values.variant as FastCdcOptions['variant'],
    };
    try {
      resolveFastCdcOptions(options);
    } catch (err) {
      if (!(err instanceof InvalidArgument)) throw err;
      throw usageError(err.message.replace(/\b(minSize|avgSize|maxSize|level|variant)\b/g, (name) => FLAG_OF[name]));
    }
    const input = await openInput(positionals[0]);
    for await (const c of fastcdcStream(input, options)) {
      io.stdout.write(`${c.offset} ${c.length} ${toHex(sha256(c.bytes))}\n`);
    }
    return 0;
  },
};
