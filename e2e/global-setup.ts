// Builds the page once for all specs (`npm run web:build`).
import { execFileSync } from 'node:child_process';

export default function globalSetup(): void {
  execFileSync('node_modules/.bin/vite', ['build', '--logLevel', 'warn'], { stdio: 'inherit' });
}
