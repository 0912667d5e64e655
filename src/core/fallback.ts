// The cores fetched on demand: the scalar WASM build (engines without WASM SIMD) and its wasm2js
// translation (hosts that forbid compiling WebAssembly, e.g. a Content-Security-Policy without
// 'wasm-unsafe-eval'). Reached only through `await import()`, so engines with SIMD never
// download them. Imports no SIMD bytes, so a worker can use it without carrying them.
import type { CoreExports } from './abi.js';
import type { Backend } from './backend.js';
import { decodeBase64 } from './base64.js';
import { createWasmBackend } from './wasm-backend.js';

export type FallbackKind = 'wasm-scalar' | 'js';

let scalarBytes: Uint8Array | undefined;
let jsCore: (() => unknown) | undefined;

/** Whether `fetchFallback(kind)` has run, so a synchronous caller can use the fallback. */
export function fallbackFetched(kind: FallbackKind): boolean {
  return (kind === 'wasm-scalar' ? scalarBytes : jsCore) !== undefined;
}

/** Loads a fallback's code (once per thread). */
export async function fetchFallback(kind: FallbackKind): Promise<void> {
  if (kind === 'wasm-scalar') await fetchScalar();
  else await fetchJs();
}

/** A bundler emits the scalar build as a chunk of the main thread's bundle; workers never need it (./handoff.ts). */
async function fetchScalar(): Promise<void> {
  scalarBytes ??= decodeBase64((await import('./wasm-scalar.generated.js')).SCALAR_WASM_BASE64);
}

/**
 * The wasm2js core is imported by URL: bundlers (Vite, webpack 5) emit the file named in
 * `new URL(…, import.meta.url)` once, as an asset that the main thread and workers share.
 * An analysable `import('./core-js.generated.js')` would instead be inlined into every worker
 * bundle (Vite's default worker format cannot split chunks).
 */
export async function fetchJs(): Promise<void> {
  const url = new URL('./core-js.generated.js', import.meta.url).href;
  jsCore ??= ((await import(/* @vite-ignore */ /* webpackIgnore: true */ url)) as { createCore(): unknown }).createCore;
}

/** The scalar build's bytes; `fetchFallback('wasm-scalar')` must have run. */
export function scalarWasmBytes(): Uint8Array {
  return scalarBytes!;
}

/** A new instance of the JavaScript core; `fetchFallback('js')` must have run. */
export function createJsBackend(): Backend {
  return createWasmBackend(jsCore!() as CoreExports, 'js');
}
