import type { Command } from '../command.js';
import { intOption, parse } from '../args.js';
import { inputError } from '../errors.js';
import { stat } from 'node:fs/promises';
import { serveDirectory } from '../../net/serve.js';

export const serveCommand: Command = {
  summary: 'serve checkpoint directories as static files (ETag, immutable chunks, ranges)',
  usage: 'serve DIR [--port N] [--host ADDR]',
  async run(args, io) {
    const { values, positionals } = parse(args, { port: { type: 'string' }, host: { type: 'string' } }, this.usage);
    const dir = positionals[0] ?? '.';
    if (!(await stat(dir).catch(() => undefined))?.isDirectory()) throw inputError(`${dir}: not a directory`);
    const port = intOption(values.port, 'port', 0, 65535) ?? 8080;
    const { server, url } = await serveDirectory(dir, { port, host: values.host ?? '127.0.0.1' });
    io.stdout.write(`serving ${dir} at ${url} (Ctrl-C to stop)\n`);
    await new Promise<void>((resolve) => {
      const stop = () => server.close(() => resolve());
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
