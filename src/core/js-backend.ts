// The pure-TypeScript core, for hosts that cannot compile WebAssembly (a strict CSP).
// SHA-256 comes from @noble/hashes (audited, dependency-free) rather than our own code.
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import type { Backend, Sha256State } from './backend.js';

export function createJsBackend(): Backend {
  return {
    kind: 'js',
    sha256: (data) => nobleSha256(data),
    sha256Stream(): Sha256State {
      const h = nobleSha256.create();
      return { update: (data) => void h.update(data), digest: () => h.digest() };
    },
    sha256Batch64(data) {
      const n = data.length >>> 6;
      const out = new Uint8Array(n * 32);
      for (let i = 0; i < n; i++) out.set(nobleSha256(data.subarray(i * 64, i * 64 + 64)), i * 32);
      return out;
    },
    sha256BatchVar(data, offsets) {
      const n = offsets.length - 1;
      const out = new Uint8Array(Math.max(0, n) * 32);
      for (let i = 0; i < n; i++) out.set(nobleSha256(data.subarray(offsets[i], offsets[i + 1])), i * 32);
      return out;
    },
  };
}
