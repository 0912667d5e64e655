// Loads the WASM core once per thread. The SIMD build is used where the engine validates it,
// the scalar build elsewhere, and the pure-TypeScript core where WebAssembly cannot be
// compiled at all (a strict Content-Security-Policy). Nothing runs at import time.
import type { CoreExports } from './abi.js';
import type { Backend, BackendKind } from './backend.js';
import { createJsBackend } from './js-backend.js';
import { createWasmBackend } from './wasm-backend.js';
import { SCALAR_WASM_BASE64, SIMD_WASM_BASE64 } from './wasm-bytes.generated.js';
import { CoreUnavailable } from '../errors.js';

export interface InitOptions {
  /** A compiled core (e.g. from `WebAssembly.compileStreaming`), used instead of the embedded bytes. */
  module?: WebAssembly.Module;
  /** The bytes of a core build, used instead of the embedded bytes. */
  bytes?: BufferSource;
  /** Which core to use. `auto` (default): SIMD WASM, else scalar WASM, else TypeScript. */
  backend?: 'auto' | BackendKind;
}

let active: Backend | undefined;

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function embeddedBytes(kind: 'wasm-simd' | 'wasm-scalar'): Uint8Array {
  return decodeBase64(kind === 'wasm-simd' ? SIMD_WASM_BASE64 : SCALAR_WASM_BASE64);
}

function simdSupported(): boolean {
  return WebAssembly.validate(embeddedBytes('wasm-simd') as BufferSource);
}

/** The WASM builds to try, best first, for the given options. */
function wasmCandidates(opts: InitOptions): Array<'wasm-simd' | 'wasm-scalar'> {
  const want = opts.backend ?? 'auto';
  if (want === 'js') return [];
  if (want === 'wasm-simd' || want === 'wasm-scalar') return [want];
  return simdSupported() ? ['wasm-simd', 'wasm-scalar'] : ['wasm-scalar'];
}

function fromInstance(instance: WebAssembly.Instance, kind: BackendKind): Backend {
  return createWasmBackend(instance.exports as unknown as CoreExports, kind);
}

/** The kind a caller-supplied module or bytes are taken to be. */
function suppliedKind(opts: InitOptions): BackendKind {
  return opts.backend === 'wasm-scalar' ? 'wasm-scalar' : 'wasm-simd';
}

/** The TypeScript core when the options allow it, else the reason no WASM core loaded. */
function fallbackOrThrow(errors: unknown[], opts: InitOptions): Backend {
  if ((opts.backend ?? 'auto') === 'auto' || opts.backend === 'js') return createJsBackend();
  throw new CoreUnavailable(`the ${opts.backend} core could not be loaded: ${String(errors[0])}`, { cause: errors[0] });
}

/** Creates a core without making it the active one (used by tests and workers). */
export function createBackendSync(opts: InitOptions = {}): Backend {
  const errors: unknown[] = [];
  if (opts.module || opts.bytes) {
    const module = opts.module ?? new WebAssembly.Module(opts.bytes!);
    return fromInstance(new WebAssembly.Instance(module, {}), suppliedKind(opts));
  }
  for (const kind of wasmCandidates(opts)) {
    try {
      const module = new WebAssembly.Module(embeddedBytes(kind) as BufferSource);
      return fromInstance(new WebAssembly.Instance(module, {}), kind);
    } catch (err) {
      errors.push(err);
    }
  }
  return fallbackOrThrow(errors, opts);
}

/**
 * Loads the core synchronously (Node, workers). On a browser's main thread prefer `init()`:
 * engines refuse synchronous compilation of large modules there.
 */
export function initSync(opts: InitOptions = {}): BackendKind {
  active = createBackendSync(opts);
  return active.kind;
}

/** Loads the core asynchronously; resolves to the kind of core now in use. */
export async function init(opts: InitOptions = {}): Promise<BackendKind> {
  const errors: unknown[] = [];
  if (opts.module || opts.bytes) {
    const module = opts.module ?? (await WebAssembly.compile(opts.bytes!));
    active = fromInstance(await WebAssembly.instantiate(module, {}), suppliedKind(opts));
    return active.kind;
  }
  for (const kind of wasmCandidates(opts)) {
    try {
      const module = await WebAssembly.compile(embeddedBytes(kind) as BufferSource);
      active = fromInstance(await WebAssembly.instantiate(module, {}), kind);
      return active.kind;
    } catch (err) {
      errors.push(err);
    }
  }
  active = fallbackOrThrow(errors, opts);
  return active.kind;
}

/** The active core, loading it synchronously on first use if `init()` was not awaited. */
export function backend(): Backend {
  if (!active) {
    try {
      initSync();
    } catch {
      active = createJsBackend();
    }
  }
  return active!;
}
