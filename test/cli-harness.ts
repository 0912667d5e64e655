// Runs the CLI in-process with captured output (Node-only tests).
import { Writable } from 'node:stream';
import { main } from '../src/cli/main.js';

export interface CliRun { code: number; stdout: string; stderr: string }

function sink(): { stream: Writable; text(): string } {
  const parts: Buffer[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { parts.push(Buffer.from(chunk)); cb(); } });
  return { stream, text: () => Buffer.concat(parts).toString('utf8') };
}

export async function runCli(...argv: string[]): Promise<CliRun> {
  const out = sink();
  const err = sink();
  const code = await main(argv, { stdout: out.stream, stderr: err.stream, isTTY: false });
  return { code, stdout: out.text(), stderr: err.text() };
}
